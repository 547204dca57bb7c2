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
import type { Redis } from 'ioredis'
import type { ChannelItem, ChannelMove, ChannelRecord, ChannelStore } from './channel-store.js'
import type { Keys } from './keys.js'
import { guarded } from './redis-guard.js'
import { REMOVE_RECORD_LUA } from './redis-remove-record.js'

/**
 * KEYS: 1 record, 2 ids set, 3 correlators. ARGV: 1 id, 2 correlator ('' for none), 3 spec JSON,
 * 4 exp, 5 life. Returns '' when created, else the id of the live channel with the correlator.
 */
const CREATE_LUA = `
if ARGV[2] ~= '' then
  local other = redis.call('HGET', KEYS[3], ARGV[2])
  if other then
    local rec = string.gsub(KEYS[1], '[^:]+$', other)
    if redis.call('EXISTS', rec) == 1 then return other end
  end
  redis.call('HSET', KEYS[3], ARGV[2], ARGV[1])
end
redis.call('HSET', KEYS[1], 'spec', ARGV[3], 'exp', ARGV[4], 'life', ARGV[5], 'poll', '', 'sent', '0', 'seq', '0')
redis.call('SADD', KEYS[2], ARGV[1])
return ''
`

/**
 * KEYS: 1 record, 2 queue. ARGV: 1 poll id, 2 expiresAt. Makes the poll current, extends the
 * channel, drops what the previous response carried. Returns 0 when the channel is gone.
 */
const BEGIN_POLL_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local exp = tonumber(redis.call('HGET', KEYS[1], 'exp') or '0')
if tonumber(ARGV[2]) > exp then redis.call('HSET', KEYS[1], 'exp', ARGV[2]) end
local sent = tonumber(redis.call('HGET', KEYS[1], 'sent') or '0')
while sent > 0 do
  local head = redis.call('LINDEX', KEYS[2], 0)
  if not head then break end
  local seq = tonumber(string.match(head, '^(%d+)\\n'))
  if seq == nil or seq > sent then break end
  redis.call('LPOP', KEYS[2])
end
redis.call('HSET', KEYS[1], 'poll', ARGV[1], 'sent', '0')
return 1
`

/** KEYS: 1 record. ARGV: 1 poll id, 2 last seq sent. */
const MARK_SENT_LUA = `
if redis.call('HGET', KEYS[1], 'poll') ~= ARGV[1] then return 0 end
local sent = tonumber(redis.call('HGET', KEYS[1], 'sent') or '0')
if tonumber(ARGV[2]) > sent then redis.call('HSET', KEYS[1], 'sent', ARGV[2]) end
return 1
`

/** KEYS: 1 record, 2 queue. ARGV: 1 body. Returns the new item's seq, or -1 when the channel is gone. */
const ENQUEUE_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('RPUSH', KEYS[2], seq .. '\\n' .. ARGV[1])
return seq
`

/**
 * KEYS: 1 channel record, 2 channel queue, 3 subscription outbox. ARGV: 1 outbox index.
 * Moves the outbox head (if it has that index) to the channel. Returns 1 moved, 0 nothing to
 * move, -1 no such channel.
 */
const MOVE_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local head = redis.call('LINDEX', KEYS[3], 0)
if not head then return 0 end
local nl = string.find(head, '\\n', 1, true)
if not nl or string.sub(head, 1, nl - 1) ~= ARGV[1] then return 0 end
redis.call('LPOP', KEYS[3])
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('RPUSH', KEYS[2], seq .. '\\n' .. string.sub(head, nl + 1))
return 1
`

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
  constructor (private readonly redis: Redis, private readonly keys: Keys) {}

  async create (rec: ChannelRecord): Promise<{ record: ChannelRecord, created: boolean }> {
    const k = this.keys
    return await guarded(async () => {
      await this.redis.zadd(k.channelExpiry(), rec.expiresAt, expiryMember(rec.userId, rec.id))
      const other = await this.redis.eval(
        CREATE_LUA, 3, k.channel(rec.userId, rec.id), k.channelIds(rec.userId), k.channelCorrelators(rec.userId),
        rec.id, rec.clientCorrelator ?? '', JSON.stringify(specOf(rec)), String(rec.expiresAt), String(rec.lifetimeSeconds)
      ) as string
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
      const keys = [
        k.channel(userId, id), k.channelQueue(userId, id), k.channelIds(userId), k.channelCorrelators(userId)
      ]
      const spec = await this.redis.eval(REMOVE_RECORD_LUA, keys.length, ...keys, id)
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
      const keys = [k.channel(userId, id), k.channelQueue(userId, id)]
      const ok = Number(await this.redis.eval(BEGIN_POLL_LUA, keys.length, ...keys, pollId, String(expiresAt))) === 1
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
    await guarded(async () => await this.redis.eval(MARK_SENT_LUA, 1, rec, pollId, String(lastSeq)))
  }

  async enqueue (userId: string, id: string, body: string): Promise<number | undefined> {
    const k = this.keys
    const keys = [k.channel(userId, id), k.channelQueue(userId, id)]
    const seq = Number(await guarded(async () => await this.redis.eval(ENQUEUE_LUA, keys.length, ...keys, body)))
    return seq > 0 ? seq : undefined
  }

  async moveFromOutbox (boxId: string, subscriptionId: string, index: number, channelId: string): Promise<ChannelMove> {
    const k = this.keys
    const keys = [k.channel(boxId, channelId), k.channelQueue(boxId, channelId), k.outbox(boxId, subscriptionId)]
    const out = Number(await guarded(async () => await this.redis.eval(MOVE_LUA, keys.length, ...keys, String(index))))
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
