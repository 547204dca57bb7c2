/**
 * Reads the answer to `BODY.PEEK[HEADER.FIELDS (...)]` (RFC 3501 section 6.4.5) with the shared
 * header-block parser: unfolded (RFC 5322 section 2.2.3), names lower-cased, every occurrence
 * kept, encoded-words decoded (RFC 2047). Pure.
 */
import { parseHeaderBlock } from '../shared/mime/header-block.js'
import { decodeEncodedWords } from './encoded-words.js'

/** Raw (unfolded, not decoded) values by lower-case name, in order of occurrence. */
export function rawHeaderFields (block: Buffer | string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>()
  if (block === undefined) return out
  for (const { name, value } of parseHeaderBlock(block)) {
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
