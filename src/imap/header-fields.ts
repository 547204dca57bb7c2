/**
 * Parses the answer to `BODY.PEEK[HEADER.FIELDS (...)]` (RFC 3501 section 6.4.5): header lines,
 * unfolded (RFC 5322 section 2.2.3), names lower-cased, every occurrence kept, encoded-words
 * decoded (RFC 2047). Pure.
 */
import { decodeEncodedWords } from './encoded-words.js'

/** Raw (unfolded, not decoded) values by lower-case name, in order of occurrence. */
export function rawHeaderFields (block: Buffer | string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>()
  if (block === undefined) return out
  // Header bytes outside ASCII are taken as UTF-8 (RFC 6532); anything else was meant to be
  // encoded-words anyway.
  const text = typeof block === 'string' ? block : block.toString('utf8')
  // A line starting with white space continues the previous field (folding).
  const unfolded = text.replace(/\r?\n(?=[ \t])/g, '')
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    if (name === '' || /\s/.test(name)) continue
    const value = line.slice(colon + 1).trim()
    const list = out.get(name)
    if (list === undefined) out.set(name, [value])
    else list.push(value)
  }
  return out
}

/** The fields of `block` among `wanted` (case-insensitive), values decoded. */
export function headerFields (block: Buffer | string | undefined, wanted: readonly string[]): Record<string, string[]> {
  const raw = rawHeaderFields(block)
  const out: Record<string, string[]> = {}
  for (const name of new Set(wanted.map((n) => n.toLowerCase()))) {
    const values = raw.get(name)
    if (values !== undefined) out[name] = values.map(decodeEncodedWords)
  }
  return out
}
