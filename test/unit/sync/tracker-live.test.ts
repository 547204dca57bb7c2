/**
 * The tracker's live plans (src/sync/tracker.ts, `sync`) on a CONDSTORE/QRESYNC server: the
 * first sync is a baseline without events; afterwards each sync reports exactly what changed
 * since the previous one (new messages, flag changes, expunges as tombstones, folders created,
 * renamed or deleted) by scanning only the folders whose STATUS moved, and answers a lost
 * UIDVALIDITY, or a folder deleted with unknown messages, with a resetBox.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { encodeObjectId } from '../../../src/nms/ids/object-id.js'
import { BOX_ID, NOTHING, trackedPaths, trackerFixture, view, type TrackerFixture } from './tracker-fixture.js'

/** A fixture with INBOX (two messages) and Work, past its baseline. */
async function tracked (): Promise<TrackerFixture> {
  const fx = trackerFixture()
  fx.box.append('INBOX', { subject: 'one' })
  fx.box.append('INBOX', { subject: 'two', flags: ['\\Seen'] })
  fx.box.create('Work')
  await fx.tracker.sync(BOX_ID)
  fx.imap.calls.length = 0
  return fx
}

describe('BoxTracker.sync: baseline', () => {
  it('records every folder at the first sync and reports no events', async () => {
    const fx = trackerFixture()
    fx.box.append('INBOX', { subject: 'one' })
    fx.box.create('Work')
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.equal(outcome.live, undefined, 'a baseline has no live plan')
    assert.equal(outcome.mode, 'qresync')
    assert.ok(outcome.head.seq > 0)
    assert.deepEqual(outcome.head.folders.map((f) => [f.path, f.uidNext, f.messages, f.highestModseq]).sort(), [
      ['INBOX', 2, 1, '2'], ['Work', 1, 0, '1']
    ])
    assert.deepEqual(fx.imap.callsOf('scanChanges'), [], 'a baseline scans no folder')
  })

  it('commits nothing and keeps its position when nothing changed', async () => {
    const fx = await tracked()
    const before = await fx.store.tracker.head(BOX_ID)
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(view(outcome.live), NOTHING)
    assert.equal(outcome.head.seq, before?.seq)
    assert.deepEqual(fx.imap.callsOf('scanChanges'), [], 'no folder moved, none is scanned')
  })
})

describe('BoxTracker.sync: message changes', () => {
  it('reports a new message as created, scanning only the folder that moved', async () => {
    const fx = await tracked()
    const uid = fx.box.append('INBOX', { subject: 'three' })
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(view(outcome.live), { ...NOTHING, objects: [`INBOX: ${uid} (created from 3)`] })
    assert.deepEqual(fx.imap.callsOf('scanChanges').map((c) => c.path), ['INBOX'])
    assert.ok(outcome.live !== undefined && outcome.live.to === outcome.head.seq && outcome.live.from < outcome.live.to)
  })

  it('reports a flag change as a changed object that is not new', async () => {
    const fx = await tracked()
    fx.box.addFlags('INBOX', [1], ['\\Flagged'])
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(view(outcome.live), { ...NOTHING, objects: ['INBOX: 1 (created from 3)'] })
  })

  it('reports an expunge as a tombstone carrying the MODSEQ after it', async () => {
    const fx = await tracked()
    fx.box.expunge('INBOX', [2])
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(view(outcome.live, outcome.tree), { ...NOTHING, deletions: ['INBOX#2'] })
    const inbox = outcome.tree.all().find((n) => n.imapPath === 'INBOX')
    assert.ok(inbox !== undefined)
    assert.deepEqual(outcome.live?.deletions, [{
      objectId: encodeObjectId({ folderId: inbox.id, uidValidity: inbox.uidValidity, uid: 2 }),
      folderId: inbox.id,
      lastModSeq: fx.box.mailbox('INBOX').highestModseq.toString()
    }])
    assert.deepEqual((await fx.store.tracker.tombstones(BOX_ID, 0, outcome.head.seq)).map((t) => t.objectId),
      outcome.live?.deletions.map((t) => t.objectId), 'the tombstone is kept for replays')
  })

  it('reports nothing for a message created and expunged within one interval', async () => {
    const fx = await tracked()
    const uid = fx.box.append('INBOX', { subject: 'fleeting' })
    fx.box.expunge('INBOX', [uid])
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(view(outcome.live), NOTHING, 'a UID at or above the old UIDNEXT was never known: no tombstone')
    assert.ok(outcome.head.seq > (outcome.live?.from ?? 0), 'the new UIDNEXT is committed all the same')
  })

  it('carries the correlation noted by the gateway into the tombstone, and drops the note', async () => {
    const fx = await tracked()
    const inbox = (await fx.store.tracker.head(BOX_ID))?.folders.find((f) => f.path === 'INBOX')
    assert.ok(inbox !== undefined)
    const objectId = encodeObjectId({ folderId: inbox.id, uidValidity: inbox.uidValidity, uid: 1 })
    await fx.store.tracker.noteCorrelations(BOX_ID, [{ objectId, correlationId: 'c-1', correlationTag: 't-1', at: Date.now() }])
    fx.box.expunge('INBOX', [1])
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.equal(outcome.live?.deletions[0]?.correlationId, 'c-1')
    assert.equal(outcome.live?.deletions[0]?.correlationTag, 't-1')
    assert.equal((await fx.store.tracker.correlations(BOX_ID, [objectId])).size, 0)
  })
})

