/**
 * The feed stage's decisions (src/notifications/feed/): after a sync, every live subscription of
 * the box is brought to the head with lists in its outbox: index 1, 2, 3... with no gap, one
 * shared plan for subscriptions at the same position and a replay for one behind, a lone
 * resetBox for a pending reset, lists cut at `maxEventsPerList` (all but the last carrying the
 * plan's start token), filters applied while the position still advances, every queued
 * subscription signalled to dispatch; and the runner syncs a box once at a time, a burst of
 * requests sharing one queued run. Scripted IMAP port and in-process store: no server.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { pino } from 'pino'
import { BackgroundErrors } from '../../../src/logging/background-errors.js'
import { BoxSyncer } from '../../../src/notifications/feed/box-syncer.js'
import { OutboxWriter } from '../../../src/notifications/feed/outbox-writer.js'
import type { SubscriptionRecord } from '../../../src/store/subscription-store.js'
import { BOX_ID, trackerFixture, type TrackerFixture } from '../sync/tracker-fixture.js'

const logger = pino({ level: 'silent' })

interface Feed extends TrackerFixture {
  syncer: BoxSyncer
  signals: string[]
}

function feedFixture (maxEventsPerList = 100): Feed {
  const f = trackerFixture({ config: { notifications: { maxEventsPerList } } })
  const signals: string[] = []
  const writer = new OutboxWriter({
    config: f.config, store: f.store, tracker: f.tracker, logger, dispatch: { queued: (_boxId, id) => { signals.push(id) } }
  })
  const errors = new BackgroundErrors(logger)
  const syncer = new BoxSyncer({ tracker: f.tracker, writer, coordination: f.store.coordination, owner: 'me', errors, logger })
  return { ...f, syncer, signals }
}

async function subscribe (f: Feed, id: string, extra: Partial<SubscriptionRecord> = {}): Promise<SubscriptionRecord> {
  const head = (await f.syncer.run(BOX_ID)).head
  const rec: SubscriptionRecord = {
    id,
    boxId: BOX_ID,
    notifyURL: `https://cb.example.com/${id}`,
    createdAt: Date.now(),
    createdSeq: head.seq,
    expiresAt: Date.now() + 60_000,
    position: head.seq,
    pendingReset: false,
    nextIndex: 1,
    restartToken: await f.tracker.token(BOX_ID, head, head.seq),
    generation: 0,
    ...extra
  }
  await f.store.subscriptions.create(rec)
  return rec
}

interface Sent { index: number, restartToken: string, events: Array<Record<string, { resourceURL?: string }>> }

/** Every list in the subscription's outbox, oldest first (taken out, as deliveries would). */
async function drain (f: Feed, id: string): Promise<Sent[]> {
  const out: Sent[] = []
  for (;;) {
    const head = await f.store.subscriptions.outboxHead(BOX_ID, id)
    if (head === undefined) return out
    const list = (JSON.parse(head.body) as { nmsEventList: { index: number, restartToken: string, nmsEvent: Sent['events'] } }).nmsEventList
    assert.equal(list.index, head.index)
    out.push({ index: list.index, restartToken: list.restartToken, events: list.nmsEvent })
    await f.store.subscriptions.outboxAck(BOX_ID, id, head.index)
  }
}

const kinds = (s: Sent): string[] => s.events.map((e) => Object.keys(e)[0] as string)

