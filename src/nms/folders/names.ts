/**
 * Which folder names the gateway will create or rename to (nms-spec-digest.md section 0.2;
 * issue 2 item 9). A name must survive the trip into an IMAP command unchanged and must not be
 * able to change that command's meaning. Refused:
 *
 * - empty, `.` and `..` (path traversal on file-backed stores such as maildir);
 * - `/` (the NMS hierarchy delimiter) and the server's own delimiter;
 * - control characters (CR and LF would end the IMAP command line, NUL is not allowed in IMAP
 *   strings at all, RFC 3501 section 4.3);
 * - `*` and `%`, the LIST wildcards (RFC 3501 section 6.3.8): a mailbox so named cannot be
 *   listed unambiguously;
 * - leading or trailing white space (invisible, and trimmed by many clients);
 * - a lone UTF-16 surrogate (no UTF-8 form), more than 255 UTF-8 bytes, or more than 255
 *   characters in the modified UTF-7 form IMAP sends (RFC 3501 section 5.1.3), which
 *   file-backed stores such as Dovecot's maildir keep as a file name: 127 `é` are 254 UTF-8
 *   bytes but 346 characters of modified UTF-7, which Dovecot refuses with [CANNOT].
 *
 * Quotes, backslashes and non-ASCII are allowed: the IMAP layer sends them as quoted strings,
 * literals or modified UTF-7 (RFC 3501 section 5.1.3), never raw.
 */
import { CONTROL_CHARS, LONE_SURROGATE } from '../paths.js'

/** Largest name in UTF-8 bytes (a common file-system component limit, and Dovecot's). */
export const MAX_NAME_BYTES = 255

/**
 * Length of `name` in modified UTF-7 (RFC 3501 section 5.1.3): printable ASCII stands for
 * itself (`&` becomes `&-`), every other run becomes `&` + modified base64 of its UTF-16 + `-`.
 */
export function modifiedUtf7Length (name: string): number {
  let length = 0
  let run = 0
  const flush = (): void => {
    if (run > 0) length += 2 + Math.ceil((run * 2 * 8) / 6)
    run = 0
  }
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c >= 0x20 && c <= 0x7e) {
      flush()
      length += c === 0x26 ? 2 : 1
    } else {
      run++
    }
  }
  flush()
  return length
}

/** Returns why `name` is refused, or undefined when it is acceptable. */
export function folderNameProblem (name: string, delimiter: string): string | undefined {
  if (name === '') return 'empty'
  if (name === '.' || name === '..') return 'dot segment'
  if (name.includes('/')) return 'contains /'
  if (delimiter !== '' && name.includes(delimiter)) return 'contains the hierarchy delimiter'
  if (CONTROL_CHARS.test(name)) return 'contains a control character'
  if (name.includes('*') || name.includes('%')) return 'contains a LIST wildcard'
  if (/^\s|\s$/u.test(name)) return 'leading or trailing white space'
  if (LONE_SURROGATE.test(name)) return 'not valid Unicode'
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) return `longer than ${MAX_NAME_BYTES} bytes`
  if (modifiedUtf7Length(name) > MAX_NAME_BYTES) return `longer than ${MAX_NAME_BYTES} characters in modified UTF-7`
  return undefined
}
