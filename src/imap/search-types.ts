/**
 * Search part of the IMAP port (architecture.md section 5): a small, closed query language the
 * NMS layer builds from SelectionCriteria, compiled to RFC 3501 section 6.4.4 SEARCH keys by
 * src/imap/search-command.ts. Every string travels as an IMAP quoted string or literal, never
 * spliced into the command text.
 */
import type { BoxAccess } from './box-access.js'

/**
 * One search key. Dates are calendar days (UTC); IMAP compares them "disregarding time and
 * timezone" (RFC 3501 section 6.4.4), so callers widen ranges by a day and post-filter.
 */
export type SearchKey =
  | { kind: 'all' }
  | { kind: 'none' }
  /** UIDs `from` and above. */
  | { kind: 'uidFrom', from: number }
  | { kind: 'since' | 'before' | 'sentSince' | 'sentBefore', day: Date }
  /** RFC 3501 HEADER: case-insensitive substring of the named field (decoded by the server). */
  | { kind: 'header', field: string, value: string }
  /** BODY (body only) or TEXT (header and body): case-insensitive substring. */
  | { kind: 'body' | 'text', value: string }
  /** A system flag (`\Seen` ...) or keyword, present (`set`) or absent. */
  | { kind: 'flag', flag: string, set: boolean }
  | { kind: 'and', keys: SearchKey[] }
  | { kind: 'or', keys: SearchKey[] }
  | { kind: 'not', key: SearchKey }

export interface SearchOptions {
  /** Expected UIDVALIDITY; a different one throws GW_ERR_NOT_FOUND. */
  uidValidity?: string | undefined
  /**
   * `uid`: ascending UIDs. `arrival`: ascending internal date, equal dates by ascending UID
   * (RFC 5256 SORT ARRIVAL where offered; otherwise the port fetches INTERNALDATE and sorts).
   */
  order: 'uid' | 'arrival'
}

export interface SearchResult {
  uidValidity: string
  uids: number[]
  /** True when the server sorted (RFC 5256 SORT), false when the gateway did. */
  serverSorted: boolean
}

/** Search operations of the IMAP port (mixed into ImapPort). */
export interface ImapSearchPort {
  /** UIDs of `path` matching `query`, in `opts.order`. */
  searchUids(box: BoxAccess, path: string, query: SearchKey, opts: SearchOptions): Promise<SearchResult>
}