describe('BoxTracker.sync: folder changes', () => {
  it('reports a created folder, and its messages as created objects', async () => {
    const fx = await tracked()
    fx.box.create('Projects')
    fx.box.append('Projects', { subject: 'p1' })
    fx.box.create('Empty')
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(view(outcome.live), {
      ...NOTHING, folders: ['+Empty', '+Projects'], objects: ['Projects: 1 (created from 0)']
    })
  })

  it('reports a renamed folder as changed, keeping its id, without deletions', async () => {
    const fx = await tracked()
    const before = await trackedPaths(fx)
    fx.box.rename('Work', 'Office')
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(view(outcome.live), { ...NOTHING, folders: ['~Office'] })
    const id = [...before].find(([, p]) => p === 'Work')?.[0]
    assert.equal(outcome.live?.folders[0]?.node.id, id)
  })

  it('reports an empty folder deleted by another client as a deletedFolder at the new position', async () => {
    const fx = await tracked()
    const id = [...await trackedPaths(fx)].find(([, p]) => p === 'Work')?.[0]
    fx.box.delete('Work')
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(view(outcome.live), { ...NOTHING, folderDeletions: [id ?? ''] })
    assert.deepEqual(outcome.live?.folderDeletions, [{ id, lastModSeq: outcome.head.seq }])
    assert.equal(outcome.head.folders.some((f) => f.id === id), false)
  })

  it('resets the box when another client deletes a folder that held messages', async () => {
    const fx = await tracked()
    fx.box.append('Work', { subject: 'w1' })
    await fx.tracker.sync(BOX_ID)
    fx.box.delete('Work')
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(view(outcome.live), { ...NOTHING, reset: true })
    const entries = await fx.store.tracker.entries(BOX_ID, outcome.live?.from ?? 0, outcome.head.seq)
    assert.deepEqual(entries.map((e) => e.reset), [true], 'the reset is in the log, so replays across it reset too')
  })

  it('reports each message of a folder the gateway deleted (its deletion note), not a reset', async () => {
    const fx = await tracked()
    fx.box.append('Work', { subject: 'w1' })
    fx.box.append('Work', { subject: 'w2' })
    const synced = await fx.tracker.sync(BOX_ID)
    const work = synced.head.folders.find((f) => f.path === 'Work')
    assert.ok(work !== undefined)
    await fx.store.tracker.noteDeletions(BOX_ID, [{
      folderId: work.id, at: Date.now(), uidValidity: work.uidValidity, uids: '1:2', highestModseq: work.highestModseq
    }])
    fx.box.delete('Work')
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(view(outcome.live, outcome.tree, new Map([[work.id, 'Work']])), {
      ...NOTHING, deletions: ['Work#1', 'Work#2'], folderDeletions: [work.id]
    })
    const deletionModseq = (BigInt(work.highestModseq) + 1n).toString()
    assert.deepEqual(outcome.live?.deletions.map((t) => t.lastModSeq), [deletionModseq, deletionModseq])
    assert.equal((await fx.store.tracker.deletionNotes(BOX_ID, [work.id])).size, 0, 'the note is used once')
  })

  it('ignores a deletion note older than the retention window (a delete that failed back then)', async () => {
    const fx = await tracked()
    fx.box.append('Work', { subject: 'w1' })
    const synced = await fx.tracker.sync(BOX_ID)
    const work = synced.head.folders.find((f) => f.path === 'Work')
    assert.ok(work !== undefined)
    const stale = Date.now() - (fx.config.tokens.retentionSeconds + 1) * 1000
    await fx.store.tracker.noteDeletions(BOX_ID, [{
      folderId: work.id, at: stale, uidValidity: work.uidValidity, uids: '1', highestModseq: work.highestModseq
    }])
    fx.box.delete('Work')
    assert.equal((await fx.tracker.sync(BOX_ID)).live?.reset, true)
  })
})

describe('BoxTracker.sync: resets', () => {
  it('resets the box when a folder\'s UIDVALIDITY changes', async () => {
    const fx = await tracked()
    const before = await fx.store.tracker.head(BOX_ID)
    fx.box.bumpUidValidity('INBOX')
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(view(outcome.live), { ...NOTHING, reset: true })
    assert.equal(outcome.live?.from, before?.seq)
    assert.equal(outcome.live?.to, outcome.head.seq)
    assert.equal(outcome.head.epoch, before?.epoch, 'a reset is an event, not a new epoch')
  })

  it('resets the box when a folder is deleted and created again under its name', async () => {
    const fx = await tracked()
    fx.box.delete('Work')
    fx.box.create('Work')
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(view(outcome.live), { ...NOTHING, reset: true })
  })

  it('reports changes normally after a reset', async () => {
    const fx = await tracked()
    fx.box.bumpUidValidity('INBOX')
    await fx.tracker.sync(BOX_ID)
    const uid = fx.box.append('INBOX', { subject: 'after' })
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.deepEqual(view(outcome.live), { ...NOTHING, objects: [`INBOX: ${uid} (created from ${uid})`] })
  })
})
