/**
 * correlationId and correlationTag (nms-spec-digest.md 3.9; architecture.md section 10).
 */
import { createHash } from 'node:crypto'

/** Text between angle brackets, or the trimmed text when there are none (`<a@b>` -> `a@b`). */
export function stripAngles (id: string): string {
  const t = id.trim()
  const m = /^<(.*)>$/.exec(t)
  return (m === null ? t : (m[1] ?? '')).trim()
}

/**
 * A phone number as the deployed client normalises it before hashing (nms-client-profile.md
 * 3.1, `getE164FormatNumber`): scheme and URI parameters dropped, visual separators removed,
 * `+1` put in front of a 10-digit number and `+` in front of a longer one; a number that
 * already has `+`, or a shorter one (short codes), stays as it is.
 */
export function e164 (address: string): string {
  let s = address.trim().replace(/^(tel|sip|sips):/i, '')
  s = s.replace(/[;@].*$/, '')
  const compact = s.replace(/[\s().-]/g, '')
  if (!/^\+?[0-9]+$/.test(compact)) return s
  if (compact.startsWith('+')) return compact
  if (compact.length === 10) return `+1${compact}`
  if (compact.length > 10) return `+${compact}`
  return compact
}

/**
 * The correlationTag the deployed client computes for an SMS (nms-client-profile.md 3.1,
 * `generateSmsHashCode`): MD5 over `":::" + E164(remote) + "::" + body` for a received message
 * or `E164(remote) + ":::::" + body` for a sent one (UTF-8), the first 8 digest bytes read as an
 * unsigned 64-bit big-endian number, printed in lower-case hex without leading zeros.
 */
export function smsCorrelationTag (direction: 'In' | 'Out', remote: string, body: string): string {
  const number = e164(remote)
  const input = direction === 'In' ? `:::${number}::${body}` : `${number}:::::${body}`
  const digest = createHash('md5').update(input, 'utf8').digest()
  return digest.readBigUInt64BE(0).toString(16)
}
