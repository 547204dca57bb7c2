/**
 * The tracker on servers without QRESYNC (`tracking.mode: snapshot`, architecture of
 * src/sync/flag-snapshot.ts): changes are found by comparing each scanned folder's stored flag
 * snapshot with a fresh `UID FETCH 1:* (UID FLAGS)`. With CONDSTORE only the folders whose
 * HIGHESTMODSEQ moved are scanned; without it (no MODSEQ at all) every folder is, since a flag
 * change leaves no trace in STATUS. Replays report every message of a folder that moved.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BOX_ID, NOTHING, trackerFixture, view, type TrackerFixture } from './tracker-fixture.js'

/** A snapshot-mode fixture with INBOX (two messages) and Work (one), past its baseline. */
async function tracked (condstore: boolean): Promise<TrackerFixture> {
  const fx = trackerFixture({ imap: { qresync: false, condstore } })
  fx.box.append('INBOX', { subject: 'one' })
  fx.box.append('INBOX', { subject: 'two', flags: ['\\Seen'] })
  fx.box.create('Work')
  fx.box.append('Work', { subject: 'w1' })
  await fx.tracker.sync(BOX_ID)
  fx.imap.calls.length = 0
  return fx
}

for (const condstore of [true, false]) {
  describe(`BoxTracker.sync in snapshot mode (${condstore ? 'CONDSTORE' : 'no MODSEQ'})`, () => {
    it('stores a flag snapshot of every folder at the baseline, without events', async () => {
      const fx = trackerFixture({ imap: { qresync: false, condstore } })
      fx.box.append('INBOX', { subject: 'one', flags: ['\\Seen'] })
      const outcome = await fx.tracker.sync(BOX_ID)
      assert.equal(outcome.mode, 'snapshot')
      assert.equal(outcome.live, undefined)
      const inbox = outcome.head.folders.find((f) => f.path === 'INBOX')
      assert.ok(inbox?.digest !== undefined, 'the digest tells replays the folder moved')
      const snaps = await fx.store.tracker.flagSnapshots(BOX_ID, [inbox.id])
      assert.deepEqual(snaps.get(inbox.id), { uids: '1', flags: { '\\seen': '1' } })
    })

    it('reports a new message as created', async () => {
      const fx = await tracked(condstore)
      const uid = fx.box.append('INBOX', { subject: 'three' })
      assert.deepEqual(view((await fx.tracker.sync(BOX_ID)).live), { ...NOTHING, objects: [`INBOX: ${uid} (created from 3)`] })
    })

    // Without MODSEQ the folder's STATUS does not move: the new snapshot must still be committed.
    it('reports a flag change, once', async () => {
      const fx = await tracked(condstore)
      fx.box.removeFlags('INBOX', [2], ['\\Seen'])
      assert.deepEqual(view((await fx.tracker.sync(BOX_ID)).live), { ...NOTHING, objects: ['INBOX: 2 (created from 3)'] })
      assert.deepEqual(view((await fx.tracker.sync(BOX_ID)).live), NOTHING, 'the new snapshot was stored')
    })

    it('reports an expunged message as a tombstone', async () => {
      const fx = await tracked(condstore)
      fx.box.expunge('INBOX', [1])
      const outcome = await fx.tracker.sync(BOX_ID)
      assert.deepEqual(view(outcome.live, outcome.tree), { ...NOTHING, deletions: ['INBOX#1'] })
      const expected = condstore ? fx.box.mailbox('INBOX').highestModseq.toString() : undefined
      assert.equal(outcome.live?.deletions[0]?.lastModSeq, expected)
    })

    it('reports a created folder with its messages, from its first snapshot', async () => {
      const fx = await tracked(condstore)
      fx.box.create('Projects')
      fx.box.append('Projects', { subject: 'p1' })
      fx.box.append('Projects', { subject: 'p2' })
      const outcome = await fx.tracker.sync(BOX_ID)
      assert.deepEqual(view(outcome.live), { ...NOTHING, folders: ['+Projects'], objects: ['Projects: 1,2 (created from 0)'] })
      assert.deepEqual(fx.imap.callsOf('searchUids'), [], 'the snapshot names the UIDs; no SEARCH needed')
    })

    it('replays every message of a folder that moved, and the deletions, but nothing of folders that did not', async () => {
      const fx = await tracked(condstore)
      const from = (await fx.store.tracker.head(BOX_ID))?.seq ?? 0
      fx.box.addFlags('INBOX', [1], ['\\Flagged'])
      fx.box.expunge('INBOX', [2])
      const outcome = await fx.tracker.sync(BOX_ID)
      assert.deepEqual(view(outcome.live, outcome.tree), { ...NOTHING, objects: ['INBOX: 1 (created from 3)'], deletions: ['INBOX#2'] })
      // Without MODSEQ a replay cannot tell which messages moved: all of them (digest 3.1 allows repeats).
      assert.deepEqual(view(await fx.tracker.replay(BOX_ID, from, outcome), outcome.tree),
        { ...NOTHING, objects: ['INBOX: 1 (created from 3)'], deletions: ['INBOX#2'] })
    })
  })
}

describe('BoxTracker.sync in snapshot mode: which folders are scanned', () => {
  it('with CONDSTORE, scans only the folders whose HIGHESTMODSEQ moved', async () => {
    const fx = await tracked(true)
    fx.box.addFlags('Work', [1], ['\\Seen'])
    await fx.tracker.sync(BOX_ID)
    assert.deepEqual(fx.imap.callsOf('scanFlags').map((c) => c.path), ['Work'])
  })

  it('without MODSEQ, scans every folder, since a flag change leaves STATUS as it was', async () => {
    const fx = await tracked(false)
    fx.box.addFlags('Work', [1], ['\\Seen'])
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(fx.imap.callsOf('scanFlags').map((c) => c.path).sort(), ['INBOX', 'Work'])
    assert.deepEqual(view(outcome.live), { ...NOTHING, objects: ['Work: 1 (created from 2)'] })
  })
})
