/**
 * The one codec for the gateway's opaque, integrity-protected tokens: listing and search cursors
 * (./cursor.ts), restartTokens and creationCursors (./restart-token.ts). A token is a body plus a
 * truncated HMAC-SHA256 (RFC 2104; truncation as in section 5 there) keyed with the store's shared
 * secret, so every gateway instance accepts the tokens of the others, written in unpadded
 * base64url (RFC 4648 section 5) so it travels in URLs and JSON unescaped.
 *
 * The MAC also covers a context that never travels: the token's purpose and whatever it is bound
 * to (e.g. the box). A token presented for another purpose or box fails like a forged one.
 *
 * Two layouts, fixed by the tokens already issued (their wire format must not change):
 * - `joined`: base64url(body ‖ mac); the MAC covers context ‖ body bytes.
 * - `dotted`: base64url(body) "." base64url(mac); the MAC covers context ‖ the body's base64url
 *   text, so it is checked before the body is decoded.
 *
 * Only the canonical spelling of a token decodes: base64url has several spellings of the same
 * bytes, and a token must have exactly one.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** How a kind of token is written. */
export interface TokenFormat {
  layout: 'joined' | 'dotted'
  /** Leading bytes of the HMAC-SHA256 kept in the token. */
  macBytes: number
  /** Longer input is refused before any decoding. */
  maxLength: number
}

const BASE64URL = /^[A-Za-z0-9_-]+$/

function mac (secret: Buffer, format: TokenFormat, context: string, signed: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(context).update(signed).digest().subarray(0, format.macBytes)
}

/** The base64url bytes of `text`, or undefined unless `text` is their canonical spelling. */
function canonicalBytes (text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined
  const bytes = Buffer.from(text, 'base64url')
  return bytes.toString('base64url') === text ? bytes : undefined
}

function macMatches (given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** Signs `body` for `context` and writes the token. */
export function signToken (secret: Buffer, format: TokenFormat, context: string, body: Buffer): string {
  if (format.layout === 'joined') return Buffer.concat([body, mac(secret, format, context, body)]).toString('base64url')
  const text = body.toString('base64url')
  return `${text}.${mac(secret, format, context, text).toString('base64url')}`
}

/**
 * The body of a token signed with `secret` for `context`; undefined when the token is malformed,
 * too long, not canonically spelled, tampered with, or signed with another secret or context.
 */
export function verifyToken (secret: Buffer, format: TokenFormat, context: string, token: string): Buffer | undefined {
  if (token.length > format.maxLength) return undefined
  if (format.layout === 'joined') {
    const raw = canonicalBytes(token)
    if (raw === undefined || raw.length <= format.macBytes) return undefined
    const body = raw.subarray(0, raw.length - format.macBytes)
    return macMatches(raw.subarray(body.length), mac(secret, format, context, body)) ? body : undefined
  }
  const [text, macText, ...rest] = token.split('.')
  if (text === undefined || macText === undefined || rest.length > 0) return undefined
  const body = canonicalBytes(text)
  const given = canonicalBytes(macText)
  if (body === undefined || given === undefined) return undefined
  return macMatches(given, mac(secret, format, context, text)) ? body : undefined
}
