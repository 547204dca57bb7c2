/**
 * Channel store contract (src/store/channel-store.ts): one suite, run against the in-process
 * MemoryStore and against RedisStore on a private redis-server, that proves both give the
 * documented semantics of notification channels and their queues — create/get/list/remove and
 * the idempotent create by a live clientCorrelator of the same user (nothing written); lifetime
 * changes and the expiry index through creates, lifetime changes, poll extensions (extend only)
 * and removals; increasing queue seqs, oldest-first peeks, and the poll protocol: only the
 * current poll's markSent counts, the next beginPoll drops exactly what it carried, and a
 * response never marked sent is served again; the atomic move of a subscription's outbox head
 * (by index) into a channel of the same box, bodies intact; removal dropping the queue; and
 * users never seeing each other's channels.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import pino from 'pino'
import { startRedis, type RedisServer } from '../../src/devenv/redis-server.js'
import type { ChannelRecord } from '../../src/store/channel-store.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { RedisStore } from '../../src/store/redis-store.js'
import type { Store } from '../../src/store/store.js'
import type { FeedAppend, OutboxItem, SubscriptionRecord } from '../../src/store/subscription-store.js'

/** What the suite needs of an implementation. */
interface Backend {
  /** A new, empty store (its own key space). */
  fresh(): Promise<Store>
  close(): Promise<void>
}

function memoryBackend (): Backend {
  return {
    fresh: async () => new MemoryStore(),
    close: async () => {}
  }
}

async function redisBackend (): Promise<Backend> {
  const server: RedisServer = await startRedis()
  const open: RedisStore[] = []
  const logger = pino({ level: 'silent' })
  return {
    fresh: async () => {
      const s = new RedisStore(server.url, `nc-contract-${randomBytes(6).toString('hex')}`, logger)
      open.push(s)
      await s.ready()
      return s
    },
    close: async () => {
      for (const s of open) await s.close()
      await server.close()
    }
  }
}

let userCounter = 0
/** A user (box) id no other test uses; `{`, `}` and `:` check that keys stay apart. */
function newUser (): string {
  userCounter++
  return `tel:+1555{${userCounter}}:${randomBytes(3).toString('hex')}`
}

/** A channel id shaped like the service's (base64url). */
function newId (): string {
  return randomBytes(12).toString('base64url')
}

function channel (userId: string, id: string, over: Partial<ChannelRecord> = {}): ChannelRecord {
  return {
    id,
    userId,
    applicationTag: 'app-\u00fc-\u65e5\u672c',
    maxNotifications: 5,
    maxWaitTime: 30,
    lifetimeSeconds: 600,
    createdAt: 1_700_000_000_000,
    expiresAt: 1_700_000_600_000,
    ...over
  }
}

function subscription (boxId: string, id: string): SubscriptionRecord {
  return {
    id,
    boxId,
    notifyURL: 'https://client.example.com/cb',
    createdAt: 1_700_000_000_000,
    createdSeq: 3,
    expiresAt: 2_000_000_000_000,
    position: 3,
    pendingReset: false,
    nextIndex: 1,
    restartToken: 'tok-3',
    generation: 0
  }
}

