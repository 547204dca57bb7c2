/**
 * In-process TrackerStore (single instance, nothing survives a restart), with the same
 * semantics as the Redis one: every test of the tracker logic runs against both.
 */
import {
  applyEntry, type CorrelationNote, type DeletionNote, type FlagSnapshot, type LogEntry, type StoredTombstone,
  type TrackedFolder,
  type TrackerCommit, type TrackerHead, type TrackerStore
} from './tracker-store.js'

/** The head's fields, with the folders by id, and what the Redis store keeps beside it. */
interface BoxState extends Omit<TrackerHead, 'folders'> {
  folders: Map<string, TrackedFolder>
  log: LogEntry[]
  snapshots: Array<{ seq: number, folders: TrackedFolder[] }>
  tombstones: StoredTombstone[]
  flagSnapshots: Map<string, FlagSnapshot>
  notes: Map<string, DeletionNote>
  correlations: Map<string, CorrelationNote>
}

/** The box sequence counter, shared with the in-process folder registry. */
export interface SeqCounter {
  next(boxId: string): number
}

export class MemoryTrackerStore implements TrackerStore {
  private readonly boxes = new Map<string, BoxState>()

  constructor (private readonly counter: SeqCounter) {}

  private state (boxId: string): BoxState | undefined {
    return this.boxes.get(boxId)
  }

  private ensure (boxId: string): BoxState {
    let s = this.boxes.get(boxId)
    if (s === undefined) {
      s = {
        epoch: '',
        seq: 0,
        floor: 0,
        snapshotSeq: 0,
        sinceSnapshot: 0,
        trimmedAt: 0,
        folders: new Map(),
        log: [],
        snapshots: [],
        tombstones: [],
        flagSnapshots: new Map(),
        notes: new Map(),
        correlations: new Map()
      }
      this.boxes.set(boxId, s)
    }
    return s
  }

  async tracked (boxId: string): Promise<boolean> {
    return (this.state(boxId)?.seq ?? 0) > 0
  }

  async head (boxId: string): Promise<TrackerHead | undefined> {
    const s = this.state(boxId)
    if (s === undefined || s.seq === 0) return undefined
    return {
      epoch: s.epoch,
      seq: s.seq,
      floor: s.floor,
      snapshotSeq: s.snapshotSeq,
      sinceSnapshot: s.sinceSnapshot,
      trimmedAt: s.trimmedAt,
      folders: [...s.folders.values()].map((f) => structuredClone(f))
    }
  }

  async commit (boxId: string, c: TrackerCommit): Promise<number | undefined> {
    if ((this.state(boxId)?.seq ?? 0) !== c.expectedSeq) return undefined
    const s = this.ensure(boxId)
    if (s.seq === 0) {
      s.epoch = c.epoch
      s.trimmedAt = c.at
    }
    const seq = this.counter.next(boxId)
    const entry: LogEntry = {
      seq, at: c.at, upserts: structuredClone(c.upserts), removed: [...c.removed], reset: c.reset
    }
    applyEntry(s.folders, entry)
    for (const id of c.removed) s.flagSnapshots.delete(id)
    for (const [id, snap] of c.snapshots) s.flagSnapshots.set(id, structuredClone(snap))
    s.log.push(entry)
    for (const t of c.tombstones) s.tombstones.push({ ...structuredClone(t), seq, at: c.at })
    if (c.fullSnapshot) {
      s.snapshots.push({ seq, folders: [...s.folders.values()].map((f) => structuredClone(f)) })
      s.snapshotSeq = seq
      s.sinceSnapshot = 0
    } else {
      s.sinceSnapshot++
    }
    s.seq = seq
    return seq
  }

  async vectorAt (boxId: string, seq: number): Promise<Map<string, TrackedFolder> | undefined> {
    const s = this.state(boxId)
    if (s === undefined || seq < s.floor || seq > s.seq) return undefined
    const snap = [...s.snapshots].reverse().find((x) => x.seq <= seq)
    if (snap === undefined) return undefined
    const vector = new Map(snap.folders.map((f) => [f.id, structuredClone(f)]))
    for (const e of s.log) if (e.seq > snap.seq && e.seq <= seq) applyEntry(vector, structuredClone(e))
    return vector
  }

