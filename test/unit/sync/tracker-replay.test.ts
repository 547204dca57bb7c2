/**
 * Replays and restart tokens (src/sync/tracker.ts, `replay`, `token`, `resolveToken`): a replay
 * from an older position reports what the live plans of the interval reported (events described
 * the same way), a replay across a reset or from before the retention window is one resetBox, and
 * a restart token resolves to its position only while that position is replayable (same epoch, same
 * box, not forged, not from the future, its successor committed within the retention window).
 */
import { afterEach, describe, it, mock } from 'node:test'
import assert from 'node:assert/strict'
import type { ChangeEvent } from '../../../src/sync/plan-events.js'
import { planEvents } from '../../../src/sync/plan-events.js'
import type { ChangePlan } from '../../../src/sync/change-plan.js'
import type { SyncOutcome } from '../../../src/sync/tracker.js'
import { BOX_ID, NOTHING, trackerFixture, view, type PlanView, type TrackerFixture } from './tracker-fixture.js'

/** A fixture with INBOX (two messages) and Work (one), past its baseline; returns the baseline position. */
async function tracked (fx: TrackerFixture = trackerFixture()): Promise<{ fx: TrackerFixture, base: number }> {
  fx.box.append('INBOX', { subject: 'one' })
  fx.box.append('INBOX', { subject: 'two' })
  fx.box.create('Work')
  fx.box.append('Work', { subject: 'w1' })
  const base = (await fx.tracker.sync(BOX_ID)).head.seq
  return { fx, base }
}

/** The view with its lists sorted: live and replayed plans may list folders in another order. */
function sorted (v: PlanView | undefined): PlanView | undefined {
  if (v === undefined) return undefined
  return {
    reset: v.reset,
    folders: [...v.folders].sort(),
    objects: [...v.objects].sort(),
    deletions: [...v.deletions].sort(),
    folderDeletions: [...v.folderDeletions].sort()
  }
}

/** The events of a plan, one line each (what a subscriber would be told). */
async function eventLines (fx: TrackerFixture, plan: ChangePlan, outcome: SyncOutcome): Promise<string[]> {
  const lines: string[] = []
  const describe = (e: ChangeEvent): string => {
    switch (e.type) {
      case 'resetBox': return 'resetBox'
      case 'changedFolder': return `changedFolder ${e.node.imapPath} created=${String(e.created)}`
      case 'changedObject': return `changedObject ${e.object.resourceURL} created=${String(e.created)} flags=${e.object.flags.flag.join(' ')}`
      case 'deletedObject': return `deletedObject ${e.tombstone.objectId}`
      case 'deletedFolder': return `deletedFolder ${e.id} ${e.lastModSeq}`
    }
  }
  for await (const batch of planEvents(fx.ctx, plan, outcome.tree, { chunk: 50, batch: 50 })) lines.push(...batch.map(describe))
  return lines.sort()
}

afterEach(() => { mock.restoreAll() })