function feed (items: OutboxItem[], over: Partial<FeedAppend> = {}): FeedAppend {
  return {
    expectGeneration: 0,
    expectPosition: 3,
    expectNextIndex: 1,
    items,
    position: 4,
    restartToken: 'tok-4',
    clearReset: false,
    ...over
  }
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
const ref = (userId: string, id: string): string => `${userId}/${id}`
const refs = (list: Array<{ userId: string, id: string }>): string[] => list.map((x) => ref(x.userId, x.id)).sort()

/** Asserts that `seqs` strictly increase. */
function increasing (seqs: Array<number | undefined>, what: string): number[] {
  const out: number[] = []
  for (const s of seqs) {
    assert.ok(typeof s === 'number' && Number.isInteger(s), `${what}: a seq, got ${String(s)}`)
    if (out.length > 0) assert.ok(s > (out.at(-1) as number), `${what}: ${s} after ${String(out.at(-1))}`)
    out.push(s)
  }
  return out
}

// ---------------------------------------------------------------------------------------------

function contract (name: string, open: () => Promise<Backend>): void {
  describe(`channel store contract: ${name}`, () => {
    let backend: Backend
    before(async () => { backend = await open() })
    after(async () => { await backend.close() })
    const fresh = async (): Promise<Store> => await backend.fresh()

    it('creates, gets, lists and removes channels', async () => {
      const { channels: c } = await fresh()
      const user = newUser()
      const a = channel(user, newId())
      const b = channel(user, newId(), { maxNotifications: 1, lifetimeSeconds: 60, expiresAt: 1_700_000_060_000 })
      assert.equal(await c.get(user, a.id), undefined)
      assert.deepEqual(await c.list(user), [])
      assert.equal(await c.remove(user, a.id), false, 'nothing to remove')

      assert.deepEqual(await c.create(a), { record: a, created: true })
      assert.deepEqual(await c.get(user, a.id), a)
      const { clientCorrelator: _none, applicationTag: _tag, maxWaitTime: _wait, ...bare } = channel(user, newId())
      assert.deepEqual(await c.create(b), { record: b, created: true })
      assert.deepEqual(await c.create(bare), { record: bare, created: true }, 'optional fields absent')
      assert.deepEqual(await c.get(user, b.id), b)
      assert.deepEqual(await c.get(user, bare.id), bare, 'absent fields stay absent')
      assert.deepEqual((await c.list(user)).sort(byId), [a, b, bare].sort(byId))

      assert.equal(await c.remove(user, a.id), true)
      assert.equal(await c.get(user, a.id), undefined)
      assert.deepEqual((await c.list(user)).sort(byId), [b, bare].sort(byId))
      assert.equal(await c.remove(user, a.id), false, 'already removed')
      assert.equal(await c.remove(user, b.id), true)
      assert.equal(await c.remove(user, bare.id), true)
      assert.deepEqual(await c.list(user), [])
    })

    it('returns the live channel of a clientCorrelator instead of creating, per user, until it is removed', async () => {
      const { channels: c } = await fresh()
      const user = newUser()
      const other = newUser()
      const first = channel(user, newId(), { clientCorrelator: 'corr-\u00fc', expiresAt: 5000 })
      assert.deepEqual(await c.create(first), { record: first, created: true })
      const queued = await c.enqueue(user, first.id, 'kept')
      assert.ok(queued !== undefined)

      const dup = channel(user, newId(), {
        clientCorrelator: 'corr-\u00fc', applicationTag: 'other', maxNotifications: 9, lifetimeSeconds: 10, expiresAt: 1000
      })
      assert.deepEqual(await c.create(dup), { record: first, created: false })
      // The second create wrote nothing: no record, no list entry, no expiry entry, no change to the first.
      assert.equal(await c.get(user, dup.id), undefined)
      assert.deepEqual(await c.list(user), [first])
      assert.deepEqual(await c.get(user, first.id), first)
      assert.deepEqual(await c.peek(user, first.id, 10), [{ seq: queued, body: 'kept' }])
      assert.deepEqual(await c.expired(4999, 10), [], 'the duplicate left no expiry entry')
      assert.deepEqual(refs(await c.expired(5000, 10)), [ref(user, first.id)])
      assert.equal(await c.enqueue(user, dup.id, 'x'), undefined, 'the duplicate id is no channel')
      // The very same channel created again (a retried request) keeps its own expiry entry.
      assert.deepEqual(await c.create({ ...first, expiresAt: 1000 }), { record: first, created: false })
      assert.deepEqual(await c.expired(4999, 10), [], 'the retry did not move its expiry')
      assert.deepEqual(refs(await c.expired(5000, 10)), [ref(user, first.id)], 'the retry kept its expiry entry')

      // Another user may use the same correlator.
      const theirs = channel(other, newId(), { clientCorrelator: 'corr-\u00fc', expiresAt: 7000 })
      assert.deepEqual(await c.create(theirs), { record: theirs, created: true })
      assert.deepEqual(await c.get(other, theirs.id), theirs)
      assert.deepEqual(await c.list(user), [first])
      // A different correlator of the same user creates.
      const distinct = channel(user, newId(), { clientCorrelator: 'corr-2', expiresAt: 8000 })
      assert.deepEqual(await c.create(distinct), { record: distinct, created: true })

      // After removal the correlator is free again (and the other user's still holds).
      assert.equal(await c.remove(user, first.id), true)
      // Even when the removed channel's id comes back without the correlator.
      const reused = channel(user, first.id, { expiresAt: 9000 })
      assert.deepEqual(await c.create(reused), { record: reused, created: true })
      const again = channel(user, newId(), { clientCorrelator: 'corr-\u00fc', expiresAt: 6000 })
      assert.deepEqual(await c.create(again), { record: again, created: true })
      assert.deepEqual(await c.get(user, again.id), again)
      assert.deepEqual((await c.list(user)).sort(byId), [again, distinct, reused].sort(byId))
      const dupOther = channel(other, newId(), { clientCorrelator: 'corr-\u00fc' })
      assert.deepEqual(await c.create(dupOther), { record: theirs, created: false })
      assert.deepEqual(await c.create(channel(user, newId(), { clientCorrelator: 'corr-\u00fc' })), { record: again, created: false })
      assert.deepEqual(refs(await c.expired(Number.MAX_SAFE_INTEGER, 10)),
        [ref(user, again.id), ref(user, distinct.id), ref(user, reused.id), ref(other, theirs.id)].sort())
    })

    it('sets the lifetime and indexes expiry through creates, lifetime changes, poll extensions and removals', async () => {
      const { channels: c } = await fresh()
      const user = newUser()
      const other = newUser()
      const a = channel(user, newId(), { expiresAt: 1000 })
      const b = channel(user, newId(), { expiresAt: 2000 })
      const o = channel(other, newId(), { expiresAt: 3000 })
      assert.deepEqual(await c.expired(Number.MAX_SAFE_INTEGER, 10), [])
      for (const r of [a, b, o]) await c.create(r)
      assert.deepEqual(await c.expired(999, 10), [])
      assert.deepEqual(refs(await c.expired(1000, 10)), [ref(user, a.id)], 'at or before now')
      assert.deepEqual(refs(await c.expired(2500, 10)), [ref(user, a.id), ref(user, b.id)].sort())
      const all = [ref(user, a.id), ref(user, b.id), ref(other, o.id)]
      const limited = refs(await c.expired(5000, 2))
      assert.equal(limited.length, 2)
      for (const r of limited) assert.ok(all.includes(r), r)
      assert.deepEqual(refs(await c.expired(5000, 10)), all.sort())

      // setLifetime: both fields, the rest unchanged; it may shorten as well as extend.
      assert.deepEqual(await c.setLifetime(user, a.id, 120, 4000), { ...a, lifetimeSeconds: 120, expiresAt: 4000 })
      assert.deepEqual(await c.get(user, a.id), { ...a, lifetimeSeconds: 120, expiresAt: 4000 })
      assert.deepEqual(refs(await c.expired(2500, 10)), [ref(user, b.id)])
      assert.deepEqual(refs(await c.expired(4000, 10)), all.sort())
      assert.deepEqual(await c.setLifetime(other, o.id, 5, 500), { ...o, lifetimeSeconds: 5, expiresAt: 500 })
      assert.deepEqual(refs(await c.expired(999, 10)), [ref(other, o.id)])
      const missing = newId()
      assert.equal(await c.setLifetime(user, missing, 60, 10), undefined)
      assert.equal(await c.get(user, missing), undefined, 'setLifetime created nothing')
      assert.deepEqual(refs(await c.expired(999, 10)), [ref(other, o.id)], 'nor an expiry entry')

      // beginPoll extends the expiry (not the lifetime) ...
      assert.equal(await c.beginPoll(user, b.id, 'p1', 6000), true)
      assert.deepEqual(await c.get(user, b.id), { ...b, expiresAt: 6000 })
      assert.deepEqual(refs(await c.expired(5999, 10)), [ref(user, a.id), ref(other, o.id)].sort())
      // ... and only ever extends: a smaller expiresAt leaves it.
      assert.equal(await c.beginPoll(user, b.id, 'p2', 1500), true)
      assert.deepEqual(await c.get(user, b.id), { ...b, expiresAt: 6000 })
      assert.deepEqual(refs(await c.expired(5999, 10)), [ref(user, a.id), ref(other, o.id)].sort())
      assert.deepEqual(refs(await c.expired(6000, 10)), all.sort())
      assert.equal(await c.beginPoll(user, missing, 'p', 10), false)
      assert.equal(await c.get(user, missing), undefined, 'beginPoll created nothing')
      assert.deepEqual(refs(await c.expired(999, 10)), [ref(other, o.id)])
      // A later setLifetime still sets the expiry outright.
      assert.deepEqual(await c.setLifetime(user, b.id, 30, 700), { ...b, lifetimeSeconds: 30, expiresAt: 700 })
      assert.deepEqual(refs(await c.expired(999, 10)), [ref(user, b.id), ref(other, o.id)].sort())

      assert.equal(await c.remove(user, a.id), true)
      assert.deepEqual(refs(await c.expired(Number.MAX_SAFE_INTEGER, 10)), [ref(user, b.id), ref(other, o.id)].sort())
      assert.equal(await c.remove(user, b.id), true)
      assert.equal(await c.remove(other, o.id), true)
      assert.deepEqual(await c.expired(Number.MAX_SAFE_INTEGER, 10), [])
      assert.equal(await c.setLifetime(user, a.id, 60, 10), undefined, 'removed')
    })

    it('queues with increasing seqs and peeks oldest first', async () => {
      const { channels: c } = await fresh()
      const user = newUser()
      const ch = channel(user, newId())
      assert.equal(await c.enqueue(user, ch.id, 'x'), undefined, 'no channel yet')
      await c.create(ch)
      assert.deepEqual(await c.peek(user, ch.id, 10), [], 'the failed enqueue queued nothing')
      const bodies = ['{"a":1}', 'line1\nline2\n', '', '7\n8', '\n', '\u00fc \u65e5\u672c \ud83d\ude00']
      const got: Array<number | undefined> = []
      for (const b of bodies) got.push(await c.enqueue(user, ch.id, b))
      const seqs = increasing(got, 'enqueue')
      const items = bodies.map((body, i) => ({ seq: seqs[i] as number, body }))
      assert.deepEqual(await c.peek(user, ch.id, 10), items)
      assert.deepEqual(await c.peek(user, ch.id, 2), items.slice(0, 2))
      assert.deepEqual(await c.peek(user, ch.id, items.length), items)
      assert.deepEqual(await c.peek(user, ch.id, 1), items.slice(0, 1))
      assert.deepEqual(await c.peek(user, ch.id, 0), [])
      const next = await c.enqueue(user, ch.id, 'last')
      increasing([...seqs, next], 'later enqueue')
      assert.deepEqual(await c.peek(user, ch.id, 100), [...items, { seq: next, body: 'last' }])
      assert.deepEqual(await c.peek(user, newId(), 10), [], 'a missing channel has no queue')
    })

    it('drops exactly what the current poll marked sent, at the next beginPoll', async () => {
      const { channels: c } = await fresh()
      const user = newUser()
      const ch = channel(user, newId())
      await c.create(ch)
      const current = await c.currentPoll(user, ch.id)
      assert.equal(typeof current, 'string', 'a live channel has a (possibly empty) current poll')
      assert.notEqual(current, 'p1')
      const [s1, s2, s3] = increasing([
        await c.enqueue(user, ch.id, 'one'), await c.enqueue(user, ch.id, 'two'), await c.enqueue(user, ch.id, 'three')
      ], 'enqueue') as [number, number, number]
      const i1 = { seq: s1, body: 'one' }
      const i2 = { seq: s2, body: 'two' }
      const i3 = { seq: s3, body: 'three' }

      assert.equal(await c.beginPoll(user, ch.id, 'p1', 0), true)
      assert.equal(await c.currentPoll(user, ch.id), 'p1')
      assert.deepEqual(await c.peek(user, ch.id, 10), [i1, i2, i3], 'the first poll drops nothing')
      await c.markSent(user, ch.id, 'p1', s2)
      assert.deepEqual(await c.peek(user, ch.id, 10), [i1, i2, i3], 'markSent alone drops nothing')
      assert.equal(await c.currentPoll(user, ch.id), 'p1')
      assert.equal(await c.beginPoll(user, ch.id, 'p2', 0), true)
      assert.equal(await c.currentPoll(user, ch.id), 'p2')
      assert.deepEqual(await c.peek(user, ch.id, 10), [i3], 'up to the seq marked sent, nothing more')

      // A poll whose response was never marked sent: the next one drops nothing.
      assert.equal(await c.beginPoll(user, ch.id, 'p3', 0), true)
      assert.deepEqual(await c.peek(user, ch.id, 10), [i3], 'sent again')
      // And the mark of the poll before does not count twice.
      assert.equal(await c.beginPoll(user, ch.id, 'p4', 0), true)
      assert.deepEqual(await c.peek(user, ch.id, 10), [i3])

      // A stale poll's markSent changes nothing.
      await c.markSent(user, ch.id, 'p3', s3)
      await c.markSent(user, ch.id, 'p1', s3)
      assert.equal(await c.currentPoll(user, ch.id), 'p4', 'still the current poll')
      assert.equal(await c.beginPoll(user, ch.id, 'p5', 0), true)
      assert.deepEqual(await c.peek(user, ch.id, 10), [i3], 'a stale mark dropped nothing')

      // An item queued after the mark survives the drop.
      await c.markSent(user, ch.id, 'p5', s3)
      const s4 = await c.enqueue(user, ch.id, 'four')
      increasing([s3, s4], 'enqueue after drops')
      assert.equal(await c.beginPoll(user, ch.id, 'p6', 0), true)
      assert.deepEqual(await c.peek(user, ch.id, 10), [{ seq: s4, body: 'four' }])

      // A mark by the poll that was current, then a newer poll begins: still counts once, at that begin.
      await c.markSent(user, ch.id, 'p6', s4 as number)
      assert.equal(await c.beginPoll(user, ch.id, 'p7', 0), true)
      assert.deepEqual(await c.peek(user, ch.id, 10), [])
      const s5 = await c.enqueue(user, ch.id, 'five')
      increasing([s4, s5], 'enqueue on an emptied queue')
      assert.equal(await c.beginPoll(user, ch.id, 'p8', 0), true)
      assert.deepEqual(await c.peek(user, ch.id, 10), [{ seq: s5, body: 'five' }], 'the emptying mark was consumed')
    })

    it('answers undefined or false for polls of a missing channel and creates nothing', async () => {
      const { channels: c } = await fresh()
      const user = newUser()
      const id = newId()
      assert.equal(await c.currentPoll(user, id), undefined)
      assert.equal(await c.beginPoll(user, id, 'p1', 5000), false)
      assert.equal(await c.currentPoll(user, id), undefined)
      await c.markSent(user, id, 'p1', 3)
      assert.equal(await c.get(user, id), undefined)
      assert.deepEqual(await c.list(user), [])
      assert.deepEqual(await c.peek(user, id, 10), [])
      assert.deepEqual(await c.expired(Number.MAX_SAFE_INTEGER, 10), [])
      // A channel created later under that id starts clean: no poll, no pending mark.
      const ch = channel(user, id)
      assert.deepEqual(await c.create(ch), { record: ch, created: true })
      assert.notEqual(await c.currentPoll(user, id), 'p1')
      const s1 = await c.enqueue(user, id, 'a')
      assert.equal(await c.beginPoll(user, id, 'p2', 0), true)
      assert.deepEqual(await c.peek(user, id, 10), [{ seq: s1, body: 'a' }])
    })

    it('moves the outbox head of a subscription of the same box, by index, into the channel', async () => {
      const store = await fresh()
      const { channels: c, subscriptions: subs } = store
      const box = newUser()
      const sub = subscription(box, 's1')
      await subs.create(sub)
      const ch = channel(box, newId())
      await c.create(ch)
      const body1 = '{"nmsEventList":{\n  "nmsEvent": [{"x": "\u00fc\u65e5\u672c \ud83d\ude00"}]\n}}\n'
      const body2 = '\n2\n{"nmsEventList":{"nmsEvent":[]}}'
      const o1 = { index: 1, body: body1 }
      const o2 = { index: 2, body: body2 }
      assert.equal(await subs.append(box, sub.id, feed([o1, o2], { expectNextIndex: sub.nextIndex })), true)
      assert.deepEqual(await subs.outboxHead(box, sub.id), o1)
      const e1 = await c.enqueue(box, ch.id, 'direct')
      assert.ok(e1 !== undefined)

      // A wrong index: nothing moves.
      assert.equal(await c.moveFromOutbox(box, sub.id, 2, ch.id), 'nothing')
      assert.equal(await c.moveFromOutbox(box, sub.id, 0, ch.id), 'nothing')
      assert.deepEqual(await subs.outboxHead(box, sub.id), o1)
      assert.equal(await subs.outboxLength(box, sub.id), 2)
      assert.deepEqual(await c.peek(box, ch.id, 10), [{ seq: e1, body: 'direct' }])

      // The head's index: moved, with the next seq, body intact.
      assert.equal(await c.moveFromOutbox(box, sub.id, 1, ch.id), 'moved')
      assert.deepEqual(await subs.outboxHead(box, sub.id), o2)
      assert.equal(await subs.outboxLength(box, sub.id), 1)
      const afterOne = await c.peek(box, ch.id, 10)
      assert.equal(afterOne.length, 2)
      assert.deepEqual(afterOne[0], { seq: e1, body: 'direct' })
      const m1 = afterOne[1]?.seq
      increasing([e1, m1], 'moved after queued')
      assert.deepEqual(afterOne[1], { seq: m1, body: body1 })

      // Moving index 1 again finds index 2 at the head: nothing.
      assert.equal(await c.moveFromOutbox(box, sub.id, 1, ch.id), 'nothing')
      assert.deepEqual(await c.peek(box, ch.id, 10), afterOne)
      assert.deepEqual(await subs.outboxHead(box, sub.id), o2)

      const e2 = await c.enqueue(box, ch.id, 'between')
      increasing([m1, e2], 'queued after moved')
      assert.equal(await c.moveFromOutbox(box, sub.id, 2, ch.id), 'moved')
      assert.equal(await subs.outboxHead(box, sub.id), undefined)
      assert.equal(await subs.outboxLength(box, sub.id), 0)
      const afterTwo = await c.peek(box, ch.id, 10)
      assert.equal(afterTwo.length, 4)
      const m2 = afterTwo[3]?.seq
      increasing([e2, m2], 'second move')
      assert.deepEqual(afterTwo, [...afterOne, { seq: e2, body: 'between' }, { seq: m2, body: body2 }])

      // An empty outbox, or no such subscription: nothing.
      assert.equal(await c.moveFromOutbox(box, sub.id, 3, ch.id), 'nothing')
      assert.equal(await c.moveFromOutbox(box, 'no-such-sub', 1, ch.id), 'nothing')
      assert.deepEqual(await c.peek(box, ch.id, 10), afterTwo)

      // A missing channel: no-channel, and the outbox stays as it was.
      const o3 = { index: 3, body: 'third\n\u00e9' }
      assert.equal(await subs.append(box, sub.id, feed([o3], { expectPosition: 4, expectNextIndex: 3, position: 5, restartToken: 'tok-5' })), true)
      assert.equal(await c.moveFromOutbox(box, sub.id, 3, newId()), 'no-channel')
      assert.deepEqual(await subs.outboxHead(box, sub.id), o3)
      assert.equal(await subs.outboxLength(box, sub.id), 1)
      // A channel of that id in another box is not this box's channel.
      const elsewhere = newUser()
      const far = channel(elsewhere, newId())
      await c.create(far)
      assert.equal(await c.moveFromOutbox(box, sub.id, 3, far.id), 'no-channel')
      assert.deepEqual(await c.peek(elsewhere, far.id, 10), [])
      assert.deepEqual(await subs.outboxHead(box, sub.id), o3)

      // Moved items take part in the poll protocol like queued ones.
      assert.equal(await c.beginPoll(box, ch.id, 'p1', 0), true)
      await c.markSent(box, ch.id, 'p1', m1 as number)
      assert.equal(await c.beginPoll(box, ch.id, 'p2', 0), true)
      assert.deepEqual(await c.peek(box, ch.id, 10), afterTwo.slice(2))
      await c.markSent(box, ch.id, 'p2', m2 as number)
      assert.equal(await c.beginPoll(box, ch.id, 'p3', 0), true)
      assert.deepEqual(await c.peek(box, ch.id, 10), [])
      assert.equal(await c.moveFromOutbox(box, sub.id, 3, ch.id), 'moved')
      const last = await c.peek(box, ch.id, 10)
      assert.equal(last.length, 1)
      increasing([m2, last[0]?.seq], 'move after drops')
      assert.equal(last[0]?.body, o3.body)
    })

    it('drops the queue with the channel: the same id created again starts empty', async () => {
      const { channels: c } = await fresh()
      const user = newUser()
      const ch = channel(user, newId(), { clientCorrelator: 'c1' })
      await c.create(ch)
      const [s1] = increasing([await c.enqueue(user, ch.id, 'a'), await c.enqueue(user, ch.id, 'b')], 'enqueue') as [number, number]
      assert.equal(await c.beginPoll(user, ch.id, 'p1', 0), true)
      await c.markSent(user, ch.id, 'p1', s1)
      assert.equal(await c.remove(user, ch.id), true)
      assert.deepEqual(await c.peek(user, ch.id, 10), [])
      assert.equal(await c.currentPoll(user, ch.id), undefined)
      assert.equal(await c.enqueue(user, ch.id, 'late'), undefined)

      const again = channel(user, ch.id, { clientCorrelator: 'c1', maxNotifications: 2 })
      assert.deepEqual(await c.create(again), { record: again, created: true })
      assert.deepEqual(await c.get(user, ch.id), again)
      assert.deepEqual(await c.peek(user, ch.id, 10), [], 'starts empty')
      assert.notEqual(await c.currentPoll(user, ch.id), 'p1', 'no poll carried over')
      const n1 = await c.enqueue(user, ch.id, 'fresh')
      assert.ok(n1 !== undefined)
      assert.deepEqual(await c.peek(user, ch.id, 10), [{ seq: n1, body: 'fresh' }])
      // The old mark was dropped with the channel: the first poll drops nothing.
      assert.equal(await c.beginPoll(user, ch.id, 'p2', 0), true)
      assert.deepEqual(await c.peek(user, ch.id, 10), [{ seq: n1, body: 'fresh' }])
      // And a stale markSent by the removed channel's poll does not count.
      await c.markSent(user, ch.id, 'p1', n1)
      assert.equal(await c.beginPoll(user, ch.id, 'p3', 0), true)
      assert.deepEqual(await c.peek(user, ch.id, 10), [{ seq: n1, body: 'fresh' }])
    })

    it('keeps users apart: records, queues, polls and removals', async () => {
      const { channels: c } = await fresh()
      const alice = newUser()
      const bob = newUser()
      const shared = newId()
      const a = channel(alice, shared, { applicationTag: 'alice' })
      const b = channel(bob, shared, { applicationTag: 'bob', maxNotifications: 3 })
      const aOnly = channel(alice, newId())
      for (const r of [a, b, aOnly]) assert.equal((await c.create(r)).created, true)
      assert.deepEqual(await c.get(alice, shared), a)
      assert.deepEqual(await c.get(bob, shared), b)
      assert.equal(await c.get(bob, aOnly.id), undefined)
      assert.deepEqual((await c.list(alice)).sort(byId), [a, aOnly].sort(byId))
      assert.deepEqual(await c.list(bob), [b])

      const sa = await c.enqueue(alice, shared, 'for alice')
      assert.ok(sa !== undefined)
      assert.deepEqual(await c.peek(bob, shared, 10), [])
      assert.equal(await c.enqueue(bob, aOnly.id, 'x'), undefined)
      assert.deepEqual(await c.peek(alice, aOnly.id, 10), [])
      const sb = await c.enqueue(bob, shared, 'for bob')
      assert.ok(sb !== undefined)
      assert.deepEqual(await c.peek(alice, shared, 10), [{ seq: sa, body: 'for alice' }])

      assert.equal(await c.beginPoll(alice, shared, 'pa', 0), true)
      assert.equal(await c.beginPoll(bob, shared, 'pb', 0), true)
      assert.equal(await c.currentPoll(alice, shared), 'pa')
      assert.equal(await c.currentPoll(bob, shared), 'pb')
      assert.equal(await c.beginPoll(bob, aOnly.id, 'px', 9999), false)
      assert.equal(await c.currentPoll(bob, aOnly.id), undefined)
      await c.markSent(alice, shared, 'pa', sa)
      await c.markSent(bob, shared, 'pa', sb)
      assert.equal(await c.beginPoll(alice, shared, 'pa2', 0), true)
      assert.equal(await c.beginPoll(bob, shared, 'pb2', 0), true)
      assert.deepEqual(await c.peek(alice, shared, 10), [])
      assert.deepEqual(await c.peek(bob, shared, 10), [{ seq: sb, body: 'for bob' }], 'alice\'s poll id is not bob\'s')

      assert.equal(await c.setLifetime(bob, aOnly.id, 1, 1), undefined)
      assert.deepEqual(await c.get(alice, aOnly.id), aOnly)
      assert.deepEqual(await c.setLifetime(bob, shared, 1, 1), { ...b, lifetimeSeconds: 1, expiresAt: 1 })
      assert.deepEqual(await c.get(alice, shared), a)
      assert.deepEqual(refs(await c.expired(1, 10)), [ref(bob, shared)])

      assert.equal(await c.remove(bob, aOnly.id), false)
      assert.deepEqual(await c.get(alice, aOnly.id), aOnly)
      assert.equal(await c.remove(alice, shared), true)
      assert.equal(await c.get(alice, shared), undefined)
      assert.deepEqual(await c.get(bob, shared), { ...b, lifetimeSeconds: 1, expiresAt: 1 })
      assert.deepEqual(await c.peek(bob, shared, 10), [{ seq: sb, body: 'for bob' }], 'bob\'s queue survives alice\'s removal')
      assert.deepEqual(await c.list(alice), [aOnly])
      assert.deepEqual(refs(await c.expired(Number.MAX_SAFE_INTEGER, 10)), [ref(alice, aOnly.id), ref(bob, shared)].sort())
    })
  })
}

contract('memory', async () => memoryBackend())
contract('redis', redisBackend)
