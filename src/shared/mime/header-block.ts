/**
 * The one header-block parser (RFC 5322 section 2.2): for IMAP `HEADER.FIELDS` answers on the
 * read path and for the part headers of a created object's multipart payload. libmime's
 * `decodeHeaders` is not used: it groups fields by name (losing their order, which a verbatim
 * copy of part headers keeps) and always collapses a fold to one space, where RFC 5322 section
 * 2.2.3 unfolding removes only the CRLF.
 */

/** One header field: lower-case name, unfolded and trimmed value (not decoded). */
export interface HeaderField {
  name: string
  value: string
}

/** How folded lines are joined. */
export interface UnfoldOptions {
  /**
   * Replace each fold and the white space around it by one space, instead of removing only the
   * CRLF (RFC 5322 section 2.2.3). Form-data part headers have always been read this way.
   */
  collapseFolds?: boolean
}

/**
 * Parses a header block (up to, without, the blank line) into its fields, in order. A line that
 * starts with white space continues the field before it; a line without a colon, or whose name
 * contains white space, is skipped together with its continuation lines. Header bytes outside
 * ASCII are read as UTF-8 (RFC 6532; RFC 7578 section 5.1 file names).
 */
export function parseHeaderBlock (block: Buffer | string, options: UnfoldOptions = {}): HeaderField[] {
  const text = typeof block === 'string' ? block : block.toString('utf8')
  const logical: string[] = []
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && logical.length > 0) logical[logical.length - 1] += `\r\n${line}`
    else logical.push(line)
  }
  const fields: HeaderField[] = []
  for (const folded of logical) {
    const line = options.collapseFolds === true ? folded.replace(/[ \t]*\r\n[ \t]*/g, ' ') : folded.replace(/\r\n/g, '')
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    if (name === '' || /\s/.test(name)) continue
    fields.push({ name, value: line.slice(colon + 1).trim() })
  }
  return fields
}

/** The first value of header `name` (lower case), if any. */
export function headerValue (fields: readonly HeaderField[], name: string): string | undefined {
  return fields.find((f) => f.name === name)?.value
}
