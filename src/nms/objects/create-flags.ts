/**
 * NMS flags given in a creation or bulkUpdate request, checked and spelled for IMAP
 * (architecture.md section 3: flags are IMAP system flags and keywords, 1:1).
 *
 * - System flags (RFC 3501 section 2.3.2) compare case-insensitively and go out canonical:
 *   `\SEEN` -> `\Seen`. `\Recent` is refused: only the server sets it.
 * - Keywords must be IMAP atoms (RFC 3501 section 9, `flag-keyword = atom`): printable ASCII
 *   without `(){ %*"\]` and without `\` (which would make it look like a system flag).
 */
import { invalidInput } from '../../errors/gateway-error.js'

const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft']

// ATOM-CHAR: any CHAR (%x01-7F) except atom-specials: ( ) { SP CTL % * " \ ]
const ATOM = /^[!#$&'+-[^-z|}~]+$/

/** The IMAP spelling of `flag`, or undefined when it cannot be stored. */
export function imapFlagName (flag: string): string | undefined {
  if (flag.startsWith('\\')) return SYSTEM_FLAGS.find((f) => f.toLowerCase() === flag.toLowerCase())
  return flag.length <= 255 && ATOM.test(flag) ? flag : undefined
}

/**
 * Checks and canonicalises a flag list, dropping case-insensitive duplicates.
 * @param where - names the list in the 400 (e.g. `object.flags.flag`).
 * @throws GatewayError 400 SVC0002 naming the first bad flag.
 */
export function imapFlags (flags: readonly string[], where: string): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  for (const f of flags) {
    const name = imapFlagName(f)
    if (name === undefined) throw invalidInput(`${where}: ${f}`)
    const key = name.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    out.push(name)
  }
  return out
}
