/**
 * The watch stage's decisions (src/notifications/watch/): an instance watches exactly the boxes
 * with live subscriptions whose lease it holds, one watch connection each; it gives a box up
 * when its last subscription ends (however it ends); a second instance takes nothing while the
 * lease is held and takes the box over once it is free; hints and sweeps become syncs. In-process
 * store and bus, a scripted watch connection and syncer: no server.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import type { Config } from '../../../src/config/schema.js'
import type { WatchHint, WatchSession } from '../../../src/imap/change-types.js'
import { BackgroundErrors } from '../../../src/logging/background-errors.js'
import type { DeliveryOutcome } from '../../../src/notifications/dispatch/callback-client.js'
import { OutboxDispatcher } from '../../../src/notifications/dispatch/outbox-dispatcher.js'
import { BoxLeases } from '../../../src/notifications/watch/box-leases.js'
import { MemoryStore } from '../../../src/store/memory-store.js'
import type { SubscriptionRecord } from '../../../src/store/subscription-store.js'
import type { SyncOutcome } from '../../../src/sync/tracker.js'
import { eventually } from '../../helpers/eventually.js'
import { unitConfig } from '../../helpers/unit-config.js'

const config: Readonly<Config> = unitConfig()
const logger = pino({ level: 'silent' })
const BOX = 'tel:+15550002'

/** Watch connections opened, and a way to make one report a change. */
class ScriptedWatch {
  readonly open = new Map<string, { hint: (h: WatchHint) => void, closed: boolean }>()
  opened = 0
  watch (box: { boxId: string }, onChange: (hint: WatchHint) => void): WatchSession {
    const entry = { hint: onChange, closed: false }
    this.open.set(box.boxId, entry)
    this.opened++
    return { mode: 'notify', close: async () => { entry.closed = true } }
  }
}

/** Counts the syncs asked for per box. */
class CountingSyncer {
  readonly runs: string[] = []
  async run (boxId: string): Promise<SyncOutcome> {
    this.runs.push(boxId)
    return { live: undefined } as unknown as SyncOutcome
  }
}

function record (id: string, expiresAt = Date.now() + 60_000): SubscriptionRecord {
  return {
    id,
    boxId: BOX,
    notifyURL: `https://cb.example.com/${id}`,
    createdAt: Date.now(),
    createdSeq: 0,
    expiresAt,
    position: 0,
    pendingReset: false,
    nextIndex: 1,
    restartToken: 'rt',
    generation: 0
  }
}

function instance (store: MemoryStore, name: string, poster = async (): Promise<DeliveryOutcome> => ({ kind: 'delivered', status: 204 })): {
  leases: BoxLeases, watch: ScriptedWatch, syncer: CountingSyncer, dispatcher: OutboxDispatcher, close: () => Promise<void>
} {
  const errors = new BackgroundErrors(logger)
  const watch = new ScriptedWatch()
  const syncer = new CountingSyncer()
  const dispatcher = new OutboxDispatcher({
    store,
    coordination: store.coordination,
    errors,
    logger,
    loop: { config, store, client: { post: poster }, channels: { of: () => undefined, queued: async () => {} }, errors, logger }
  })
  const leases = new BoxLeases({
    config,
    store,
    coordination: store.coordination,
    owner: name,
    dispatcher,
    errors,
    logger,
    watcher: { imap: watch, syncer, coalesceMs: 1, errors, logger }
  })
  return {
    leases,
    watch,
    syncer,
    dispatcher,
    close: async () => {
      await leases.close()
      await dispatcher.close()
    }
  }
}

