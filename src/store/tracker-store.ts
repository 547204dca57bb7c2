/**
 * Per-box change-tracking state (architecture.md section 4): what the tracker knows of every
 * folder at the box's current sequence, the folder-state log that lets a restart token be
 * resolved back to the folder vector it was issued at, periodic full snapshots of that vector,
 * and the tombstones deletions need. Memory per box is O(folders + changes within retention):
 * nothing is stored per message, except the compact flag snapshots of servers without
 * CONDSTORE/QRESYNC (see {@link FlagSnapshot}).
 *
 * Sequence numbers come from the same strictly increasing box counter as folder `lastModSeq`
 * (FolderRegistryStore.nextSeq), so every position is unique within the box's epoch.
 */

/** What the tracker knows of one folder at a box sequence. */
export interface TrackedFolder {
  /** Gateway folderId (FolderRecord.id). */
  id: string
  /** IMAP path with the server delimiter. */
  path: string
  /** Parent folderId; absent for top-level folders. */
  parentId?: string
  /** UIDVALIDITY as a decimal string; `0` for a `\Noselect` folder. */
  uidValidity: string
  /** HIGHESTMODSEQ (RFC 7162) as a decimal string; `0` when the server reports none. */
  highestModseq: string
  /** UIDNEXT: every UID at or above it is newer than this state. */
  uidNext: number
  /** MESSAGES at this state. */
  messages: number
  /** The folder's lastModSeq (registry) at this state. */
  lastModSeq: number
  /** Digest of the folder's flag snapshot (snapshot mode only); tells replay the folder moved. */
  digest?: string
}

/**
 * The messages and flags of one folder, for servers without QRESYNC (architecture.md section 4,
 * "Without CONDSTORE/QRESYNC"): RFC 3501 sequence-sets, which stay short for the dense UID
 * ranges mail folders have. This is the one O(messages) structure, kept only in that mode.
 */
export interface FlagSnapshot {
  /** Every UID of the folder. */
  uids: string
  /** Lower-case flag -> the UIDs carrying it. */
  flags: Record<string, string>
}

/** A deleted object, kept for the retention window so replays can report the deletion. */
export interface Tombstone {
  objectId: string
  folderId: string
  /** MODSEQ of the deletion (the folder's HIGHESTMODSEQ after it), when the server has MODSEQ. */
  lastModSeq?: string
  correlationId?: string
  correlationTag?: string
}

/** A tombstone with the position and time it was recorded at. */
export interface StoredTombstone extends Tombstone {
  seq: number
  /** Epoch milliseconds. */
  at: number
}

/** One entry of the folder-state log: what one commit changed. */
export interface LogEntry {
  seq: number
  /** Epoch milliseconds of the commit. */
  at: number
  /** New state of the folders that changed. */
  upserts: TrackedFolder[]
  /** Ids of the folders that went away. */
  removed: string[]
  /** True when the commit reset the box (a `resetBox` event). */
  reset: boolean
}

/** The tracker's current state of a box. */
export interface TrackerHead {
  /** Random per-box epoch, fixed when the box is first tracked; a new one invalidates every token. */
  epoch: string
  /** Position of the current state (the seq of the last commit). */
  seq: number
  /** Tokens below this position are older than the retention window. */
  floor: number
  /** Seq of the newest full snapshot. */
  snapshotSeq: number
  /** Commits since that snapshot. */
  sinceSnapshot: number
  /** Epoch ms of the last retention trim. */
  trimmedAt: number
  /** Every tracked folder. */
  folders: TrackedFolder[]
}

/** What one sync writes. */
export interface TrackerCommit {
  /** `head.seq` the commit was computed from (0 for the first); a moved head refuses it. */
  expectedSeq: number
  /** Epoch to set when the box has none yet. */
  epoch: string
  /** Epoch milliseconds. */
  at: number
  upserts: TrackedFolder[]
  removed: string[]
  /** Flag snapshots to store (snapshot mode), by folderId. */
  snapshots: Map<string, FlagSnapshot>
  tombstones: Tombstone[]
  reset: boolean
  /** Also write a full snapshot of the folder vector at the new seq. */
  fullSnapshot: boolean
}

