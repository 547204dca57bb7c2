/**
 * Address attributes (`From`, `To`, `Cc`, `Bcc`): one value per address.
 *
 * Values: a `tel:` / `sip:` / `sips:` URI exactly as the header gives it (what RCS and SMS
 * clients read: nms-client-profile.md 3.1); any other mailbox without a display name as the bare
 * `local@domain`; with a display name as an RFC 5322 name-addr, `Name <local@domain>`, the name
 * quoted when it holds RFC 5322 specials. Every value therefore parses as one RFC 5322 address
 * (or is a URI), and clients that want the bare address take the text between `<` and `>`.
 *
 * E-mail addresses come from the ENVELOPE (the server has parsed the header, RFC 2047 names
 * decoded); a header that holds URIs or addresses without a domain (`+15551234567`, which
 * depositing clients send: client profile 3.3) is split by this module instead, because the
 * ENVELOPE has no faithful form for them (RFC 3501 section 7.4.2 reads `tel:` as a group).
 */
import type { EnvelopeAddress } from '../../imap/types.js'

const URI = /^(tel|sip|sips):\S+$/i
/** RFC 5322 specials (section 3.2.3) that force a display name into a quoted-string. */
const SPECIALS = /[()<>[\]:;@\\,."]/

/** `Name <addr>` / `addr` for one parsed address. */
export function formatAddress (a: EnvelopeAddress): string | undefined {
  const addr = a.address?.trim()
  if (addr === undefined || addr === '') return undefined
  if (URI.test(addr)) return addr
  const name = a.name?.trim()
  if (name === undefined || name === '' || name === addr) return addr
  const shown = SPECIALS.test(name) ? `"${name.replace(/(["\\])/g, '\\$1')}"` : name
  return `${shown} <${addr}>`
}

/** Splits a decoded header at top-level commas (outside quotes, comments and angle brackets). */
export function splitAddressList (header: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  let angle = 0
  let comment = 0
  for (let i = 0; i < header.length; i++) {
    const c = header[i] as string
    if (quoted) {
      if (c === '\\' && i + 1 < header.length) { cur += c + (header[++i] as string); continue }
      if (c === '"') quoted = false
    } else if (c === '"') quoted = true
    else if (c === '(') comment++
    else if (c === ')' && comment > 0) comment--
    else if (c === '<' && comment === 0) angle++
    else if (c === '>' && angle > 0) angle--
    else if (c === ',' && angle === 0 && comment === 0) { out.push(cur); cur = ''; continue }
    cur += c
  }
  out.push(cur)
  return out.map((s) => s.trim()).filter((s) => s !== '')
}

/** One address from its header text: `Name <addr>`, `<addr>`, `addr`, or a URI. */
export function parseAddress (text: string): EnvelopeAddress | undefined {
  const noComments = text.replace(/\((?:[^()\\]|\\.)*\)/g, ' ').trim()
  const m = /^(.*?)<([^<>]*)>\s*$/.exec(noComments)
  if (m !== null) {
    const name = unquote((m[1] ?? '').trim())
    const address = (m[2] ?? '').trim()
    return address === '' ? undefined : { address, ...(name === '' ? {} : { name }) }
  }
  // An empty group (`undisclosed-recipients:;`) names nobody.
  if (/^[^:<>"@]*:\s*;?$/.test(noComments)) return undefined
  return noComments === '' ? undefined : { address: noComments }
}

function unquote (s: string): string {
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) return s.slice(1, -1).replace(/\\(.)/g, '$1')
  return s
}

/**
 * The values of an address attribute. `headers` are the decoded occurrences of the header,
 * `envelope` the ENVELOPE's list for the same field.
 */
export function addressValues (headers: readonly string[] | undefined, envelope: readonly EnvelopeAddress[]): string[] {
  const fromHeader = (headers ?? []).flatMap(splitAddressList).map(parseAddress)
    .filter((a): a is EnvelopeAddress => a !== undefined)
  const plainEmail = (a: EnvelopeAddress): boolean => a.address !== undefined && /^[^@\s:]+@[^@\s]+$/.test(a.address)
  // The ENVELOPE is authoritative for plain e-mail addresses (its names are decoded faithfully
  // even when a decoded name holds a comma); the header for everything else.
  const hasUri = (headers ?? []).some((h) => /(^|[\s<,:])(tel|sips?):/i.test(h))
  const source = envelope.length > 0 && envelope.every(plainEmail) && !hasUri ? envelope : fromHeader
  return source.map(formatAddress).filter((v): v is string => v !== undefined)
}

/** The address part of an attribute value (`Name <a@b>` -> `a@b`, `tel:+1555` unchanged). */
export function bareAddress (value: string): string {
  const m = /<([^<>]*)>\s*$/.exec(value)
  return (m === null ? value : (m[1] ?? '')).trim()
}
