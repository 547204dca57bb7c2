/**
 * The IMAP port: what the rest of the gateway may ask of the IMAP server. Only src/imap
 * imports imapflow; everything else depends on these types (architecture.md section 2).
 *
 * Errors thrown by implementations are always GatewayErrors: GW_ERR_IMAP_UNAVAILABLE (503 with
 * Retry-After) when the server cannot be reached or the pool is exhausted,
 * GW_ERR_IMAP_LOGIN_REFUSED when the login for the box is refused, GW_ERR_IMAP_FAILED for
 * other NO/BAD answers, or a client error (e.g. GW_ERR_NOT_FOUND) where the answer maps to one.
 */
import type { BoxAccess } from './box-access.js'
import type { ImapChangePort } from './change-types.js'
import type { ImapMessagePort } from './message-types.js'
import type { ImapSearchPort } from './search-types.js'

export type * from './box-access.js'
export type * from './change-types.js'
export type * from './message-types.js'
export type * from './search-types.js'

export type StatusItem = 'messages' | 'unseen' | 'uidNext' | 'size' | 'highestModseq'

export interface MailboxStatus {
  /** Decimal string (IMAP UIDVALIDITY is a 32-bit unsigned value; kept as text like MODSEQ). */
  uidValidity: string
  uidNext?: number
  messages?: number
  unseen?: number
  size?: number
  /** Decimal string (RFC 7162 mod-sequences are 63-bit). */
  highestModseq?: string
}

export interface MailboxEntry {
  /** Full IMAP path, decoded to Unicode, with the server's delimiter. */
  path: string
  /** The server's hierarchy delimiter for this mailbox. */
  delimiter: string
  /** Path split on the delimiter. */
  segments: string[]
  /** RFC 6154 special use (`\Sent`, `\Trash`, ...), if any. */
  specialUse?: string | undefined
  /** LIST attributes as sent (`\HasChildren`, `\Noselect`, ...). */
  flags: string[]
  /** False for `\Noselect` / `\NonExistent` entries. */
  selectable: boolean
  /** STATUS of the mailbox; always present (with at least uidValidity) for selectable ones. */
  status?: MailboxStatus | undefined
}

export interface UidPage {
  uidValidity: string
  /** Ascending UIDs greater than the requested `afterUid`, at most `limit` of them. */
  uids: number[]
  /** True when more UIDs follow the last one returned. */
  more: boolean
}

/** The IMAP port: mailbox operations here, message operations in message-types.ts. */
export interface ImapPort extends ImapMessagePort, ImapSearchPort, ImapChangePort {
  /** Every mailbox of the box (LIST "" "*"), with STATUS items for the selectable ones. */
  listMailboxes(box: BoxAccess, status?: readonly StatusItem[]): Promise<MailboxEntry[]>
  /** The server's hierarchy delimiter for the box's personal namespace. */
  delimiter(box: BoxAccess): Promise<string>
  /** CREATE; returns the new mailbox with its status. */
  createMailbox(box: BoxAccess, path: string): Promise<MailboxEntry>
  /** DELETE of one mailbox (callers delete children first). */
  deleteMailbox(box: BoxAccess, path: string): Promise<void>
  /** RENAME (RFC 3501 renames inferior mailboxes too). */
  renameMailbox(box: BoxAccess, from: string, to: string): Promise<void>
  /** STATUS of one mailbox. */
  status(box: BoxAccess, path: string, items: readonly StatusItem[]): Promise<MailboxStatus>
  /** UIDs of a mailbox in ascending order, paged. */
  listUids(box: BoxAccess, path: string, page: { afterUid: number, limit: number }): Promise<UidPage>
  /** Resolves when the IMAP server greets (readiness); throws GW_ERR_IMAP_UNAVAILABLE otherwise. */
  ping(): Promise<void>
  /** Closes every connection. */
  close(): Promise<void>
  /** Connection counts of the session pool (tests, metrics). */
  stats?(): ImapPoolStats
}

export interface ImapPoolStats {
  /** Sessions open or being opened, all boxes. */
  total: number
  /** Sessions open or being opened, by IMAP user name. */
  perBox: Record<string, number>
  /** Callers waiting for a session. */
  waiting: number
}