/** The folders of a gateway-initiated folder delete, noted before the IMAP DELETE. */
export interface DeletionNote {
  folderId: string
  /** Epoch ms when noted (stale notes of a delete that failed are ignored). */
  at: number
  uidValidity: string
  /** Sequence-set of the UIDs the folder held. */
  uids: string
  /** HIGHESTMODSEQ just before the delete. */
  highestModseq: string
}

/** What a deletion by the gateway knew of the object (noted before the IMAP command). */
export interface CorrelationNote {
  objectId: string
  correlationId?: string
  correlationTag?: string
  /** Epoch ms when noted. */
  at: number
}

export interface TrackerStore {
  /** True once the box has a tracked state (its first commit). */
  tracked(boxId: string): Promise<boolean>
  /** The box's current state; undefined before its first commit. */
  head(boxId: string): Promise<TrackerHead | undefined>
  /** Atomically applies `c` at a new seq; undefined when `expectedSeq` is no longer the head. */
  commit(boxId: string, c: TrackerCommit): Promise<number | undefined>
  /** The folder vector at `seq` (a snapshot plus the log); undefined when it cannot be resolved. */
  vectorAt(boxId: string, seq: number): Promise<Map<string, TrackedFolder> | undefined>
  /** The first log entry after `seq`. */
  entryAfter(boxId: string, seq: number): Promise<LogEntry | undefined>
  /** Log entries with `from < seq <= to`, ascending. */
  entries(boxId: string, from: number, to: number): Promise<LogEntry[]>
  /** Tombstones with `from < seq <= to`, ascending. */
  tombstones(boxId: string, from: number, to: number): Promise<StoredTombstone[]>
  /** The newest tombstones, newest first. */
  recentTombstones(boxId: string, limit: number): Promise<StoredTombstone[]>
  /** Flag snapshots (snapshot mode) of the given folders. */
  flagSnapshots(boxId: string, folderIds: readonly string[]): Promise<Map<string, FlagSnapshot>>
  /**
   * Drops what is older than the retention window: tokens whose successor entry was committed
   * before `before` (epoch ms) become unreplayable (their seq falls below the floor).
   */
  trim(boxId: string, before: number, now: number): Promise<void>
  /** Notes folders about to be deleted by the gateway, so their objects' deletions can be reported. */
  noteDeletions(boxId: string, notes: readonly DeletionNote[]): Promise<void>
  /** The notes of these folders. */
  deletionNotes(boxId: string, folderIds: readonly string[]): Promise<Map<string, DeletionNote>>
  /** Forgets the notes of these folders (once their deletion is committed). */
  dropDeletionNotes(boxId: string, folderIds: readonly string[]): Promise<void>
  /** Forgets notes (deletion and correlation notes) taken before `before` (epoch ms). */
  dropDeletionNotesBefore(boxId: string, before: number): Promise<void>
  /**
   * Notes the correlationId/correlationTag of objects the gateway is about to delete or move,
   * so their deletedObject events (and tombstones) can carry them (digest 2.17, 3.3).
   */
  noteCorrelations(boxId: string, notes: readonly CorrelationNote[]): Promise<void>
  /** The correlation notes of these objects. */
  correlations(boxId: string, objectIds: readonly string[]): Promise<Map<string, CorrelationNote>>
  /** Forgets the correlation notes of these objects. */
  dropCorrelations(boxId: string, objectIds: readonly string[]): Promise<void>
}

/** Applies a log entry to a folder vector (in place). */
export function applyEntry (vector: Map<string, TrackedFolder>, e: Pick<LogEntry, 'upserts' | 'removed'>): void {
  for (const id of e.removed) vector.delete(id)
  for (const f of e.upserts) vector.set(f.id, f)
}
