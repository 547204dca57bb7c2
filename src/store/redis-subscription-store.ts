/**
 * SubscriptionStore on Redis. A subscription is one hash in its box's slot: `spec` (the fixed
 * part, JSON) and the moving fields `exp`, `pos`, `reset`, `idx`, `tok`, `gen`, compared and
 * set as strings by the scripts. Its outbox is a list of `<index>\n<body>` strings.
 *
 * One gateway-wide sorted set indexes every live subscription by the end of its duration; it
 * drives the expiry job and tells instances which boxes need a watcher. It lives in another
 * slot than the box's keys, so it is written outside the scripts, in an order that never
 * leaves a live subscription unindexed: added before the subscription is written, removed
 * after it is deleted. An index entry without a subscription is cleaned up by the expiry job.
 */
import type { Keys } from './keys.js'
import { guarded } from './redis-guard.js'
import type { ScriptedRedis } from './redis-scripts.js'
import type {
  FeedAppend, OutboxItem, SubscriptionRecord, SubscriptionSpec, SubscriptionStore, SubscriptionUpdate
} from './subscription-store.js'

function expiryMember (boxId: string, id: string): string {
  return JSON.stringify([boxId, id])
}

function toRecord (h: Record<string, string>): SubscriptionRecord | undefined {
  if (h.spec === undefined) return undefined
  const spec = JSON.parse(h.spec) as SubscriptionSpec
  return {
    ...spec,
    expiresAt: Number(h.exp ?? '0'),
    position: Number(h.pos ?? '0'),
    pendingReset: h.reset === '1',
    nextIndex: Number(h.idx ?? '1'),
    restartToken: h.tok ?? '',
    generation: Number(h.gen ?? '0')
  }
}

function specOf (r: SubscriptionRecord): SubscriptionSpec {
  const { id, boxId, notifyURL, callbackData, clientCorrelator, filter, createdAt, createdSeq } = r
  return {
    id,
    boxId,
    notifyURL,
    ...(callbackData === undefined ? {} : { callbackData }),
    ...(clientCorrelator === undefined ? {} : { clientCorrelator }),
    ...(filter === undefined ? {} : { filter }),
    createdAt,
    createdSeq
  }
}

function parseItem (raw: string): OutboxItem | undefined {
  const nl = raw.indexOf('\n')
  if (nl < 0) return undefined
  return { index: Number(raw.slice(0, nl)), body: raw.slice(nl + 1) }
}

export class RedisSubscriptionStore implements SubscriptionStore {
  constructor (private readonly redis: ScriptedRedis, private readonly keys: Keys) {}

  async create (rec: SubscriptionRecord): Promise<{ record: SubscriptionRecord, created: boolean }> {
    const k = this.keys
    return await guarded(async () => {
      await this.redis.zadd(k.subscriptionExpiry(), rec.expiresAt, expiryMember(rec.boxId, rec.id))
      const other = await this.redis.createSubscription(
        k.subscription(rec.boxId, rec.id), k.subscriptionIds(rec.boxId), k.correlators(rec.boxId),
        rec.id, rec.clientCorrelator ?? '', JSON.stringify(specOf(rec)), String(rec.expiresAt), String(rec.position),
        rec.pendingReset ? '1' : '0', String(rec.nextIndex), rec.restartToken
      )
      if (other === '') return { record: { ...rec, generation: 0 }, created: true }
      await this.redis.zrem(k.subscriptionExpiry(), expiryMember(rec.boxId, rec.id))
      const existing = await this.get(rec.boxId, other)
      // The holder vanished between the two steps: try once more as a fresh create.
      if (existing === undefined) return await this.create(rec)
      return { record: existing, created: false }
    })
  }

  async get (boxId: string, id: string): Promise<SubscriptionRecord | undefined> {
    const h = await guarded(async () => await this.redis.hgetall(this.keys.subscription(boxId, id)))
    return toRecord(h)
  }

