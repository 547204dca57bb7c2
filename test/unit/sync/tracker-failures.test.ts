/**
 * The tracker when IMAP fails or races (src/sync/tracker.ts): a sync whose IMAP command fails
 * commits nothing, so the next sync reports the change; a folder that vanishes between the LIST
 * and its scan keeps its old state; a change landing between the LIST and the scans is reported
 * again by the next sync, never skipped; and two syncs racing commit once (compare-and-set on the
 * head), so no change is reported twice.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BOX_ID, NOTHING, trackerFixture, view, type TrackerFixture } from './tracker-fixture.js'

async function tracked (opts: { qresync?: boolean } = {}): Promise<TrackerFixture> {
  const fx = trackerFixture({ imap: opts })
  fx.box.append('INBOX', { subject: 'one' })
  fx.box.append('INBOX', { subject: 'two' })
  fx.box.create('Work')
  await fx.tracker.sync(BOX_ID)
  return fx
}

/** Everything the store keeps of the box's tracking, to compare before and after. */
async function trackingState (fx: TrackerFixture): Promise<unknown> {
  const head = await fx.store.tracker.head(BOX_ID)
  const ids = (head?.folders ?? []).map((f) => f.id)
  return {
    head,
    entries: await fx.store.tracker.entries(BOX_ID, 0, Number.MAX_SAFE_INTEGER),
    tombstones: await fx.store.tracker.tombstones(BOX_ID, 0, Number.MAX_SAFE_INTEGER),
    snapshots: [...await fx.store.tracker.flagSnapshots(BOX_ID, ids)]
  }
}

describe('BoxTracker.sync: failed IMAP commands', () => {
  const failing = [
    { method: 'listMailboxes', qresync: true },
    { method: 'scanChanges', qresync: true },
    { method: 'scanFlags', qresync: false }
  ] as const
  for (const { method, qresync } of failing) {
    it(`leaves the stored state as it was when ${method} fails, and reports the change at the next sync`, async () => {
      const fx = await tracked({ qresync })
      fx.box.expunge('INBOX', [1])
      const uid = fx.box.append('INBOX', { subject: 'three' })
      const before = await trackingState(fx)
      fx.imap.failNext(method)
      await assert.rejects(fx.tracker.sync(BOX_ID), (err: { code?: string }) => err.code === 'GW_ERR_IMAP_UNAVAILABLE')
      assert.deepEqual(await trackingState(fx), before, 'nothing half-committed')
      const outcome = await fx.tracker.sync(BOX_ID)
      assert.deepEqual(view(outcome.live, outcome.tree), { ...NOTHING, objects: [`INBOX: ${uid} (created from 3)`], deletions: ['INBOX#1'] })
    })
  }

  it('keeps the old state of a folder deleted between the LIST and its scan, and commits the others', async () => {
    const fx = await tracked()
    fx.box.append('Work', { subject: 'w1' })
    const uid = fx.box.append('INBOX', { subject: 'three' })
    const workBefore = (await fx.store.tracker.head(BOX_ID))?.folders.find((f) => f.path === 'Work')
    fx.imap.intercept('scanChanges', (call) => { if (call.path === 'Work') fx.box.delete('Work') })
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(view(outcome.live), { ...NOTHING, objects: [`INBOX: ${uid} (created from 3)`] })
    assert.deepEqual(outcome.head.folders.find((f) => f.path === 'Work'), workBefore, 'Work keeps its tracked state')
    fx.imap.clearIntercepts()
    // As tracked, Work never held a message: its deletion loses nothing a client was told of.
    assert.deepEqual(view((await fx.tracker.sync(BOX_ID)).live), { ...NOTHING, folderDeletions: [workBefore?.id ?? ''] },
      'the next sync sees Work deleted')
  })
})

describe('BoxTracker.sync: races', () => {
  it('reports again, at the next sync, a change that lands between the LIST and the scans', async () => {
    const fx = await tracked()
    fx.box.append('INBOX', { subject: 'three' })
    let late = 0
    fx.imap.intercept('scanChanges', () => { late = fx.box.append('INBOX', { subject: 'late' }) }, { times: 1 })
    await fx.tracker.sync(BOX_ID)
    const next = await fx.tracker.sync(BOX_ID)
    assert.ok(next.live?.objects.some((o) => o.node.imapPath === 'INBOX' && o.uids.includes(late)),
      'the committed state is the LIST\'s, before the late message')
  })

  it('commits once when two syncs race, so the change is reported by one of them only', async () => {
    const fx = await tracked()
    const before = (await fx.store.tracker.head(BOX_ID))?.seq ?? 0
    const uid = fx.box.append('INBOX', { subject: 'three' })
    // Both syncs list the folders before either commits.
    let listed = 0
    let release = (): void => {}
    const bothListed = new Promise<void>((resolve) => { release = resolve })
    fx.imap.intercept('listMailboxes', async () => {
      if (++listed === 2) release()
      await bothListed
    }, { times: 2 })
    const [a, b] = await Promise.all([fx.tracker.sync(BOX_ID), fx.tracker.sync(BOX_ID)])
    assert.equal(listed, 2)
    const reported = [a, b].flatMap((o) => o.live?.objects.flatMap((x) => x.uids) ?? [])
    assert.deepEqual(reported, [uid], 'one sync reports it, the other finds nothing left')
    assert.equal(a.head.seq, b.head.seq)
    assert.equal((await fx.store.tracker.entries(BOX_ID, before, Number.MAX_SAFE_INTEGER)).length, 1, 'one commit')
    assert.equal(fx.imap.callsOf('listMailboxes').length, 1 + 3, 'the loser listed again from the winner\'s state')
  })
})
