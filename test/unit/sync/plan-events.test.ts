/**
 * From a change plan to events (src/sync/plan-events.ts): a reset plan is one resetBox and
 * nothing else; otherwise changed folders (parents first), changed objects folder by folder,
 * deleted objects, deleted folders; batches of at most `batch` events, objects described
 * `chunk` UIDs per FETCH (pager texts in one FETCH per chunk), `created` from the plan's
 * UIDNEXT mark; messages gone since the sync are skipped, a folder gone is skipped whole, and
 * any other IMAP failure surfaces.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { encodeObjectId } from '../../../src/nms/ids/object-id.js'
import type { FolderNode } from '../../../src/nms/folders/tree.js'
import { emptyPlan, type ChangePlan } from '../../../src/sync/change-plan.js'
import { planEvents, type ChangeEvent } from '../../../src/sync/plan-events.js'
import type { SyncOutcome } from '../../../src/sync/tracker.js'
import { BOX_ID, trackerFixture, type TrackerFixture } from './tracker-fixture.js'

interface Setup {
  fx: TrackerFixture
  outcome: SyncOutcome
  node: (path: string) => FolderNode
}

/** INBOX with seven messages, A and A/B, tracked. */
async function setup (): Promise<Setup> {
  const fx = trackerFixture()
  for (let i = 1; i <= 7; i++) fx.box.append('INBOX', { subject: `m${i}`, messageId: `<m${i}@test>` })
  fx.box.create('A')
  fx.box.create('A/B')
  const outcome = await fx.tracker.sync(BOX_ID)
  fx.imap.calls.length = 0
  const node = (path: string): FolderNode => {
    const n = outcome.tree.all().find((x) => x.imapPath === path)
    if (n === undefined) throw new Error(`no folder ${path}`)
    return n
  }
  return { fx, outcome, node }
}

async function collect (
  s: Setup, plan: ChangePlan, opts: { chunk: number, batch: number } = { chunk: 100, batch: 100 }
): Promise<ChangeEvent[][]> {
  const out: ChangeEvent[][] = []
  for await (const batch of planEvents(s.fx.ctx, plan, s.outcome.tree, opts)) out.push(batch)
  return out
}

/** One line per event. */
function line (e: ChangeEvent): string {
  switch (e.type) {
    case 'resetBox': return 'resetBox'
    case 'changedFolder': return `changedFolder ${e.node.imapPath}${e.created ? ' created' : ''}`
    case 'changedObject': return `changedObject ${e.node.imapPath}#${e.meta.uid}${e.created ? ' created' : ''}`
    case 'deletedObject': return `deletedObject ${e.tombstone.folderId}`
    case 'deletedFolder': return `deletedFolder ${e.id}@${e.lastModSeq}`
  }
}

/** A plan touching everything: folders (child listed first), INBOX objects, a deletion, a deleted folder. */
function fullPlan (s: Setup, uids: number[] = [2, 5]): ChangePlan {
  const inbox = s.node('INBOX')
  const plan = emptyPlan(1, 2)
  plan.folders = [{ node: s.node('A/B'), created: true }, { node: s.node('A'), created: false }]
  plan.objects = [{ node: inbox, uids, createdFromUid: 5 }]
  plan.deletions = [{ objectId: encodeObjectId({ folderId: inbox.id, uidValidity: inbox.uidValidity, uid: 9 }), folderId: 'gone-folder' }]
  plan.folderDeletions = [{ id: 'gone-folder', lastModSeq: 2 }]
  return plan
}