  async list (boxId: string): Promise<SubscriptionRecord[]> {
    const ids = await guarded(async () => await this.redis.smembers(this.keys.subscriptionIds(boxId)))
    const out: SubscriptionRecord[] = []
    for (const id of ids.sort()) {
      const r = await this.get(boxId, id)
      if (r !== undefined) out.push(r)
    }
    return out
  }

  async update (boxId: string, id: string, u: SubscriptionUpdate): Promise<SubscriptionRecord | undefined> {
    const args: string[] = []
    if (u.expiresAt !== undefined) args.push('exp', String(u.expiresAt))
    if (u.position !== undefined) args.push('pos', String(u.position))
    if (u.pendingReset !== undefined) args.push('reset', u.pendingReset ? '1' : '0')
    if (u.restartToken !== undefined) args.push('tok', u.restartToken)
    const k = this.keys
    const ok = await guarded(async () => {
      // The index first: a longer duration must be indexed before it takes effect.
      if (u.expiresAt !== undefined) await this.redis.zadd(k.subscriptionExpiry(), u.expiresAt, expiryMember(boxId, id))
      const done = await this.redis.updateSubscription(k.subscription(boxId, id), ...args) === 1
      // Removed meanwhile: take back the index entry added above.
      if (!done && u.expiresAt !== undefined) await this.redis.zrem(k.subscriptionExpiry(), expiryMember(boxId, id))
      return done
    })
    return ok ? await this.get(boxId, id) : undefined
  }

  async remove (boxId: string, id: string): Promise<boolean> {
    const k = this.keys
    return await guarded(async () => {
      const spec = await this.redis.removeRecord(
        k.subscription(boxId, id), k.outbox(boxId, id), k.subscriptionIds(boxId), k.correlators(boxId), id
      )
      await this.redis.zrem(k.subscriptionExpiry(), expiryMember(boxId, id))
      return typeof spec === 'string'
    })
  }

  async append (boxId: string, id: string, feed: FeedAppend): Promise<boolean> {
    const k = this.keys
    // Compare-and-set on gen, pos and idx: false when an update or another instance moved the record on.
    const ok = await guarded(async () => await this.redis.appendOutboxItems(
      k.subscription(boxId, id), k.outbox(boxId, id),
      String(feed.expectGeneration), String(feed.expectPosition), String(feed.expectNextIndex),
      String(feed.position), feed.restartToken, feed.clearReset ? '1' : '0',
      ...feed.items.map((i) => `${i.index}\n${i.body}`)
    ))
    return ok === 1
  }

  async outboxHead (boxId: string, id: string): Promise<OutboxItem | undefined> {
    const raw = await guarded(async () => await this.redis.lindex(this.keys.outbox(boxId, id), 0))
    return raw === null ? undefined : parseItem(raw)
  }

  async outboxAck (boxId: string, id: string, index: number): Promise<boolean> {
    // Pops the head only if it carries that index, so a repeated acknowledgement drops nothing else.
    const ok = await guarded(async () => await this.redis.ackOutboxHead(this.keys.outbox(boxId, id), String(index)))
    return ok === 1
  }

  async outboxLength (boxId: string, id: string): Promise<number> {
    return await guarded(async () => await this.redis.llen(this.keys.outbox(boxId, id)))
  }

  async expired (now: number, limit: number): Promise<Array<{ boxId: string, id: string }>> {
    const members = await guarded(async () =>
      await this.redis.zrangebyscore(this.keys.subscriptionExpiry(), '-inf', now, 'LIMIT', 0, limit))
    return members.map((m) => {
      const [boxId, id] = JSON.parse(m) as [string, string]
      return { boxId, id }
    })
  }

  async watchedBoxes (): Promise<string[]> {
    const boxes = new Set<string>()
    const key = this.keys.subscriptionExpiry()
    await guarded(async () => {
      // Pages of the index, so a large deployment is read in bounded replies.
      for (let start = 0; ; start += 1000) {
        const page = await this.redis.zrange(key, start, start + 999)
        for (const m of page) boxes.add((JSON.parse(m) as [string, string])[0])
        if (page.length < 1000) break
      }
    })
    return [...boxes]
  }
}
