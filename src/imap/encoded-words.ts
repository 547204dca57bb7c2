/**
 * Text decoding for header values and text parts: RFC 2047 encoded-words (libmime, the decoder
 * imapflow and mailparser use) and charsets of text parts (the WHATWG TextDecoder: Node's full
 * ICU knows the IANA charsets mail uses). Pure.
 */
import { TextDecoder } from 'node:util'
import libmime from 'libmime'

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

/**
 * Replaces the encoded-words of an unstructured header value by their text. Whitespace between
 * two adjacent encoded-words is dropped (RFC 2047 section 6.2), and adjacent words of the same
 * charset and encoding are decoded together so a multi-byte character split across words
 * survives. Unknown charsets fall back to UTF-8; an RFC 2231 section 5 `*lang` suffix is ignored.
 */
export function decodeEncodedWords (value: string): string {
  return value.includes('=?') ? libmime.decodeWords(value) : value
}
