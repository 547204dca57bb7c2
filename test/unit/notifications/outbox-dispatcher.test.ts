/**
 * The dispatch stage's decisions (src/notifications/dispatch/): one loop per live subscription of
 * a box run here, lists delivered in index order and removed only after a 2xx, retries keep the
 * index, a receiver that is gone or keeps refusing ends the subscription, channel subscriptions
 * move lists into the channel queue, and a queued signal for a box run elsewhere goes over the
 * bus. In-process store and bus, a scripted callback poster: no server.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import type { Config } from '../../../src/config/schema.js'
import { BackgroundErrors } from '../../../src/logging/background-errors.js'
import type { DeliveryOutcome } from '../../../src/notifications/dispatch/callback-client.js'
import type { CallbackPoster, ChannelRef } from '../../../src/notifications/dispatch/delivery-loop.js'
import { OutboxDispatcher } from '../../../src/notifications/dispatch/outbox-dispatcher.js'
import type { BusMessage } from '../../../src/store/coordination.js'
import { MemoryStore } from '../../../src/store/memory-store.js'
import type { SubscriptionRecord } from '../../../src/store/subscription-store.js'
import { eventually } from '../../helpers/eventually.js'
import { unitConfig } from '../../helpers/unit-config.js'

const base = unitConfig()
const config: Readonly<Config> = {
  ...base,
  notifications: { ...base.notifications, retryInitialMs: 2, retryMaxMs: 4, refusedAttempts: 3 }
}
const logger = pino({ level: 'silent' })
const BOX = 'tel:+15550001'

interface Post { url: string, body: string }

/** A callback poster that answers from a script (then `delivered`) and records every POST. */
class ScriptedPoster implements CallbackPoster {
  readonly posts: Post[] = []
  constructor (private readonly script: DeliveryOutcome[] = []) {}
  async post (url: string, body: string): Promise<DeliveryOutcome> {
    this.posts.push({ url, body })
    return this.script.shift() ?? { kind: 'delivered', status: 204 }
  }
}

function record (id: string, notifyURL = `https://cb.example.com/${id}`): SubscriptionRecord {
  return {
    id,
    boxId: BOX,
    notifyURL,
    createdAt: Date.now(),
    createdSeq: 0,
    expiresAt: Date.now() + 60_000,
    position: 0,
    pendingReset: false,
    nextIndex: 1,
    restartToken: 'rt',
    generation: 0
  }
}

/** Queues lists `indexes` for the subscription, as the feed stage does. */
async function queue (store: MemoryStore, rec: SubscriptionRecord, indexes: number[]): Promise<void> {
  const current = await store.subscriptions.get(rec.boxId, rec.id)
  assert.ok(current !== undefined)
  const ok = await store.subscriptions.append(rec.boxId, rec.id, {
    expectGeneration: current.generation,
    expectPosition: current.position,
    expectNextIndex: current.nextIndex,
    items: indexes.map((index) => ({ index, body: `{"list":${index}}` })),
    position: current.position + 1,
    restartToken: `rt${current.position + 1}`,
    clearReset: false
  })
  assert.ok(ok)
}

function setup (poster: CallbackPoster, channel?: { ref: ChannelRef, woken: ChannelRef[] }): {
  store: MemoryStore, dispatcher: OutboxDispatcher, errors: BackgroundErrors
} {
  const store = new MemoryStore()
  const errors = new BackgroundErrors(logger)
  const channels = {
    of: (url: string) => (channel !== undefined && url === 'channel-callback' ? channel.ref : undefined),
    queued: async (userId: string, id: string) => { channel?.woken.push({ userId, id }) }
  }
  const dispatcher = new OutboxDispatcher({
    store, coordination: store.coordination, errors, logger, loop: { config, store, client: poster, channels, errors, logger }
  })
  return { store, dispatcher, errors }
}

