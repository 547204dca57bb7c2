/**
 * Flag names between NMS and IMAP (architecture.md section 3, row "flags"). NMS clients send
 * flags as text (`\Seen`, `$Foo`); IMAP carries them as atoms (RFC 3501 section 9: `flag`,
 * `flag-keyword = atom`), which imapflow writes unquoted. So every name is checked here before
 * it can reach the wire. Pure.
 */
import { GatewayError } from '../errors/gateway-error.js'

/** RFC 3501 section 2.3.2 system flags, canonically spelled. `\Recent` is session-only: never stored. */
const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft']

/**
 * RFC 3501 section 9: `atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards /
 * quoted-specials / resp-specials`, plus `\` (only allowed as the system-flag prefix) and
 * non-ASCII (atoms are ASCII; RFC 6855 UTF8 does not extend to keywords).
 */
// eslint-disable-next-line no-control-regex
const NOT_ATOM_CHAR = /[(){ %*"\\\]\x00-\x1f\x7f-\uffff]/

/**
 * The IMAP spelling of an NMS flag: system flags matched case-insensitively and canonically
 * spelled, keywords kept as given. Throws GW_ERR_INPUT_INVALID ('flag') for names IMAP cannot
 * carry: empty, atom-specials, CTL, space, non-ASCII, `\Recent`, unknown `\Xyz` system flags.
 */
export function imapFlag (flag: string): string {
  if (flag.startsWith('\\')) {
    const system = SYSTEM_FLAGS.find((f) => f.toLowerCase() === flag.toLowerCase())
    if (system !== undefined) return system
    throw invalidFlag(flag, 'not a storable system flag (RFC 3501 section 2.3.2)')
  }
  if (flag === '' || NOT_ATOM_CHAR.test(flag)) throw invalidFlag(flag, 'not an IMAP atom (RFC 3501 section 9)')
  return flag
}

/** {@link imapFlag} over a list, duplicates (case-insensitive for system flags) removed. */
export function imapFlags (flags: readonly string[]): string[] {
  return [...new Set(flags.map(imapFlag))]
}

/** Flags as the server reported them, without the session-only `\Recent` (RFC 3501 section 2.3.2). */
export function storedFlags (flags: Iterable<string> | undefined): string[] {
  return [...(flags ?? [])].filter((f) => f.toLowerCase() !== '\\recent')
}

function invalidFlag (flag: string, why: string): GatewayError {
  return new GatewayError('GW_ERR_INPUT_INVALID', { variables: ['flag'], detail: `flag ${JSON.stringify(flag)}: ${why}` })
}
