/**
 * NMS folder paths (nms-spec-digest.md section 0.2; architecture.md section 3): the chain of
 * folder names from the top, each preceded by `/`. A folder's path is `/` + its IMAP mailbox
 * path with the server's hierarchy delimiter replaced by `/`; `/INBOX/Work` is the IMAP mailbox
 * `INBOX/Work` (or `INBOX.Work` on a server whose delimiter is `.`).
 */

/** Longest path accepted in a request; far above what any IMAP server stores. */
const MAX_PATH_LENGTH = 8192

/** C0 and C1 controls, DEL, and the Unicode line/paragraph separators. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** A UTF-16 surrogate without its partner: such a string has no UTF-8 form. */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * Splits a request path into folder names, strictly: it must start with `/`, have no empty
 * segment (`/a//b`), no trailing `/`, and no control characters. Returns null when malformed.
 * Names are not checked against the creation rules, so folders made by other IMAP clients with
 * unusual names can still be looked up.
 */
export function parseNmsPath (path: string): string[] | null {
  if (path.length < 2 || path.length > MAX_PATH_LENGTH || !path.startsWith('/')) return null
  if (CONTROL_CHARS.test(path) || LONE_SURROGATE.test(path)) return null
  const segments = path.slice(1).split('/')
  return segments.every((s) => s !== '') ? segments : null
}

/** The NMS path of a folder from its names. */
export function nmsPathOf (segments: readonly string[]): string {
  return `/${segments.join('/')}`
}

/** The IMAP mailbox path of a folder from its names. */
export function imapPathOf (segments: readonly string[], delimiter: string): string {
  return segments.join(delimiter)
}

/**
 * True when `a` and `b` name the same folder. Only the top-level `INBOX` is case-insensitive
 * (RFC 3501 section 5.1); every other name compares exactly.
 */
export function sameSegments (a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  return a.every((s, i) => i === 0 ? canonicalTop(s) === canonicalTop(b[0] as string) : s === b[i])
}

/** `INBOX` in any case becomes `INBOX`; any other top-level name stays as it is. */
export function canonicalTop (name: string): string {
  return name.toUpperCase() === 'INBOX' ? 'INBOX' : name
}

/** A lookup key for a path that honours INBOX's case-insensitivity. */
export function pathKey (segments: readonly string[]): string {
  return segments.map((s, i) => (i === 0 ? canonicalTop(s) : s)).join('\u0000')
}