describe('OutboxDispatcher', () => {
  it('runs one loop per live subscription and delivers each outbox in index order, removing lists only after a 2xx', async () => {
    const poster = new ScriptedPoster()
    const { store, dispatcher } = setup(poster)
    const a = record('a')
    const b = record('b')
    const expired = { ...record('c'), expiresAt: Date.now() - 1 }
    for (const r of [a, b, expired]) await store.subscriptions.create(r)
    await queue(store, a, [1, 2, 3])
    await queue(store, b, [1])
    assert.equal(await dispatcher.refresh(BOX), 2)
    await eventually('both outboxes drained', async () => await store.subscriptions.outboxLength(BOX, 'a') === 0 && await store.subscriptions.outboxLength(BOX, 'b') === 0)
    assert.deepEqual(poster.posts.filter((p) => p.url.endsWith('/a')).map((p) => p.body), ['{"list":1}', '{"list":2}', '{"list":3}'])
    assert.deepEqual(poster.posts.filter((p) => p.url.endsWith('/b')).map((p) => p.body), ['{"list":1}'])
    assert.ok(!poster.posts.some((p) => p.url.endsWith('/c')), 'an expired subscription gets no loop')
    await dispatcher.close()
  })

  it('wakes an idle loop when the feed stage signals a queued list', async () => {
    const poster = new ScriptedPoster()
    const { store, dispatcher } = setup(poster)
    const a = record('a')
    await store.subscriptions.create(a)
    await dispatcher.refresh(BOX)
    await queue(store, a, [1])
    // The idle re-check is 30 s away: only the signal can bring the list out this soon.
    dispatcher.queued(BOX, 'a')
    await eventually('the queued list was posted', () => poster.posts.length === 1)
    await dispatcher.close()
  })

  it('retries a failed list with the same index until it is delivered', async () => {
    const poster = new ScriptedPoster([
      { kind: 'retry', status: 503, reason: 'down' },
      { kind: 'retry', reason: 'timeout' }
    ])
    const { store, dispatcher } = setup(poster)
    const a = record('a')
    await store.subscriptions.create(a)
    await queue(store, a, [1, 2])
    await dispatcher.refresh(BOX)
    await eventually('outbox drained', async () => await store.subscriptions.outboxLength(BOX, 'a') === 0)
    assert.deepEqual(poster.posts.map((p) => p.body), ['{"list":1}', '{"list":1}', '{"list":1}', '{"list":2}'])
    await dispatcher.close()
  })

  it('ends the subscription when the receiver is gone, and tells its listeners', async () => {
    const poster = new ScriptedPoster([{ kind: 'gone', status: 410 }])
    const { store, dispatcher } = setup(poster)
    const a = record('a')
    await store.subscriptions.create(a)
    await queue(store, a, [1])
    const ended = new Promise<[string, string]>((resolve) => { dispatcher.once('subscriptionEnded', (...args) => { resolve(args) }) })
    await dispatcher.refresh(BOX)
    assert.deepEqual(await ended, [BOX, 'a'])
    assert.equal(await store.subscriptions.get(BOX, 'a'), undefined)
    await dispatcher.close()
  })

  it('ends the subscription after `refusedAttempts` refusals in a row', async () => {
    const refused: DeliveryOutcome = { kind: 'refused', status: 403, reason: 'no' }
    const poster = new ScriptedPoster([refused, refused, refused, refused])
    const { store, dispatcher } = setup(poster)
    const a = record('a')
    await store.subscriptions.create(a)
    await queue(store, a, [1])
    const ended = new Promise<void>((resolve) => { dispatcher.once('subscriptionEnded', () => { resolve() }) })
    await dispatcher.refresh(BOX)
    await ended
    assert.equal(poster.posts.length, 3)
    assert.equal(await store.subscriptions.get(BOX, 'a'), undefined)
    await dispatcher.close()
  })

  it('moves the lists of a channel subscription into the channel queue and wakes its poll, without HTTP', async () => {
    const poster = new ScriptedPoster()
    const ref = { userId: BOX, id: 'ch1' }
    const woken: ChannelRef[] = []
    const { store, dispatcher } = setup(poster, { ref, woken })
    await store.channels.create({
      id: 'ch1', userId: BOX, maxNotifications: 10, lifetimeSeconds: 60, createdAt: Date.now(), expiresAt: Date.now() + 60_000
    })
    const a = record('a', 'channel-callback')
    await store.subscriptions.create(a)
    await queue(store, a, [1, 2])
    await dispatcher.refresh(BOX)
    await eventually('both lists in the channel', async () => (await store.channels.peek(BOX, 'ch1', 10)).length === 2)
    assert.deepEqual((await store.channels.peek(BOX, 'ch1', 10)).map((i) => i.body), ['{"list":1}', '{"list":2}'])
    assert.equal(poster.posts.length, 0)
    assert.ok(woken.length >= 2)
    await dispatcher.close()
  })

  it('stops the loops of a subscription removed from the store, and of a box given up', async () => {
    const poster = new ScriptedPoster()
    const { store, dispatcher } = setup(poster)
    const a = record('a')
    const b = record('b')
    await store.subscriptions.create(a)
    await store.subscriptions.create(b)
    assert.equal(await dispatcher.refresh(BOX), 2)
    await store.subscriptions.remove(BOX, 'a')
    assert.equal(await dispatcher.refresh(BOX), 1)
    await dispatcher.stopBox(BOX)
    assert.equal(dispatcher.runs(BOX), false)
    await queue(store, b, [1])
    dispatcher.queued(BOX, 'b')
    // Not run here any more: the signal goes to the bus, and nothing is posted.
    assert.equal(poster.posts.length, 0)
    assert.equal(await store.subscriptions.outboxLength(BOX, 'b'), 1)
    await dispatcher.close()
  })

  it('starts no loop when the box is stopped while its subscriptions are read (a lease given up, shutdown)', async () => {
    const poster = new ScriptedPoster()
    const { store, dispatcher } = setup(poster)
    const a = record('a')
    await store.subscriptions.create(a)
    await queue(store, a, [1])
    const list = store.subscriptions.list.bind(store.subscriptions)
    let stopped: Promise<void> | undefined
    store.subscriptions.list = async (boxId) => {
      const live = await list(boxId)
      stopped = dispatcher.stopBox(BOX)
      return live
    }
    assert.equal(await dispatcher.refresh(BOX), 0)
    await stopped
    assert.equal(dispatcher.runs(BOX), false)
    await dispatcher.close()
    assert.equal(poster.posts.length, 0, 'no loop was left running')
  })

  it('sends a queued signal for a box it does not run over the bus, where the dispatcher running it wakes its loop', async () => {
    const poster = new ScriptedPoster()
    const { store, dispatcher: owner } = setup(poster)
    const errors = new BackgroundErrors(logger)
    const channels = { of: () => undefined, queued: async () => {} }
    const other = new OutboxDispatcher({
      store, coordination: store.coordination, errors, logger, loop: { config, store, client: new ScriptedPoster(), channels, errors, logger }
    })
    const seen: BusMessage[] = []
    await store.coordination.subscribe((m) => { seen.push(m) })
    await owner.start()
    const a = record('a')
    await store.subscriptions.create(a)
    await owner.refresh(BOX)
    await queue(store, a, [1])
    other.queued(BOX, 'a')
    await eventually('the owner posted the list', () => poster.posts.length === 1)
    assert.deepEqual(seen, [{ kind: 'outbox', boxId: BOX, id: 'a' }])
    await owner.close()
    await other.close()
  })

  it('counts an outbox it could not read, and delivers once the store answers again', async () => {
    const poster = new ScriptedPoster()
    const { store, dispatcher, errors } = setup(poster)
    const a = record('a')
    await store.subscriptions.create(a)
    await queue(store, a, [1])
    const head = store.subscriptions.outboxHead.bind(store.subscriptions)
    let failures = 1
    store.subscriptions.outboxHead = async (boxId, id) => {
      if (failures-- > 0) throw new Error('redis down')
      return await head(boxId, id)
    }
    await dispatcher.refresh(BOX)
    await eventually('the list was delivered after the failed read', () => poster.posts.length === 1)
    assert.equal(errors.totals().get('outbox read'), 1)
    await dispatcher.close()
  })

  it('reports a bus publish that fails instead of throwing, and counts it', async () => {
    const { store, dispatcher, errors } = setup(new ScriptedPoster())
    store.coordination.publish = async () => { throw new Error('redis down') }
    dispatcher.queued(BOX, 'nobody-runs-this')
    await eventually('the failure was counted', () => errors.totals().get('outbox signal publish') === 1)
    await dispatcher.close()
  })
})
