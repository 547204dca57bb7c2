/**
 * A small, lenient MIME multipart splitter (RFC 2046 section 5.1.1) over a buffered body, used
 * for the `multipart/form-data` of object creation (RFC 7578) and for the nested
 * `multipart/mixed` / `multipart/related` payloads inside it.
 *
 * Why not busboy (@fastify/multipart): it drops every part whose Content-Disposition type is
 * not `form-data` (the NMS TS examples write `multipart/form-data; name="attachments"`), cannot
 * read typographic quotes, and strips the Content-Type parameters, losing the boundary of a
 * nested multipart payload (nms-spec-digest.md R1). The body is buffered anyway: IMAP APPEND
 * needs the whole message (RFC 3501 section 6.3.11 literal), and fastify's bodyLimit caps it.
 *
 * Leniency: delimiter lines may end in LF alone, and transport padding after a delimiter is
 * skipped. A missing close delimiter ends the last part at the end of the body.
 */
import { parseHeaderBlock, type HeaderField } from '../../shared/mime/header-block.js'

/** One body part as it appeared between two delimiters. */
export interface MimePart {
  /** Its header fields, folds collapsed to one space. */
  headers: HeaderField[]
  /** The part's content, after the blank line. */
  body: Buffer
  /** Header block and body exactly as received (what a verbatim copy must write). */
  raw: Buffer
}

const CRLF = Buffer.from('\r\n')

/** The header fields of a part's header block (UTF-8 also carries typographic quotes). */
function partHeaders (block: Buffer): HeaderField[] {
  return parseHeaderBlock(block, { collapseFolds: true })
}

/** Splits a part into header block and body at the first blank line. */
function splitPart (raw: Buffer): MimePart {
  // A part that starts with a blank line has no headers (RFC 2046: default text/plain).
  if (raw.subarray(0, 2).equals(CRLF)) return { headers: [], body: raw.subarray(2), raw }
  if (raw[0] === 0x0a) return { headers: [], body: raw.subarray(1), raw }
  const crlf = raw.indexOf('\r\n\r\n')
  const lf = raw.indexOf('\n\n')
  let end: number
  let skip: number
  if (crlf >= 0 && (lf < 0 || crlf < lf)) {
    end = crlf
    skip = 4
  } else if (lf >= 0) {
    end = lf
    skip = 2
  } else {
    // Headers only, no body.
    return { headers: partHeaders(raw), body: Buffer.alloc(0), raw }
  }
  return { headers: partHeaders(raw.subarray(0, end)), body: raw.subarray(end + skip), raw }
}

/** Index of the next delimiter line `--boundary` that starts a line, at or after `from`. */
function findDelimiter (body: Buffer, delimiter: Buffer, from: number): number {
  let at = body.indexOf(delimiter, from)
  while (at >= 0) {
    if (at === 0 || body[at - 1] === 0x0a) return at
    at = body.indexOf(delimiter, at + 1)
  }
  return -1
}

/**
 * Splits a multipart body into its parts; returns null when the boundary never occurs.
 * The line break before each delimiter belongs to the delimiter (RFC 2046), not the part.
 */
export function parseMultipart (body: Buffer, boundary: string): MimePart[] | null {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1')
  let at = findDelimiter(body, delimiter, 0)
  if (at < 0) return null
  const parts: MimePart[] = []
  for (;;) {
    let start = at + delimiter.length
    if (body[start] === 0x2d && body[start + 1] === 0x2d) return parts
    // Skip transport padding and the line break that ends the delimiter line.
    const eol = body.indexOf(0x0a, start)
    if (eol < 0) return parts
    start = eol + 1
    const next = findDelimiter(body, delimiter, start)
    let end = next < 0 ? body.length : next
    if (next >= 0) {
      if (body[end - 1] === 0x0a) end--
      if (body[end - 1] === 0x0d) end--
    }
    parts.push(splitPart(body.subarray(start, Math.max(start, end))))
    if (next < 0) return parts
    at = next
  }
}

/** A header value split into its main value and parameters (RFC 2045 section 5.1). */
export interface StructuredValue {
  /** Lower case, trimmed. */
  value: string
  /** Parameter names lower case; quotes (also typographic ones) removed. */
  params: Record<string, string>
}

/**
 * Parses `type/subtype; a=b; c="d"` leniently: `;` inside quotes is kept, typographic quotes
 * count as quotes (nms-spec-digest.md R1), and a parameter without `=` is ignored.
 */
export function parseStructured (header: string): StructuredValue {
  const pieces: string[] = []
  let cur = ''
  let quote: string | undefined
  for (const ch of header) {
    if (quote !== undefined) {
      if (ch === quote || (quote === '\u201c' && ch === '\u201d')) quote = undefined
      cur += ch
    } else if (ch === '"' || ch === '\u201c' || ch === '\u201d') {
      quote = ch === '\u201d' ? '\u201d' : ch
      cur += ch
    } else if (ch === ';') {
      pieces.push(cur)
      cur = ''
    } else {
      cur += ch
    }
  }
  pieces.push(cur)
  const params: Record<string, string> = {}
  for (const p of pieces.slice(1)) {
    const eq = p.indexOf('=')
    if (eq <= 0) continue
    const name = p.slice(0, eq).trim().toLowerCase()
    let v = p.slice(eq + 1).trim()
    v = v.replace(/^["\u201c\u201d]/, '').replace(/["\u201c\u201d]$/, '')
    if (name !== '' && !(name in params)) params[name] = v.replace(/\\(.)/g, '$1')
  }
  return { value: (pieces[0] ?? '').trim().toLowerCase(), params }
}