describe('BoxLeases', () => {
  it('watches a box with a live subscription, with one watch connection, and syncs it on a hint and on a sweep', async () => {
    const store = new MemoryStore()
    await store.subscriptions.create(record('a'))
    const a = instance(store, 'A')
    await a.leases.keepLeases()
    assert.ok(a.leases.owns(BOX))
    assert.equal(a.watch.opened, 1)
    assert.ok(a.dispatcher.runs(BOX))
    await eventually('the catch-up sync after claiming', () => a.syncer.runs.length === 1)
    a.watch.open.get(BOX)?.hint({ kind: 'change' } as unknown as WatchHint)
    await eventually('a sync after the hint', () => a.syncer.runs.length === 2)
    a.leases.sweep()
    await eventually('a sync after the sweep', () => a.syncer.runs.length === 3)
    await a.close()
  })

  it('does not watch a box whose subscriptions have all expired', async () => {
    const store = new MemoryStore()
    await store.subscriptions.create(record('old', Date.now() - 1))
    const a = instance(store, 'A')
    await a.leases.keepLeases()
    assert.ok(!a.leases.owns(BOX))
    await a.close()
  })

  it('gives the box up, closing its watch connection and releasing the lease, when its last subscription is removed', async () => {
    const store = new MemoryStore()
    await store.subscriptions.create(record('a'))
    const a = instance(store, 'A')
    await a.leases.keepLeases()
    await store.subscriptions.remove(BOX, 'a')
    await a.leases.subscriptionsChanged(BOX, 'a')
    assert.ok(!a.leases.owns(BOX))
    assert.equal(a.watch.open.get(BOX)?.closed, true)
    assert.ok(!a.dispatcher.runs(BOX))
    assert.ok(await store.coordination.acquire(`watch:${BOX}`, 'someone-else', 1000), 'the lease is free')
    await a.close()
  })

  it('gives the box up when its last subscription ends on its own (the receiver is gone)', async () => {
    const store = new MemoryStore()
    const rec = record('a')
    await store.subscriptions.create(rec)
    await store.subscriptions.append(BOX, 'a', {
      expectGeneration: 0, expectPosition: 0, expectNextIndex: 1, items: [{ index: 1, body: '{}' }], position: 1, restartToken: 'r', clearReset: false
    })
    const a = instance(store, 'A', async () => ({ kind: 'gone', status: 404 }))
    await a.leases.keepLeases()
    await eventually('the box is no longer watched', () => !a.leases.owns(BOX))
    assert.equal(a.watch.open.get(BOX)?.closed, true)
    await a.close()
  })

  it('lets only the lease holder watch; another instance takes the box over once the holder lets go', async () => {
    const store = new MemoryStore()
    await store.subscriptions.create(record('a'))
    const a = instance(store, 'A')
    const b = instance(store, 'B')
    await a.leases.keepLeases()
    await b.leases.keepLeases()
    assert.ok(a.leases.owns(BOX))
    assert.ok(!b.leases.owns(BOX))
    assert.equal(b.watch.opened, 0)
    await a.close()
    await b.leases.keepLeases()
    assert.ok(b.leases.owns(BOX))
    await b.close()
  })

  it('starts the delivery loops at the next lease round when the store failed while the box was claimed', async () => {
    const store = new MemoryStore()
    await store.subscriptions.create(record('a'))
    const a = instance(store, 'A')
    const list = store.subscriptions.list.bind(store.subscriptions)
    let failures = 1
    store.subscriptions.list = async (boxId) => {
      if (failures-- > 0) throw new Error('redis down')
      return await list(boxId)
    }
    await assert.rejects(a.leases.keepLeases(), /redis down/)
    assert.ok(a.leases.owns(BOX))
    assert.ok(!a.dispatcher.runs(BOX), 'no loops yet')
    await a.leases.keepLeases()
    assert.ok(a.dispatcher.runs(BOX), 'the next round started them')
    await a.close()
  })

  it('routes a change made through another instance to the holder over the bus', async () => {
    const store = new MemoryStore()
    await store.subscriptions.create(record('a'))
    const a = instance(store, 'A')
    const b = instance(store, 'B')
    await a.leases.start()
    await eventually('the catch-up sync', () => a.syncer.runs.length === 1)
    b.leases.poke(BOX)
    await eventually('the holder synced after the poke', () => a.syncer.runs.length === 2)
    assert.equal(b.syncer.runs.length, 0)
    await a.close()
    await b.close()
  })
})
