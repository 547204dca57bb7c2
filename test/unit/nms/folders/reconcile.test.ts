import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { planReconcile, type SeenMailbox } from '../../../../src/nms/folders/reconcile.js'
import type { FolderRecord } from '../../../../src/store/folder-registry-store.js'

function rec (id: string, path: string, uidValidity: string, lastModSeq = 1): FolderRecord {
  return { id, path, uidValidity, lastModSeq, firstSeen: '2024-01-01T00:00:00Z' }
}
const mb = (path: string, uidValidity: string): SeenMailbox => ({ path, uidValidity })

describe('planReconcile', () => {
  it('keeps records whose path and UIDVALIDITY match', () => {
    const plan = planReconcile([mb('INBOX', '10'), mb('Work', '11')], [rec('i', 'INBOX', '10'), rec('w', 'Work', '11')], '/')
    assert.deepEqual([...plan.unchanged.keys()], ['INBOX', 'Work'])
    assert.deepEqual([plan.renamed, plan.fresh, plan.removed], [[], [], []])
  })

  it('claims new mailboxes and retires records of vanished ones', () => {
    const plan = planReconcile([mb('INBOX', '10'), mb('New', '12')], [rec('i', 'INBOX', '10'), rec('g', 'Gone', '11')], '/')
    assert.deepEqual(plan.fresh, [mb('New', '12')])
    assert.deepEqual(plan.removed.map((r) => r.id), ['g'])
  })

  it('gives a mailbox deleted and created again (new UIDVALIDITY) a new id', () => {
    const plan = planReconcile([mb('Work', '20')], [rec('w', 'Work', '11')], '/')
    assert.deepEqual(plan.fresh, [mb('Work', '20')])
    assert.deepEqual(plan.removed.map((r) => r.id), ['w'])
  })

  it('recognises a rename by another client by its UIDVALIDITY, children included; only the renamed folder bumps', () => {
    const plan = planReconcile(
      [mb('Job', '11'), mb('Job/Child', '12')],
      [rec('w', 'Work', '11'), rec('c', 'Work/Child', '12')],
      '/'
    )
    assert.deepEqual(plan.renamed.map((r) => [r.record.id, r.path, r.bump]), [['w', 'Job', true], ['c', 'Job/Child', false]])
    assert.deepEqual([plan.fresh, plan.removed], [[], []])
  })

  it('bumps a folder moved under another parent, even with the same name', () => {
    const plan = planReconcile(
      [mb('A', '1'), mb('B', '2'), mb('B/X', '3')],
      [rec('a', 'A', '1'), rec('b', 'B', '2'), rec('x', 'A/X', '3')],
      '/'
    )
    assert.deepEqual(plan.renamed.map((r) => [r.record.id, r.path, r.bump]), [['x', 'B/X', true]])
  })

  it('follows renames for \\Noselect folders through their renamed children', () => {
    const plan = planReconcile(
      [mb('New', '0'), mb('New/Sub', '0'), mb('New/Sub/Leaf', '7')],
      [rec('n', 'Old', '0'), rec('s', 'Old/Sub', '0'), rec('l', 'Old/Sub/Leaf', '7')],
      '/'
    )
    assert.deepEqual(plan.renamed.map((r) => [r.record.id, r.path, r.bump]).sort(), [['l', 'New/Sub/Leaf', false], ['n', 'New', true], ['s', 'New/Sub', false]])
    assert.deepEqual([plan.fresh, plan.removed], [[], []])
  })

  it('does not guess when a UIDVALIDITY is ambiguous', () => {
    const plan = planReconcile([mb('X', '5'), mb('Y', '5')], [rec('a', 'A', '5')], '/')
    assert.deepEqual(plan.renamed, [])
    assert.equal(plan.fresh.length, 2)
    assert.deepEqual(plan.removed.map((r) => r.id), ['a'])
  })

  it('works with another delimiter', () => {
    const plan = planReconcile([mb('INBOX.Job', '11'), mb('INBOX.Job.C', '12'), mb('INBOX', '1')], [rec('i', 'INBOX', '1'), rec('w', 'INBOX.Work', '11'), rec('c', 'INBOX.Work.C', '12')], '.')
    assert.deepEqual(plan.renamed.map((r) => [r.record.id, r.path, r.bump]), [['w', 'INBOX.Job', true], ['c', 'INBOX.Job.C', false]])
  })
})
