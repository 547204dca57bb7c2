/**
 * Pure conversions between imapflow's LIST/STATUS results and the ImapPort types
 * (src/imap/types.ts). UIDVALIDITY and MODSEQ arrive as bigint and leave as decimal strings.
 */
import type { ListResponse, StatusObject, StatusQuery } from 'imapflow'
import type { MailboxEntry, MailboxStatus, StatusItem } from './types.js'

/** The STATUS query for `items`; UIDVALIDITY is always asked for (folder ids depend on it). */
export function statusQuery (items: readonly StatusItem[] = []): StatusQuery {
  const q: StatusQuery = { uidValidity: true }
  for (const item of items) q[item] = true
  return q
}

/** imapflow's STATUS answer as a MailboxStatus; undefined when UIDVALIDITY is missing. */
export function toMailboxStatus (s: StatusObject | undefined): MailboxStatus | undefined {
  if (s === undefined || s.uidValidity === undefined) return undefined
  const out: MailboxStatus = { uidValidity: s.uidValidity.toString() }
  if (s.uidNext !== undefined) out.uidNext = s.uidNext
  if (s.messages !== undefined) out.messages = s.messages
  if (s.unseen !== undefined) out.unseen = s.unseen
  if (s.size !== undefined) out.size = s.size
  if (s.highestModseq !== undefined) out.highestModseq = s.highestModseq.toString()
  return out
}

/** RFC 3501 section 7.2.2 `\Noselect`, RFC 5258 section 3 `\NonExistent` (which implies it). */
export function isSelectable (flags: Iterable<string>): boolean {
  for (const f of flags) {
    const lower = f.toLowerCase()
    if (lower === '\\noselect' || lower === '\\nonexistent') return false
  }
  return true
}

/** Splits a path on the delimiter; a server without hierarchy (NIL delimiter) has one segment. */
export function splitPath (path: string, delimiter: string): string[] {
  return delimiter === '' ? [path] : path.split(delimiter)
}

/** RFC 6154 section 2 mailbox attributes (plus RFC 8457 `\\Important`). */
const SPECIAL_USE = ['\\All', '\\Archive', '\\Drafts', '\\Flagged', '\\Junk', '\\Sent', '\\Trash', '\\Important']

/**
 * The special-use attribute the server sent in the LIST flags, canonically spelled. Taken from
 * the flags rather than imapflow's `specialUse`, which also guesses from folder names, adds a
 * non-standard `\\Inbox` and gives each use to one mailbox only.
 */
export function specialUseOf (flags: Iterable<string>): string | undefined {
  for (const f of flags) {
    const found = SPECIAL_USE.find((u) => u.toLowerCase() === f.toLowerCase())
    if (found !== undefined) return found
  }
  return undefined
}

/** One LIST entry as a MailboxEntry. */
export function toMailboxEntry (e: ListResponse): MailboxEntry {
  const flags = [...e.flags]
  const selectable = isSelectable(flags)
  return {
    path: e.path,
    delimiter: e.delimiter,
    segments: splitPath(e.path, e.delimiter),
    specialUse: specialUseOf(flags),
    flags,
    selectable,
    status: selectable ? toMailboxStatus(e.status) : undefined
  }
}
