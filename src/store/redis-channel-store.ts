/**
 * ChannelStore on Redis. A channel is one hash in its user's slot (the box hash tag of
 * keys.ts, so a subscription's outbox and the channel of the same box share a slot and a list
 * moves between them in one script): `spec` (the fixed part, JSON) and the moving fields `exp`,
 * `life`, `poll`, `sent`, `seq`. Its queue is a list of `<seq>\n<body>` strings.
 *
 * As for subscriptions, a gateway-wide sorted set indexes channels by expiry for the expiry job;
 * it is written outside the scripts (another slot) and the job checks the channel itself before
 * removing anything.
 */
import type { ChannelItem, ChannelMove, ChannelRecord, ChannelStore } from './channel-store.js'
import type { Keys } from './keys.js'
import { guarded } from './redis-guard.js'
import type { ScriptedRedis } from './redis-scripts.js'

type Spec = Omit<ChannelRecord, 'expiresAt' | 'lifetimeSeconds'>

function expiryMember (userId: string, id: string): string {
  return JSON.stringify([userId, id])
}

function specOf (r: ChannelRecord): Spec {
  const { expiresAt: _e, lifetimeSeconds: _l, ...spec } = r
  return spec
}

function toRecord (h: Record<string, string>): ChannelRecord | undefined {
  if (h.spec === undefined) return undefined
  return { ...(JSON.parse(h.spec) as Spec), expiresAt: Number(h.exp ?? '0'), lifetimeSeconds: Number(h.life ?? '0') }
}

function parseItem (raw: string): ChannelItem | undefined {
  const nl = raw.indexOf('\n')
  return nl < 0 ? undefined : { seq: Number(raw.slice(0, nl)), body: raw.slice(nl + 1) }
}

export class RedisChannelStore implements ChannelStore {
  constructor (private readonly redis: ScriptedRedis, private readonly keys: Keys) {}

  async create (rec: ChannelRecord): Promise<{ record: ChannelRecord, created: boolean }> {
    const k = this.keys
    return await guarded(async () => {
      await this.redis.zadd(k.channelExpiry(), rec.expiresAt, expiryMember(rec.userId, rec.id))
      const other = await this.redis.createChannel(
        k.channel(rec.userId, rec.id), k.channelIds(rec.userId), k.channelCorrelators(rec.userId),
        rec.id, rec.clientCorrelator ?? '', JSON.stringify(specOf(rec)), String(rec.expiresAt), String(rec.lifetimeSeconds)
      )
      if (other === '') return { record: rec, created: true }
      const existing = await this.get(rec.userId, other)
      // The entry written above belongs to no channel, unless the live one has this very id:
      // then it gets its own expiry back.
      if (other === rec.id && existing !== undefined) {
        await this.redis.zadd(k.channelExpiry(), existing.expiresAt, expiryMember(rec.userId, rec.id))
      } else {
        await this.redis.zrem(k.channelExpiry(), expiryMember(rec.userId, rec.id))
      }
      if (existing === undefined) return await this.create(rec)
      return { record: existing, created: false }
    })
  }

  async get (userId: string, id: string): Promise<ChannelRecord | undefined> {
    return toRecord(await guarded(async () => await this.redis.hgetall(this.keys.channel(userId, id))))
  }

  async list (userId: string): Promise<ChannelRecord[]> {
    const ids = await guarded(async () => await this.redis.smembers(this.keys.channelIds(userId)))
    const out: ChannelRecord[] = []
    for (const id of ids.sort()) {
      const r = await this.get(userId, id)
      if (r !== undefined) out.push(r)
    }
    return out
  }

  async remove (userId: string, id: string): Promise<boolean> {
    const k = this.keys
    return await guarded(async () => {
      const spec = await this.redis.removeRecord(
        k.channel(userId, id), k.channelQueue(userId, id), k.channelIds(userId), k.channelCorrelators(userId), id
      )
      await this.redis.zrem(k.channelExpiry(), expiryMember(userId, id))
      return typeof spec === 'string'
    })
  }

  async setLifetime (
    userId: string, id: string, lifetimeSeconds: number, expiresAt: number
  ): Promise<ChannelRecord | undefined> {
    const k = this.keys
    const exists = await guarded(async () => {
      if (await this.redis.exists(k.channel(userId, id)) === 0) return false
      await this.redis.zadd(k.channelExpiry(), expiresAt, expiryMember(userId, id))
      await this.redis.hset(k.channel(userId, id), 'exp', String(expiresAt), 'life', String(lifetimeSeconds))
      return true
    })
    return exists ? await this.get(userId, id) : undefined
  }

  async beginPoll (userId: string, id: string, pollId: string, expiresAt: number): Promise<boolean> {
    const k = this.keys
    return await guarded(async () => {
      // Makes the poll current, extends the channel and drops what the previous response carried.
      const ok = await this.redis.beginChannelPoll(
        k.channel(userId, id), k.channelQueue(userId, id), pollId, String(expiresAt)
      ) === 1
      if (ok) await this.redis.zadd(k.channelExpiry(), 'GT', expiresAt, expiryMember(userId, id))
      return ok
    })
  }

  async currentPoll (userId: string, id: string): Promise<string | undefined> {
    const v = await guarded(async () => await this.redis.hget(this.keys.channel(userId, id), 'poll'))
    return v ?? undefined
  }

  async peek (userId: string, id: string, limit: number): Promise<ChannelItem[]> {
    if (limit <= 0) return []
    const raw = await guarded(async () => await this.redis.lrange(this.keys.channelQueue(userId, id), 0, limit - 1))
    return raw.flatMap((r) => parseItem(r) ?? [])
  }

  async markSent (userId: string, id: string, pollId: string, lastSeq: number): Promise<void> {
    const rec = this.keys.channel(userId, id)
    await guarded(async () => await this.redis.markChannelSent(rec, pollId, String(lastSeq)))
  }

  async enqueue (userId: string, id: string, body: string): Promise<number | undefined> {
    const k = this.keys
    const seq = await guarded(async () =>
      await this.redis.enqueueChannelItem(k.channel(userId, id), k.channelQueue(userId, id), body))
    return seq > 0 ? seq : undefined
  }

  async moveFromOutbox (boxId: string, subscriptionId: string, index: number, channelId: string): Promise<ChannelMove> {
    const k = this.keys
    // One script: the outbox head (if it has that index) leaves the outbox and joins the queue atomically.
    const out = await guarded(async () => await this.redis.moveOutboxHeadToChannel(
      k.channel(boxId, channelId), k.channelQueue(boxId, channelId), k.outbox(boxId, subscriptionId), String(index)
    ))
    return out === 1 ? 'moved' : out === 0 ? 'nothing' : 'no-channel'
  }

  async expired (now: number, limit: number): Promise<Array<{ userId: string, id: string }>> {
    const members = await guarded(async () => await this.redis.zrangebyscore(this.keys.channelExpiry(), '-inf', now, 'LIMIT', 0, limit))
    return members.map((m) => {
      const [userId, id] = JSON.parse(m) as [string, string]
      return { userId, id }
    })
  }
}
