/**
 * A small RFC 5322 section 3.4 address-list parser for the address fields Dovecot's ENVELOPE
 * cannot represent: NMS addresses are often URIs without a domain (`tel:+15551234567`), which
 * Dovecot reports as `tel@SYNTAX_ERROR` or group syntax. Here a bare `scheme:rest` is one
 * address (the URI), not a group named `scheme`. Pure.
 */
import type { EnvelopeAddress } from './message-types.js'
import { decodeEncodedWords } from './encoded-words.js'

/** Splits on commas outside quotes, comments and angle brackets. */
function splitTopLevel (value: string, sep: string): string[] {
  const parts: string[] = []
  let depth = 0
  let angle = false
  let quoted = false
  let cur = ''
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string
    if (quoted) {
      cur += c
      if (c === '\\' && i + 1 < value.length) cur += value[++i] as string
      else if (c === '"') quoted = false
      continue
    }
    if (c === '"' && depth === 0) quoted = true
    else if (c === '(') depth++
    else if (c === ')' && depth > 0) depth--
    else if (c === '<' && depth === 0) angle = true
    else if (c === '>' && depth === 0) angle = false
    else if (c === sep && depth === 0 && !angle) {
      parts.push(cur)
      cur = ''
      continue
    }
    cur += c
  }
  parts.push(cur)
  return parts
}

/** Removes comments (RFC 5322 section 3.2.2) outside quoted strings. */
function stripComments (s: string): string {
  let out = ''
  let depth = 0
  let quoted = false
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string
    if (quoted) {
      out += c
      if (c === '\\' && i + 1 < s.length) out += s[++i] as string
      else if (c === '"') quoted = false
    } else if (c === '"' && depth === 0) {
      quoted = true
      out += c
    } else if (c === '(') depth++
    else if (c === ')' && depth > 0) depth--
    else if (depth === 0) out += c
  }
  return out
}

/** A display-name phrase: quotes removed, quoted-pairs undone, encoded-words decoded. */
function phrase (s: string): string {
  const unquoted = s.trim().replace(/"((?:[^"\\]|\\.)*)"/g, (_m, inner: string) => inner.replace(/\\(.)/g, '$1'))
  return decodeEncodedWords(unquoted.replace(/\s+/g, ' ').trim())
}

/** A URI-like bare address (`tel:+1555`, `sip:a@b`): a scheme then a non-space character. */
const URI_ADDRESS = /^[a-z][a-z0-9+.-]*:[^\s;,]/i

function mailbox (text: string): EnvelopeAddress | undefined {
  const t = stripComments(text).trim()
  if (t === '') return undefined
  const lt = t.indexOf('<')
  const gt = t.lastIndexOf('>')
  if (lt >= 0 && gt > lt) {
    const name = phrase(t.slice(0, lt))
    const address = t.slice(lt + 1, gt).trim()
    return { name: name === '' ? undefined : name, address: address === '' ? undefined : address }
  }
  return { name: undefined, address: t.replace(/\s+/g, '') }
}

/** Every address of one address-list field value; group names are dropped, their members kept. */
export function parseAddressList (value: string): EnvelopeAddress[] {
  const out: EnvelopeAddress[] = []
  for (let item of splitTopLevel(value, ',')) {
    item = item.trim()
    // Group syntax `display-name ":" [group-list] ";"` (RFC 5322 section 3.4), but not a URI.
    const bare = stripComments(item).trim()
    const colon = bare.indexOf(':')
    const lt = bare.indexOf('<')
    if (colon > 0 && (lt < 0 || colon < lt) && !URI_ADDRESS.test(bare)) {
      item = bare.slice(colon + 1)
    }
    item = item.replace(/;\s*$/, '')
    const m = mailbox(item)
    if (m !== undefined) out.push(m)
  }
  return out
}
