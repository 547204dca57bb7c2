/**
 * Text decoding for header values and text parts: RFC 2047 encoded-words and charsets. Uses
 * the WHATWG TextDecoder (Node's full ICU knows the IANA charsets mail uses). Pure.
 */
import { TextDecoder } from 'node:util'

/** Decodes `bytes` in `charset`; unknown charsets fall back to UTF-8 (malformed bytes become U+FFFD). */
export function decodeCharset (bytes: Uint8Array, charset: string | undefined): string {
  const label = (charset ?? 'utf-8').trim().toLowerCase()
  // RFC 2046 section 4.1.2: us-ascii is the default; decoding it as UTF-8 is a superset.
  const effective = label === '' || label === 'us-ascii' || label === 'ascii' ? 'utf-8' : label
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(effective)
  } catch {
    decoder = new TextDecoder('utf-8')
  }
  return decoder.decode(bytes)
}

/** RFC 2047 section 2: `=?charset?encoding?encoded-text?=` (RFC 2231 section 5 `*lang` allowed). */
const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([BbQq])\?([^?\s]*)\?=/g

/** The bytes of one encoded-word's text. */
function wordBytes (encoding: string, text: string): Buffer {
  if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64')
  // RFC 2047 section 4.2: `_` is space, `=XX` a byte.
  const out: number[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '_') out.push(0x20)
    else if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16))
      i += 2
    } else out.push(text.charCodeAt(i) & 0xff)
  }
  return Buffer.from(out)
}

/**
 * Replaces the encoded-words of an unstructured header value by their text. Whitespace between
 * two adjacent encoded-words is dropped (RFC 2047 section 6.2), and adjacent words of the same
 * charset are decoded together so a multi-byte character split across words survives.
 */
export function decodeEncodedWords (value: string): string {
  if (!value.includes('=?')) return value
  let out = ''
  let last = 0
  let pending: { charset: string, bytes: Buffer[] } | undefined
  const flush = (): void => {
    if (pending !== undefined) out += decodeCharset(Buffer.concat(pending.bytes), pending.charset)
    pending = undefined
  }
  for (const m of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, m.index)
    const charset = (m[1] ?? '').toLowerCase()
    const bytes = wordBytes(m[2] ?? 'Q', m[3] ?? '')
    if (pending !== undefined && /^[ \t\r\n]*$/.test(between)) {
      if (pending.charset !== charset) {
        flush()
        pending = { charset, bytes: [bytes] }
      } else pending.bytes.push(bytes)
    } else {
      flush()
      out += between
      pending = { charset, bytes: [bytes] }
    }
    last = m.index + m[0].length
  }
  flush()
  return out + value.slice(last)
}