  async entryAfter (boxId: string, seq: number): Promise<LogEntry | undefined> {
    const e = this.state(boxId)?.log.find((x) => x.seq > seq)
    return e === undefined ? undefined : structuredClone(e)
  }

  async entries (boxId: string, from: number, to: number): Promise<LogEntry[]> {
    return (this.state(boxId)?.log ?? []).filter((e) => e.seq > from && e.seq <= to).map((e) => structuredClone(e))
  }

  async tombstones (boxId: string, from: number, to: number): Promise<StoredTombstone[]> {
    const all = this.state(boxId)?.tombstones ?? []
    return all.filter((t) => t.seq > from && t.seq <= to).map((t) => structuredClone(t))
  }

  async recentTombstones (boxId: string, limit: number): Promise<StoredTombstone[]> {
    return [...(this.state(boxId)?.tombstones ?? [])].reverse().slice(0, limit).map((t) => structuredClone(t))
  }

  async flagSnapshots (boxId: string, folderIds: readonly string[]): Promise<Map<string, FlagSnapshot>> {
    const out = new Map<string, FlagSnapshot>()
    const s = this.state(boxId)
    for (const id of folderIds) {
      const snap = s?.flagSnapshots.get(id)
      if (snap !== undefined) out.set(id, structuredClone(snap))
    }
    return out
  }

  async trim (boxId: string, before: number, now: number): Promise<void> {
    const s = this.state(boxId)
    if (s === undefined) return
    s.trimmedAt = now
    const firstRecent = s.log.find((e) => e.at >= before)
    // The newest entry whose successor is older than the window: tokens before it are expired.
    const floorEntry = [...s.log].reverse().find((e) => firstRecent === undefined || e.seq < firstRecent.seq)
    if (floorEntry === undefined || floorEntry.seq <= s.floor) return
    const vector = await this.vectorAt(boxId, floorEntry.seq)
    if (vector === undefined) return
    const later = s.snapshots.filter((x) => x.seq > floorEntry.seq)
    s.snapshots = [{ seq: floorEntry.seq, folders: [...vector.values()] }, ...later]
    s.floor = floorEntry.seq
    s.log = s.log.filter((e) => e.seq > floorEntry.seq)
    s.tombstones = s.tombstones.filter((t) => t.seq > floorEntry.seq)
  }

  async noteDeletions (boxId: string, notes: readonly DeletionNote[]): Promise<void> {
    // Notes may come before the box's first commit.
    const s = this.ensure(boxId)
    for (const n of notes) s.notes.set(n.folderId, structuredClone(n))
  }

  async deletionNotes (boxId: string, folderIds: readonly string[]): Promise<Map<string, DeletionNote>> {
    const out = new Map<string, DeletionNote>()
    const s = this.state(boxId)
    for (const id of folderIds) {
      const n = s?.notes.get(id)
      if (n !== undefined) out.set(id, structuredClone(n))
    }
    return out
  }

  async dropDeletionNotes (boxId: string, folderIds: readonly string[]): Promise<void> {
    const s = this.state(boxId)
    for (const id of folderIds) s?.notes.delete(id)
  }

  async dropDeletionNotesBefore (boxId: string, before: number): Promise<void> {
    const s = this.state(boxId)
    for (const [id, n] of s?.notes ?? []) if (n.at < before) s?.notes.delete(id)
    for (const [id, n] of s?.correlations ?? []) if (n.at < before) s?.correlations.delete(id)
  }

  async noteCorrelations (boxId: string, notes: readonly CorrelationNote[]): Promise<void> {
    const s = this.ensure(boxId)
    for (const n of notes) s.correlations.set(n.objectId, structuredClone(n))
  }

  async correlations (boxId: string, objectIds: readonly string[]): Promise<Map<string, CorrelationNote>> {
    const out = new Map<string, CorrelationNote>()
    const s = this.state(boxId)
    for (const id of objectIds) {
      const n = s?.correlations.get(id)
      if (n !== undefined) out.set(id, structuredClone(n))
    }
    return out
  }

  async dropCorrelations (boxId: string, objectIds: readonly string[]): Promise<void> {
    const s = this.state(boxId)
    for (const id of objectIds) s?.correlations.delete(id)
  }
}
