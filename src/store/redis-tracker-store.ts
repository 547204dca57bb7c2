/**
 * TrackerStore on Redis. Every key of a box carries the box hash tag (keys.ts), so the Lua
 * scripts (scripts/commit-tracker-change.lua, scripts/read-tracker-vector.lua) touch one slot and
 * run atomically (Redis Cluster included).
 *
 * MODSEQ values stay decimal strings inside the JSON; Lua never compares them as numbers (a
 * 63-bit MODSEQ exceeds a double's 2^53, style-and-layout.md section 4). Box sequence numbers
 * are Redis counters (INCR), exact up to 2^53 in Lua.
 */
import type { Keys } from './keys.js'
import type { ScriptedRedis } from './redis-scripts.js'
import { guarded } from './redis-guard.js'
import {
  applyEntry, type CorrelationNote, type DeletionNote, type FlagSnapshot, type LogEntry, type StoredTombstone,
  type TrackedFolder,
  type TrackerCommit, type TrackerHead, type TrackerStore
} from './tracker-store.js'

/** Log entries read per round trip while trimming. */
const TRIM_PAGE = 200

/** A TrackedFolder as stored (its own JSON, no extra fields). */
function folderJson (f: TrackedFolder): string {
  return JSON.stringify(f)
}

function tombstoneBody (t: StoredTombstone | Omit<StoredTombstone, 'seq' | 'at'>): string {
  const { objectId, folderId, lastModSeq, correlationId, correlationTag } = t
  // The seq and time are prefixed by the script; the object id keeps every member unique.
  return JSON.stringify({ objectId, folderId, lastModSeq, correlationId, correlationTag }).slice(1)
}

export class RedisTrackerStore implements TrackerStore {
  constructor (private readonly redis: ScriptedRedis, private readonly keys: Keys) {}

  async tracked (boxId: string): Promise<boolean> {
    return await guarded(async () => await this.redis.hexists(this.keys.trackerHead(boxId), 'epoch')) === 1
  }

  async head (boxId: string): Promise<TrackerHead | undefined> {
    // One MULTI: the head and the folders of the same commit.
    const [head, folders] = await guarded(async () => {
      const res = await this.redis.multi()
        .hgetall(this.keys.trackerHead(boxId))
        .hvals(this.keys.trackerFolders(boxId))
        .exec()
      const failed = res?.find(([err]) => err !== null)?.[0]
      if (failed !== undefined && failed !== null) throw failed
      return [(res?.[0]?.[1] ?? {}) as Record<string, string>, (res?.[1]?.[1] ?? []) as string[]] as const
    })
    const seq = Number(head.seq ?? '0')
    if (seq === 0 || head.epoch === undefined) return undefined
    return {
      epoch: head.epoch,
      seq,
      floor: Number(head.floor ?? '0'),
      snapshotSeq: Number(head.snap ?? '0'),
      sinceSnapshot: Number(head.since ?? '0'),
      trimmedAt: Number(head.trimmed ?? '0'),
      folders: folders.map((v) => JSON.parse(v) as TrackedFolder)
    }
  }

  async commit (boxId: string, c: TrackerCommit): Promise<number | undefined> {
    const k = this.keys
    const body = JSON.stringify({ at: c.at, upserts: c.upserts, removed: c.removed, reset: c.reset }).slice(1)
    // Compare-and-set on the head's seq: -1 when another commit got there first.
    const out = await guarded(async () => await this.redis.commitTrackerChange(
      k.trackerHead(boxId), k.trackerFolders(boxId), k.trackerLog(boxId), k.trackerSnapshots(boxId),
      k.trackerTombstones(boxId), k.boxSeq(boxId), k.trackerFlags(boxId),
      String(c.expectedSeq), String(c.at), c.epoch, c.fullSnapshot ? '1' : '0',
      JSON.stringify(c.upserts.map((f) => [f.id, folderJson(f)])),
      JSON.stringify(c.removed),
      JSON.stringify(c.tombstones.map(tombstoneBody)),
      body,
      JSON.stringify([...c.snapshots].map(([id, snap]) => [id, JSON.stringify(snap)]))
    ))
    const seq = Number(out)
    return seq > 0 ? seq : undefined
  }