describe('planEvents', () => {
  it('yields one resetBox alone for a reset plan, asking IMAP nothing', async () => {
    const s = await setup()
    const plan = { ...fullPlan(s), reset: true }
    assert.deepEqual(await collect(s, plan), [[{ type: 'resetBox' }]])
    assert.deepEqual(s.fx.imap.calls, [])
  })

  it('orders folders (parents first), objects, deleted objects, deleted folders', async () => {
    const s = await setup()
    const events = (await collect(s, fullPlan(s))).flat()
    assert.deepEqual(events.map(line), [
      'changedFolder A',
      'changedFolder A/B created',
      'changedObject INBOX#2',
      'changedObject INBOX#5 created',
      'deletedObject gone-folder',
      'deletedFolder gone-folder@2'
    ])
  })

  it('describes a changed folder by name, attributes and first-seen date, and a changed object as it is now', async () => {
    const s = await setup()
    s.fx.box.addFlags('INBOX', [2], ['\\Flagged'])
    const events = (await collect(s, fullPlan(s))).flat()
    const folder = events.find((e) => e.type === 'changedFolder' && e.node.imapPath === 'A/B')
    assert.ok(folder?.type === 'changedFolder')
    assert.deepEqual(folder.searchable.name, 'B')
    assert.equal(folder.searchable.date, s.node('A/B').firstSeen)
    const object = events.find((e) => e.type === 'changedObject' && e.meta.uid === 2)
    assert.ok(object?.type === 'changedObject')
    assert.deepEqual(object.object.flags.flag, ['\\Flagged'])
    assert.equal(object.object.correlationId, 'm2@test')
  })

  it('cuts events into batches of `batch`, describing `chunk` UIDs per FETCH', async () => {
    const s = await setup()
    const plan = fullPlan(s, [1, 2, 3, 4, 5, 6, 7])
    plan.deletions = [...plan.deletions, ...plan.deletions, ...plan.deletions]
    const batches = await collect(s, plan, { chunk: 3, batch: 2 })
    const letter = { resetBox: 'R', changedFolder: 'F', changedObject: 'O', deletedObject: 'D', deletedFolder: 'X' }
    assert.deepEqual(batches.map((b) => b.map((e) => letter[e.type]).join('')), [
      'FF', // two folders
      'OO', 'O', // uids 1-3
      'OO', 'O', // uids 4-6
      'O', // uid 7
      'DD', 'D', // three deletions
      'X' // one deleted folder
    ])
    assert.deepEqual(s.fx.imap.callsOf('fetchMessages').length, 3)
    assert.ok(batches.every((b) => b.length <= 2))
  })

  it('fetches the texts of the pager messages of a chunk in one FETCH', async () => {
    const s = await setup()
    const a = s.fx.box.append('INBOX', { from: 'tel:+15550001', text: 'hello' })
    const b = s.fx.box.append('INBOX', { from: 'tel:+15550002', text: 'there' })
    const plan = emptyPlan(1, 2)
    plan.objects = [{ node: s.node('INBOX'), uids: [1, a, b], createdFromUid: a }]
    const events = (await collect(s, plan)).flat()
    const texts = events.map((e) => e.type === 'changedObject'
      ? e.object.attributes.attribute.find((x) => x.name === 'TextContent')?.value[0]
      : undefined)
    assert.deepEqual(texts, [undefined, 'hello', 'there'])
    assert.equal(s.fx.imap.callsOf('fetchTexts').length, 1)
  })

  it('skips messages expunged since the sync, and a folder gone since, and goes on', async () => {
    const s = await setup()
    s.fx.box.expunge('INBOX', [5])
    const plan = emptyPlan(1, 2)
    s.fx.box.bumpUidValidity('A')
    plan.objects = [{ node: s.node('A'), uids: [1], createdFromUid: 0 }, { node: s.node('INBOX'), uids: [2, 5], createdFromUid: 9 }]
    const events = (await collect(s, plan)).flat()
    assert.deepEqual(events.map(line), ['changedObject INBOX#2'])
  })

  it('lets any other IMAP failure through', async () => {
    const s = await setup()
    s.fx.imap.failNext('fetchMessages')
    await assert.rejects(collect(s, fullPlan(s)), (err: { code?: string }) => err.code === 'GW_ERR_IMAP_UNAVAILABLE')
  })
})
