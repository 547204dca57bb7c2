/**
 * In-process SubscriptionStore (single instance, nothing survives a restart), with the same
 * semantics as the Redis one.
 */
import type {
  FeedAppend, OutboxItem, SubscriptionRecord, SubscriptionStore, SubscriptionUpdate
} from './subscription-store.js'

interface Entry {
  record: SubscriptionRecord
  outbox: OutboxItem[]
}

export class MemorySubscriptionStore implements SubscriptionStore {
  /** boxId -> id -> entry */
  private readonly boxes = new Map<string, Map<string, Entry>>()

  private box (boxId: string): Map<string, Entry> {
    let m = this.boxes.get(boxId)
    if (m === undefined) {
      m = new Map()
      this.boxes.set(boxId, m)
    }
    return m
  }

  async create (rec: SubscriptionRecord): Promise<{ record: SubscriptionRecord, created: boolean }> {
    const m = this.box(rec.boxId)
    if (rec.clientCorrelator !== undefined) {
      for (const e of m.values()) {
        if (e.record.clientCorrelator !== rec.clientCorrelator) continue
        return { record: structuredClone(e.record), created: false }
      }
    }
    m.set(rec.id, { record: structuredClone(rec), outbox: [] })
    return { record: structuredClone(rec), created: true }
  }

  async get (boxId: string, id: string): Promise<SubscriptionRecord | undefined> {
    const e = this.boxes.get(boxId)?.get(id)
    return e === undefined ? undefined : structuredClone(e.record)
  }

  async list (boxId: string): Promise<SubscriptionRecord[]> {
    return [...(this.boxes.get(boxId)?.values() ?? [])].map((e) => structuredClone(e.record))
  }

  async update (boxId: string, id: string, u: SubscriptionUpdate): Promise<SubscriptionRecord | undefined> {
    const e = this.boxes.get(boxId)?.get(id)
    if (e === undefined) return undefined
    const r = e.record
    if (u.expiresAt !== undefined) r.expiresAt = u.expiresAt
    if (u.position !== undefined) r.position = u.position
    if (u.pendingReset !== undefined) r.pendingReset = u.pendingReset
    if (u.restartToken !== undefined) r.restartToken = u.restartToken
    r.generation++
    return structuredClone(r)
  }

  async remove (boxId: string, id: string): Promise<boolean> {
    const m = this.boxes.get(boxId)
    const had = m?.delete(id) === true
    if (m !== undefined && m.size === 0) this.boxes.delete(boxId)
    return had
  }

  async append (boxId: string, id: string, feed: FeedAppend): Promise<boolean> {
    const e = this.boxes.get(boxId)?.get(id)
    if (e === undefined) return false
    const r = e.record
    const expected = r.generation === feed.expectGeneration && r.position === feed.expectPosition &&
      r.nextIndex === feed.expectNextIndex
    if (!expected) return false
    e.outbox.push(...feed.items.map((i) => ({ ...i })))
    r.nextIndex += feed.items.length
    r.position = feed.position
    r.restartToken = feed.restartToken
    if (feed.clearReset) r.pendingReset = false
    return true
  }

  async outboxHead (boxId: string, id: string): Promise<OutboxItem | undefined> {
    const head = this.boxes.get(boxId)?.get(id)?.outbox[0]
    return head === undefined ? undefined : { ...head }
  }

  async outboxAck (boxId: string, id: string, index: number): Promise<boolean> {
    const e = this.boxes.get(boxId)?.get(id)
    if (e?.outbox[0]?.index !== index) return false
    e.outbox.shift()
    return true
  }

  /** Removes and returns the oldest queued list if it has this index (synchronous: atomic in-process). */
  takeOutboxHead (boxId: string, id: string, index: number): OutboxItem | undefined {
    const e = this.boxes.get(boxId)?.get(id)
    if (e?.outbox[0]?.index !== index) return undefined
    return e.outbox.shift()
  }

  async outboxLength (boxId: string, id: string): Promise<number> {
    return this.boxes.get(boxId)?.get(id)?.outbox.length ?? 0
  }

  async expired (now: number, limit: number): Promise<Array<{ boxId: string, id: string }>> {
    const out: Array<{ boxId: string, id: string }> = []
    for (const [boxId, m] of this.boxes) {
      for (const [id, e] of m) {
        if (out.length >= limit) return out
        if (e.record.expiresAt <= now) out.push({ boxId, id })
      }
    }
    return out
  }

  async watchedBoxes (): Promise<string[]> {
    return [...this.boxes.keys()]
  }
}
