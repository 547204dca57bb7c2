/**
 * Object flags (nms-spec-digest.md 2.3, architecture.md section 3): IMAP system flags and
 * keywords 1:1, compared case-insensitively (RFC 3501 section 2.3.2), system flags spelled
 * canonically on output. `\Recent` is session state, never stored or reported.
 */

/** The RFC 3501 system flags a client may set, canonically spelled. */
export const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'] as const

/** RFC 3501 atom-specials plus `\` (only a system flag may start with it) and `]` (resp-specials). */
// eslint-disable-next-line no-control-regex -- CTLs are not allowed in an atom
const NOT_ATOM = /[\u0000-\u0020\u007f-\uffff(){%*"\\\]]/

/** The canonical spelling of a flag: system flags as in RFC 3501, keywords unchanged. */
export function canonicalFlag (flag: string): string {
  const lower = flag.toLowerCase()
  return SYSTEM_FLAGS.find((f) => f.toLowerCase() === lower) ?? flag
}

/**
 * The flag a client names, canonically spelled, or undefined when IMAP cannot store it: a
 * system flag other than the five settable ones (`\Recent` included), or a keyword that is not
 * an RFC 3501 atom.
 */
export function parseFlagName (name: string): string | undefined {
  if (name.startsWith('\\')) {
    const canon = canonicalFlag(name)
    return (SYSTEM_FLAGS as readonly string[]).includes(canon) ? canon : undefined
  }
  if (name === '' || name.length > 255 || NOT_ATOM.test(name)) return undefined
  return name
}

/** Flags for output: canonical spelling, no `\Recent`, duplicates (in any case) dropped. */
export function outputFlags (flags: readonly string[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const f of flags) {
    const canon = canonicalFlag(f)
    const key = canon.toLowerCase()
    if (key === '\\recent' || seen.has(key)) continue
    seen.add(key)
    out.push(canon)
  }
  return out
}

/** The flag of `flags` equal to `flag` ignoring case, as spelled in `flags`. */
export function findFlag (flags: readonly string[], flag: string): string | undefined {
  const key = flag.toLowerCase()
  return flags.find((f) => f.toLowerCase() === key)
}

/** True when both lists hold the same flags, ignoring case, order, duplicates and `\Recent`. */
export function sameFlagSet (a: readonly string[], b: readonly string[]): boolean {
  const ka = new Set(outputFlags(a).map((f) => f.toLowerCase()))
  const kb = new Set(outputFlags(b).map((f) => f.toLowerCase()))
  return ka.size === kb.size && [...ka].every((k) => kb.has(k))
}