  async vectorAt (boxId: string, seq: number): Promise<Map<string, TrackedFolder> | undefined> {
    const k = this.keys
    // One script, so a concurrent trim cannot remove the snapshot between the reads.
    const out = await guarded(async () => await this.redis.readTrackerVector(
      k.trackerHead(boxId), k.trackerSnapshots(boxId), k.trackerLog(boxId), String(seq)
    ))
    if (out === null || out.length === 0) return undefined
    const [snapJson, ...entryJsons] = out
    const snap = JSON.parse(snapJson as string) as { folders: TrackedFolder[] }
    const vector = new Map(snap.folders.map((f) => [f.id, f]))
    for (const e of entryJsons) applyEntry(vector, JSON.parse(e) as LogEntry)
    return vector
  }

  async entryAfter (boxId: string, seq: number): Promise<LogEntry | undefined> {
    const out = await guarded(async () => await this.redis.zrangebyscore(this.keys.trackerLog(boxId), `(${seq}`, '+inf', 'LIMIT', 0, 1))
    return out[0] === undefined ? undefined : JSON.parse(out[0]) as LogEntry
  }

  async entries (boxId: string, from: number, to: number): Promise<LogEntry[]> {
    if (to <= from) return []
    const out = await guarded(async () => await this.redis.zrangebyscore(this.keys.trackerLog(boxId), `(${from}`, to))
    return out.map((v) => JSON.parse(v) as LogEntry)
  }

  async tombstones (boxId: string, from: number, to: number): Promise<StoredTombstone[]> {
    if (to <= from) return []
    const out = await guarded(async () => await this.redis.zrangebyscore(this.keys.trackerTombstones(boxId), `(${from}`, to))
    return out.map((v) => JSON.parse(v) as StoredTombstone)
  }

  async recentTombstones (boxId: string, limit: number): Promise<StoredTombstone[]> {
    if (limit <= 0) return []
    const out = await guarded(async () => await this.redis.zrevrange(this.keys.trackerTombstones(boxId), 0, limit - 1))
    return out.map((v) => JSON.parse(v) as StoredTombstone)
  }

  async flagSnapshots (boxId: string, folderIds: readonly string[]): Promise<Map<string, FlagSnapshot>> {
    const out = new Map<string, FlagSnapshot>()
    if (folderIds.length === 0) return out
    const values = await guarded(async () => await this.redis.hmget(this.keys.trackerFlags(boxId), ...folderIds))
    folderIds.forEach((id, i) => {
      const v = values[i]
      if (typeof v === 'string') out.set(id, JSON.parse(v) as FlagSnapshot)
    })
    return out
  }

