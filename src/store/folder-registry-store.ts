/**
 * Per-box folder-id registry (architecture.md section 3): IMAP 2.3 servers without OBJECTID
 * (RFC 8474) give no stable mailbox id, so the gateway assigns one per (mailbox path,
 * UIDVALIDITY) and keeps it across renames. O(folders) per box; nothing per message.
 *
 * Owned by the folders work; the shape below is the contract other parts rely on.
 */
export interface FolderRecord {
  /** Gateway-assigned folderId: opaque, URL-safe, never `operations`, never reused. */
  id: string
  /** IMAP mailbox path as the server names it (Unicode, server delimiter). */
  path: string
  /** UIDVALIDITY as a decimal string (`0` for a \Noselect mailbox). */
  uidValidity: string
  /** Box sequence at which the gateway last saw this folder change (folder `lastModSeq`). */
  lastModSeq: number
  /** When the gateway first saw the folder (ISO 8601); the folder `Date` attribute. */
  firstSeen: string
  /**
   * Client-assigned folder attributes given at creation (e.g. `Conversation-ID`,
   * nms-spec-digest.md sections 2.4 and 7.1). IMAP has no place for them on Dovecot without
   * METADATA, so they live with the id. Absent when there are none.
   */
  attributes?: FolderAttribute[]
}

/** One folder attribute: a case-insensitive name and its values (nms-spec-digest.md 2.4). */
export interface FolderAttribute {
  name: string
  value: string[]
}

export interface FolderRegistryStore {
  /** Every record of the box. */
  list(boxId: string): Promise<FolderRecord[]>
  /**
   * Inserts `rec` unless a record for the same (path, uidValidity) exists; returns the record
   * that is in the registry afterwards, so concurrent instances agree on one id.
   */
  claim(boxId: string, rec: FolderRecord): Promise<FolderRecord>
  /**
   * Replaces the record with the same id (rename, lastModSeq bump). Does nothing when no record
   * has that id any more (removed concurrently), so a removed id never comes back.
   */
  update(boxId: string, rec: FolderRecord): Promise<void>
  /** Removes records (deleted folders); their ids are never handed out again. */
  remove(boxId: string, ids: readonly string[]): Promise<void>
  /** Next value of the box sequence (strictly increasing, starts at 1). */
  nextSeq(boxId: string): Promise<number>
}
