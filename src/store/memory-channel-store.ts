/**
 * In-process ChannelStore (single instance, nothing survives a restart), with the same
 * semantics as the Redis one.
 */
import type { ChannelItem, ChannelMove, ChannelRecord, ChannelStore } from './channel-store.js'
import type { MemorySubscriptionStore } from './memory-subscription-store.js'

interface Entry {
  record: ChannelRecord
  queue: ChannelItem[]
  nextSeq: number
  poll: string
  /** Last item seq the previous completed response carried. */
  sent: number
}

export class MemoryChannelStore implements ChannelStore {
  /** userId -> id -> entry */
  private readonly users = new Map<string, Map<string, Entry>>()

  constructor (private readonly subscriptions: MemorySubscriptionStore) {}

  private entry (userId: string, id: string): Entry | undefined {
    return this.users.get(userId)?.get(id)
  }

  async create (rec: ChannelRecord): Promise<{ record: ChannelRecord, created: boolean }> {
    let m = this.users.get(rec.userId)
    if (m === undefined) {
      m = new Map()
      this.users.set(rec.userId, m)
    }
    if (rec.clientCorrelator !== undefined) {
      for (const e of m.values()) {
        if (e.record.clientCorrelator !== rec.clientCorrelator) continue
        return { record: structuredClone(e.record), created: false }
      }
    }
    m.set(rec.id, { record: structuredClone(rec), queue: [], nextSeq: 1, poll: '', sent: 0 })
    return { record: structuredClone(rec), created: true }
  }

  async get (userId: string, id: string): Promise<ChannelRecord | undefined> {
    const e = this.entry(userId, id)
    return e === undefined ? undefined : structuredClone(e.record)
  }

  async list (userId: string): Promise<ChannelRecord[]> {
    return [...(this.users.get(userId)?.values() ?? [])].map((e) => structuredClone(e.record))
  }

  async remove (userId: string, id: string): Promise<boolean> {
    const m = this.users.get(userId)
    const had = m?.delete(id) === true
    if (m !== undefined && m.size === 0) this.users.delete(userId)
    return had
  }

  async setLifetime (
    userId: string, id: string, lifetimeSeconds: number, expiresAt: number
  ): Promise<ChannelRecord | undefined> {
    const e = this.entry(userId, id)
    if (e === undefined) return undefined
    e.record.lifetimeSeconds = lifetimeSeconds
    e.record.expiresAt = expiresAt
    return structuredClone(e.record)
  }

  async beginPoll (userId: string, id: string, pollId: string, expiresAt: number): Promise<boolean> {
    const e = this.entry(userId, id)
    if (e === undefined) return false
    e.poll = pollId
    e.record.expiresAt = Math.max(e.record.expiresAt, expiresAt)
    e.queue = e.queue.filter((i) => i.seq > e.sent)
    e.sent = 0
    return true
  }

  async currentPoll (userId: string, id: string): Promise<string | undefined> {
    return this.entry(userId, id)?.poll
  }

  async peek (userId: string, id: string, limit: number): Promise<ChannelItem[]> {
    return (this.entry(userId, id)?.queue ?? []).slice(0, Math.max(0, limit)).map((i) => ({ ...i }))
  }

  async markSent (userId: string, id: string, pollId: string, lastSeq: number): Promise<void> {
    const e = this.entry(userId, id)
    if (e !== undefined && e.poll === pollId) e.sent = Math.max(e.sent, lastSeq)
  }

  async enqueue (userId: string, id: string, body: string): Promise<number | undefined> {
    const e = this.entry(userId, id)
    if (e === undefined) return undefined
    const seq = e.nextSeq++
    e.queue.push({ seq, body })
    return seq
  }

  async moveFromOutbox (boxId: string, subscriptionId: string, index: number, channelId: string): Promise<ChannelMove> {
    const e = this.entry(boxId, channelId)
    if (e === undefined) return 'no-channel'
    const item = this.subscriptions.takeOutboxHead(boxId, subscriptionId, index)
    if (item === undefined) return 'nothing'
    e.queue.push({ seq: e.nextSeq++, body: item.body })
    return 'moved'
  }

  async expired (now: number, limit: number): Promise<Array<{ userId: string, id: string }>> {
    const out: Array<{ userId: string, id: string }> = []
    for (const [userId, m] of this.users) {
      for (const [id, e] of m) {
        if (out.length >= limit) return out
        if (e.record.expiresAt <= now) out.push({ userId, id })
      }
    }
    return out
  }
}