describe('BoxTracker.replay', () => {
  it('gives the same events as the live plan of the interval', async () => {
    const { fx } = await tracked()
    fx.box.append('INBOX', { subject: 'three' })
    fx.box.addFlags('INBOX', [1], ['\\Seen'])
    fx.box.expunge('INBOX', [2])
    fx.box.create('Projects')
    fx.box.append('Projects', { subject: 'p1' })
    fx.box.rename('Work', 'Office')
    const outcome = await fx.tracker.sync(BOX_ID)
    const live = outcome.live
    assert.ok(live !== undefined)
    const replayed = await fx.tracker.replay(BOX_ID, live.from, outcome)
    assert.deepEqual(sorted(view(replayed, outcome.tree)), sorted(view(live, outcome.tree)))
    assert.deepEqual(sorted(view(live, outcome.tree)), {
      ...NOTHING,
      folders: ['+Projects', '~Office'],
      objects: ['INBOX: 1,3 (created from 3)', 'Projects: 1 (created from 0)'],
      deletions: ['INBOX#2']
    })
    assert.deepEqual(await eventLines(fx, replayed, outcome), await eventLines(fx, live, outcome))
  })

  it('joins several intervals into one plan', async () => {
    const { fx, base } = await tracked()
    const uid = fx.box.append('INBOX', { subject: 'three' })
    await fx.tracker.sync(BOX_ID)
    fx.box.addFlags('Work', [1], ['\\Flagged'])
    await fx.tracker.sync(BOX_ID)
    fx.box.expunge('INBOX', [2])
    const outcome = await fx.tracker.sync(BOX_ID)
    const replayed = await fx.tracker.replay(BOX_ID, base, outcome)
    assert.deepEqual(sorted(view(replayed, outcome.tree)), {
      ...NOTHING, objects: [`INBOX: ${uid} (created from 3)`, 'Work: 1 (created from 2)'], deletions: ['INBOX#2']
    })
    assert.equal(replayed.from, base)
    assert.equal(replayed.to, outcome.head.seq)
  })

  it('is empty from the head, and a reset from a position past it', async () => {
    const { fx } = await tracked()
    const outcome = await fx.tracker.sync(BOX_ID)
    const head = outcome.head.seq
    assert.deepEqual(view(await fx.tracker.replay(BOX_ID, head, outcome)), NOTHING)
    assert.deepEqual(view(await fx.tracker.replay(BOX_ID, head + 5, outcome)), { ...NOTHING, reset: true })
  })

  it('is a reset across an interval that holds a reset', async () => {
    const { fx, base } = await tracked()
    // Work held a message: the folder vectors alone would call this a plain deletedFolder.
    fx.box.delete('Work')
    assert.equal((await fx.tracker.sync(BOX_ID)).live?.reset, true)
    fx.box.append('INBOX', { subject: 'later' })
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.equal(outcome.live?.reset, false, 'the interval after the reset is plain')
    assert.deepEqual(view(await fx.tracker.replay(BOX_ID, base, outcome)), { ...NOTHING, reset: true })
  })

  it('is a reset from a position trimmed away by the retention window', async () => {
    let now = 1_700_000_000_000
    mock.method(Date, 'now', () => now)
    const { fx, base } = await tracked(trackerFixture({ config: { tokens: { retentionSeconds: 60 } } }))
    now += 1000
    fx.box.append('INBOX', { subject: 'first' })
    const first = (await fx.tracker.sync(BOX_ID)).head.seq
    now += 120_000
    fx.box.append('INBOX', { subject: 'second' })
    const outcome = await fx.tracker.sync(BOX_ID)
    assert.equal((await fx.store.tracker.head(BOX_ID))?.floor, first, 'the sync trimmed what was older than the window')
    assert.deepEqual(view(await fx.tracker.replay(BOX_ID, base, outcome)), { ...NOTHING, reset: true })
    assert.deepEqual(view(await fx.tracker.replay(BOX_ID, first, outcome)), { ...NOTHING, objects: ['INBOX: 4 (created from 4)'] })
  })
})

describe('BoxTracker restart tokens', () => {
  it('resolves a token to its position, for the head and for an older position', async () => {
    const { fx, base } = await tracked()
    fx.box.append('INBOX', { subject: 'three' })
    const { head } = await fx.tracker.sync(BOX_ID)
    for (const seq of [base, head.seq]) {
      const token = await fx.tracker.token(BOX_ID, head, seq)
      assert.deepEqual(await fx.tracker.resolveToken(BOX_ID, head, token), { kind: 'position', seq })
    }
  })

  it('resolves a forged token, one of another box, epoch or purpose, or from the future, to a reset', async () => {
    const { fx } = await tracked()
    const { head } = await fx.tracker.sync(BOX_ID)
    const tokens = [
      'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      await fx.tracker.token('tel:+15559999999', head, head.seq),
      await fx.tracker.token(BOX_ID, { epoch: 'ffffffffffffffff' }, head.seq),
      await fx.tracker.token(BOX_ID, head, head.seq + 1)
    ]
    for (const token of tokens) assert.deepEqual(await fx.tracker.resolveToken(BOX_ID, head, token), { kind: 'reset' }, token)
  })

  it('resolves a position whose successor was committed before the retention window to a reset', async () => {
    let now = 1_700_000_000_000
    mock.method(Date, 'now', () => now)
    const { fx, base } = await tracked(trackerFixture({ config: { tokens: { retentionSeconds: 60 } } }))
    now += 30_000
    fx.box.append('INBOX', { subject: 'three' })
    const { head } = await fx.tracker.sync(BOX_ID)
    const old = await fx.tracker.token(BOX_ID, head, base)
    const current = await fx.tracker.token(BOX_ID, head, head.seq)
    assert.deepEqual(await fx.tracker.resolveToken(BOX_ID, head, old), { kind: 'position', seq: base })
    now += 61_000
    assert.deepEqual(await fx.tracker.resolveToken(BOX_ID, head, old), { kind: 'reset' }, 'the window counts from the successor')
    assert.deepEqual(await fx.tracker.resolveToken(BOX_ID, head, current), { kind: 'position', seq: head.seq },
      'the head never expires')
  })
})