  async trim (boxId: string, before: number, now: number): Promise<void> {
    const k = this.keys
    await guarded(async () => {
      await this.redis.hset(k.trackerHead(boxId), 'trimmed', String(now))
      const floor = Number((await this.redis.hget(k.trackerHead(boxId), 'floor')) ?? '0')
      // The newest entry whose successor is older than the window: walk the log from its oldest
      // entry (by seq, not by time: instances' clocks may disagree) to the first recent one. What
      // is walked is what the trim removes, so the walk stays short.
      let newFloor: number | undefined
      for (let start = 0; ; start += TRIM_PAGE) {
        const page = await this.redis.zrange(k.trackerLog(boxId), start, start + TRIM_PAGE - 1)
        let recent = false
        for (const json of page) {
          const e = JSON.parse(json) as LogEntry
          if (e.at >= before) {
            recent = true
            break
          }
          newFloor = e.seq
        }
        if (recent) break
        if (page.length < TRIM_PAGE) break
      }
      // With no recent entry the last one walked is the head: its tokens are still current.
      if (newFloor === undefined || newFloor <= floor) return
      const vector = await this.vectorAt(boxId, newFloor)
      if (vector === undefined) return
      // New snapshot first, then the floor, then what it makes unreachable: a concurrent reader
      // resolves either the old way or the new one, never a half-trimmed log.
      const snapshot = JSON.stringify({ seq: newFloor, folders: [...vector.values()] })
      await this.redis.zadd(k.trackerSnapshots(boxId), newFloor, snapshot)
      await this.redis.hset(k.trackerHead(boxId), 'floor', String(newFloor))
      await this.redis.zremrangebyscore(k.trackerSnapshots(boxId), '-inf', `(${newFloor}`)
      await this.redis.zremrangebyscore(k.trackerLog(boxId), '-inf', newFloor)
      await this.redis.zremrangebyscore(k.trackerTombstones(boxId), '-inf', newFloor)
    })
  }

  async noteDeletions (boxId: string, notes: readonly DeletionNote[]): Promise<void> {
    if (notes.length === 0) return
    const args = notes.flatMap((n) => [n.folderId, JSON.stringify(n)])
    await guarded(async () => await this.redis.hset(this.keys.trackerNotes(boxId), ...args))
  }

  async deletionNotes (boxId: string, folderIds: readonly string[]): Promise<Map<string, DeletionNote>> {
    const out = new Map<string, DeletionNote>()
    if (folderIds.length === 0) return out
    const found = await guarded(async () => await this.redis.hmget(this.keys.trackerNotes(boxId), ...folderIds))
    for (const v of found) {
      if (typeof v !== 'string') continue
      const n = JSON.parse(v) as DeletionNote
      out.set(n.folderId, n)
    }
    return out
  }

  async dropDeletionNotes (boxId: string, folderIds: readonly string[]): Promise<void> {
    if (folderIds.length === 0) return
    await guarded(async () => await this.redis.hdel(this.keys.trackerNotes(boxId), ...folderIds))
  }

  async dropDeletionNotesBefore (boxId: string, before: number): Promise<void> {
    const all = await guarded(async () => await this.redis.hgetall(this.keys.trackerNotes(boxId)))
    const stale = Object.entries(all).filter(([, v]) => (JSON.parse(v) as DeletionNote).at < before).map(([id]) => id)
    await this.dropDeletionNotes(boxId, stale)
    const corr = await guarded(async () => await this.redis.hgetall(this.keys.trackerCorrelations(boxId)))
    const old = Object.entries(corr).filter(([, v]) => (JSON.parse(v) as CorrelationNote).at < before).map(([id]) => id)
    await this.dropCorrelations(boxId, old)
  }

  async noteCorrelations (boxId: string, notes: readonly CorrelationNote[]): Promise<void> {
    if (notes.length === 0) return
    const args = notes.flatMap((n) => [n.objectId, JSON.stringify(n)])
    await guarded(async () => await this.redis.hset(this.keys.trackerCorrelations(boxId), ...args))
  }

  async correlations (boxId: string, objectIds: readonly string[]): Promise<Map<string, CorrelationNote>> {
    const out = new Map<string, CorrelationNote>()
    if (objectIds.length === 0) return out
    const found = await guarded(async () => await this.redis.hmget(this.keys.trackerCorrelations(boxId), ...objectIds))
    for (const v of found) {
      if (typeof v !== 'string') continue
      const n = JSON.parse(v) as CorrelationNote
      out.set(n.objectId, n)
    }
    return out
  }

  async dropCorrelations (boxId: string, objectIds: readonly string[]): Promise<void> {
    if (objectIds.length === 0) return
    await guarded(async () => await this.redis.hdel(this.keys.trackerCorrelations(boxId), ...objectIds))
  }
}