describe('OutboxWriter and BoxSyncer', () => {
  it('queues one list per subscription at the head, index 1, and signals each to dispatch', async () => {
    const f = feedFixture()
    await subscribe(f, 'a')
    await subscribe(f, 'b')
    f.box.append('INBOX', { subject: 'one' })
    await f.syncer.run(BOX_ID)
    for (const id of ['a', 'b']) {
      const lists = await drain(f, id)
      assert.equal(lists.length, 1)
      assert.equal(lists[0]?.index, 1)
      assert.deepEqual(kinds(lists[0] as Sent), ['changedObject'])
    }
    assert.deepEqual(f.signals.sort(), ['a', 'b'])
    const rec = await f.store.subscriptions.get(BOX_ID, 'a')
    assert.equal(rec?.nextIndex, 2)
  })

  it('continues indexes without a gap across syncs, and signals nothing when nothing changed', async () => {
    const f = feedFixture()
    await subscribe(f, 'a')
    f.box.append('INBOX')
    await f.syncer.run(BOX_ID)
    f.box.append('INBOX')
    await f.syncer.run(BOX_ID)
    const before = f.signals.length
    await f.syncer.run(BOX_ID)
    assert.equal(f.signals.length, before)
    assert.deepEqual((await drain(f, 'a')).map((l) => l.index), [1, 2])
  })

  it('cuts lists at maxEventsPerList; all but the last carry the plan start token, the last its end token', async () => {
    const f = feedFixture(2)
    const rec = await subscribe(f, 'a')
    for (let i = 0; i < 5; i++) f.box.append('INBOX', { subject: `m${i}` })
    const outcome = await f.syncer.run(BOX_ID)
    const lists = await drain(f, 'a')
    assert.deepEqual(lists.map((l) => [l.index, l.events.length]), [[1, 2], [2, 2], [3, 1]])
    assert.equal(lists[0]?.restartToken, rec.restartToken)
    assert.equal(lists[1]?.restartToken, rec.restartToken)
    const end = await f.tracker.token(BOX_ID, outcome.head, outcome.head.seq)
    assert.equal(lists[2]?.restartToken, end)
    assert.equal((await f.store.subscriptions.get(BOX_ID, 'a'))?.restartToken, end)
  })

  it('replays from its own position for a subscription behind the head (created with a restart token)', async () => {
    const f = feedFixture()
    const head0 = (await f.syncer.run(BOX_ID)).head
    f.box.append('INBOX', { subject: 'before the subscription' })
    await f.syncer.run(BOX_ID)
    // Created now, but from the token of before the append: it must get that append too.
    await subscribe(f, 'late', { position: head0.seq, restartToken: await f.tracker.token(BOX_ID, head0, head0.seq) })
    await subscribe(f, 'now')
    f.box.append('INBOX', { subject: 'after' })
    await f.syncer.run(BOX_ID)
    assert.deepEqual((await drain(f, 'late')).flatMap(kinds), ['changedObject', 'changedObject'])
    assert.deepEqual((await drain(f, 'now')).flatMap(kinds), ['changedObject'])
  })

  it('sends a subscription with a pending reset one resetBox and clears the reset', async () => {
    const f = feedFixture()
    await subscribe(f, 'a', { pendingReset: true })
    await f.syncer.run(BOX_ID)
    const lists = await drain(f, 'a')
    assert.deepEqual(lists.map(kinds), [['resetBox']])
    assert.equal((await f.store.subscriptions.get(BOX_ID, 'a'))?.pendingReset, false)
  })

  it('applies the filter, and still advances the position of a subscription whose events were all filtered out', async () => {
    const f = feedFixture()
    const filter = { criterion: [{ type: 'Attribute', name: 'Subject', value: 'wanted' }] }
    await subscribe(f, 'a', { filter })
    f.box.append('INBOX', { subject: 'other' })
    const outcome = await f.syncer.run(BOX_ID)
    assert.deepEqual(await drain(f, 'a'), [])
    const rec = await f.store.subscriptions.get(BOX_ID, 'a')
    assert.equal(rec?.position, outcome.head.seq)
    assert.equal(rec?.nextIndex, 1)
    f.box.append('INBOX', { subject: 'wanted' })
    await f.syncer.run(BOX_ID)
    assert.deepEqual((await drain(f, 'a')).map((l) => [l.index, kinds(l)]), [[1, ['changedObject']]])
  })

  it('writes nothing for a subscription rewound while the lists were computed (compare-and-set)', async () => {
    const f = feedFixture()
    await subscribe(f, 'a')
    f.box.append('INBOX')
    // The changed message is described (FETCH) after the writer read the subscription.
    f.imap.intercept('fetchMessages', async () => {
      await f.store.subscriptions.update(BOX_ID, 'a', { position: 0, restartToken: 'rewound' })
    }, { times: 1 })
    await f.syncer.run(BOX_ID)
    const rec = await f.store.subscriptions.get(BOX_ID, 'a')
    assert.equal(rec?.restartToken, 'rewound', 'the rewind wins')
    assert.equal(rec?.nextIndex, 1)
  })

  it('runs one sync of a box at a time; requests during a run share one queued run', async () => {
    const f = feedFixture()
    await f.syncer.run(BOX_ID)
    const listsBefore = f.imap.callsOf('listMailboxes').length
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => { release = resolve })
    f.imap.intercept('listMailboxes', async () => { await gate }, { times: 1 })
    const runs = [f.syncer.run(BOX_ID), f.syncer.run(BOX_ID), f.syncer.run(BOX_ID), f.syncer.run(BOX_ID)]
    release()
    await Promise.all(runs)
    assert.equal(f.imap.callsOf('listMailboxes').length - listsBefore, 2)
  })
})
