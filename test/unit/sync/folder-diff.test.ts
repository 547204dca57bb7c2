/**
 * Folder diffing (src/sync/folder-diff.ts): from the tracked folder vector and the box's folders
 * now, it finds created, moved (registry lastModSeq bumped), content-moved (HIGHESTMODSEQ,
 * UIDNEXT or MESSAGES) and removed folders, asks for a resetBox exactly when a UIDVALIDITY
 * changed or a removed folder's path was taken by a new selectable mailbox, writes back only
 * folders whose state moved, and leaves alone a known folder whose STATUS is momentarily missing.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { MailboxStatus } from '../../../src/imap/types.js'
import { makeNode, type FolderNode } from '../../../src/nms/folders/tree.js'
import { diffFolders, trackedFolder, type FolderDiff } from '../../../src/sync/folder-diff.js'
import type { TrackedFolder } from '../../../src/store/tracker-store.js'

interface NodeSpec {
  id: string
  path: string
  uidValidity?: string
  lastModSeq?: number
  parentId?: string
  selectable?: boolean
  status?: MailboxStatus | undefined
}

const STATUS: MailboxStatus = { uidValidity: '100', uidNext: 11, messages: 10, highestModseq: '500' }

function node (s: NodeSpec): FolderNode {
  const selectable = s.selectable ?? true
  const uidValidity = s.uidValidity ?? (selectable ? '100' : '0')
  const status = 'status' in s ? s.status : selectable ? { ...STATUS, uidValidity } : undefined
  return makeNode(
    { id: s.id, path: s.path, uidValidity, lastModSeq: s.lastModSeq ?? 1, firstSeen: '2024-01-01T00:00:00Z' },
    s.path.split('/'), s.parentId, { selectable, virtual: false, status }
  )
}

function vector (...nodes: FolderNode[]): Map<string, TrackedFolder> {
  return new Map(nodes.map((n) => [n.id, trackedFolder(n)]))
}

/** The diff as ids, for compact comparisons. */
function ids (d: FolderDiff): Record<string, string[] | number> {
  return {
    created: d.created.map((n) => n.id),
    moved: d.moved.map((n) => n.id),
    scan: d.scan.map((s) => s.node.id),
    removed: d.removed.map((t) => t.id),
    upserts: d.upserts.map((n) => n.id),
    resets: d.resetReasons.length
  }
}

const NOTHING = { created: [], moved: [], scan: [], removed: [], upserts: [], resets: 0 }
const inbox = node({ id: 'f-inbox', path: 'INBOX' })
const work = node({ id: 'f-work', path: 'INBOX/Work', parentId: 'f-inbox' })

describe('trackedFolder', () => {
  it('records the STATUS, registry lastModSeq and parent of a node', () => {
    assert.deepEqual(trackedFolder(work, 'dg'), {
      id: 'f-work', path: 'INBOX/Work', parentId: 'f-inbox', uidValidity: '100', highestModseq: '500', uidNext: 11, messages: 10, lastModSeq: 1, digest: 'dg'
    })
    const top = trackedFolder(inbox)
    assert.equal('parentId' in top, false)
    assert.equal('digest' in top, false)
  })

  it('tracks a \\Noselect folder with UIDVALIDITY 0 and empty state', () => {
    const parent = node({ id: 'f-arch', path: 'Archive', selectable: false, uidValidity: '55' })
    assert.deepEqual(trackedFolder(parent), { id: 'f-arch', path: 'Archive', uidValidity: '0', highestModseq: '0', uidNext: 0, messages: 0, lastModSeq: 1 })
  })
})

describe('diffFolders', () => {
  it('finds nothing, and writes nothing, when nothing moved', () => {
    assert.deepEqual(ids(diffFolders(vector(inbox, work), [inbox, work], { scanAll: false })), NOTHING)
  })

  it('reports a new folder as created and upserted, not scanned', () => {
    const d = diffFolders(vector(inbox), [inbox, work], { scanAll: false })
    assert.deepEqual(ids(d), { ...NOTHING, created: ['f-work'], upserts: ['f-work'] })
    assert.equal(d.created[0], work)
    assert.deepEqual(ids(diffFolders(new Map(), [inbox, work], { scanAll: false })), { ...NOTHING, created: ['f-inbox', 'f-work'], upserts: ['f-inbox', 'f-work'] })
  })

  it('reports a folder whose registry lastModSeq moved as moved (renamed), without a scan', () => {
    const renamed = node({ id: 'f-work', path: 'INBOX/Jobs', parentId: 'f-inbox', lastModSeq: 9 })
    const d = diffFolders(vector(inbox, work), [inbox, renamed], { scanAll: false })
    assert.deepEqual(ids(d), { ...NOTHING, moved: ['f-work'], upserts: ['f-work'] })
    assert.equal(d.moved[0], renamed)
  })

  it('does not call a path change without a lastModSeq bump a move, but still rewrites the state', () => {
    // A descendant of a renamed folder keeps its lastModSeq (digest 3.2) but has a new path.
    const child = node({ id: 'f-work', path: 'Mail/Work', parentId: 'f-inbox' })
    assert.deepEqual(ids(diffFolders(vector(inbox, work), [inbox, child], { scanAll: false })), { ...NOTHING, upserts: ['f-work'] })
  })

  for (const [what, status] of [
    ['HIGHESTMODSEQ', { ...STATUS, highestModseq: '501' }],
    ['UIDNEXT', { ...STATUS, uidNext: 12 }],
    ['MESSAGES', { ...STATUS, messages: 9 }]
  ] as const) {
    it(`scans a folder whose ${what} moved, with its old state`, () => {
      const now = node({ id: 'f-work', path: 'INBOX/Work', parentId: 'f-inbox', status })
      const old = vector(inbox, work)
      const d = diffFolders(old, [inbox, now], { scanAll: false })
      assert.deepEqual(ids(d), { ...NOTHING, scan: ['f-work'], upserts: ['f-work'] })
      assert.equal(d.scan[0]?.node, now)
      assert.deepEqual(d.scan[0]?.old, old.get('f-work'))
    })
  }

  it('treats a MODSEQ above 2^53 as the exact string it is', () => {
    const big = (m: string): FolderNode => node({ id: 'f-big', path: 'Big', status: { ...STATUS, highestModseq: m } })
    const old = vector(big('9007199254740993'))
    assert.deepEqual(ids(diffFolders(old, [big('9007199254740993')], { scanAll: false })), NOTHING)
    assert.deepEqual(ids(diffFolders(old, [big('9007199254740992')], { scanAll: false })), { ...NOTHING, scan: ['f-big'], upserts: ['f-big'] })
  })

  it('scans every selectable folder with scanAll, and never a \\Noselect one', () => {
    const parent = node({ id: 'f-arch', path: 'Archive', selectable: false })
    const d = diffFolders(vector(inbox, work, parent), [inbox, work, parent], { scanAll: true })
    assert.deepEqual(ids(d), { ...NOTHING, scan: ['f-inbox', 'f-work'] })
  })

  it('keeps the tracked digest: an unchanged folder in snapshot mode is not rewritten', () => {
    const old = new Map([[work.id, trackedFolder(work, 'digest-1')]])
    assert.deepEqual(ids(diffFolders(old, [work], { scanAll: true })), { ...NOTHING, scan: ['f-work'] })
  })

  it('reports a folder that went away as removed, with its tracked state, and no reset', () => {
    const old = vector(inbox, work)
    const d = diffFolders(old, [inbox], { scanAll: false })
    assert.deepEqual(ids(d), { ...NOTHING, removed: ['f-work'] })
    assert.deepEqual(d.removed[0], old.get('f-work'))
  })

  it('asks for a reset when a removed folder\'s path is taken by a new selectable folder', () => {
    const again = node({ id: 'f-work-2', path: 'INBOX/Work', parentId: 'f-inbox', uidValidity: '200' })
    const d = diffFolders(vector(inbox, work), [inbox, again], { scanAll: false })
    assert.deepEqual(ids(d), { ...NOTHING, created: ['f-work-2'], removed: ['f-work'], upserts: ['f-work-2'], resets: 1 })
    assert.match(d.resetReasons[0] ?? '', /INBOX\/Work/)
  })

  it('does not reset when the path is taken by a \\Noselect folder', () => {
    const parent = node({ id: 'f-work-2', path: 'INBOX/Work', parentId: 'f-inbox', selectable: false })
    const d = diffFolders(vector(inbox, work), [inbox, parent], { scanAll: false })
    assert.deepEqual(ids(d), { ...NOTHING, created: ['f-work-2'], removed: ['f-work'], upserts: ['f-work-2'] })
  })

  it('does not reset when a removed folder\'s path is free or taken by no one', () => {
    const elsewhere = node({ id: 'f-other', path: 'INBOX/Other', parentId: 'f-inbox', uidValidity: '200' })
    assert.equal(diffFolders(vector(inbox, work), [inbox, elsewhere], { scanAll: false }).resetReasons.length, 0)
  })

  it('asks for a reset when a folder keeps its id but not its UIDVALIDITY, and scans it', () => {
    const recreated = node({ id: 'f-work', path: 'INBOX/Work', parentId: 'f-inbox', uidValidity: '101' })
    const d = diffFolders(vector(inbox, work), [inbox, recreated], { scanAll: false })
    assert.deepEqual(ids(d), { ...NOTHING, scan: ['f-work'], upserts: ['f-work'], resets: 1 })
    assert.match(d.resetReasons[0] ?? '', /UIDVALIDITY/)
  })

  it('does not reset when a \\Noselect folder becomes selectable', () => {
    const before = node({ id: 'f-arch', path: 'Archive', selectable: false })
    const after = node({ id: 'f-arch', path: 'Archive', uidValidity: '300' })
    const d = diffFolders(vector(before), [after], { scanAll: false })
    assert.deepEqual(ids(d), { ...NOTHING, scan: ['f-arch'], upserts: ['f-arch'] })
  })

  it('skips a known selectable folder listed without STATUS entirely', () => {
    // Even with a bumped lastModSeq: its state is unknown, so the tracked state stands.
    const blind = node({ id: 'f-work', path: 'INBOX/Jobs', parentId: 'f-inbox', lastModSeq: 9, status: undefined })
    assert.deepEqual(ids(diffFolders(vector(inbox, work), [inbox, blind], { scanAll: true })), { ...NOTHING, scan: ['f-inbox'] })
    assert.deepEqual(ids(diffFolders(vector(inbox, work), [inbox, blind], { scanAll: false })), NOTHING)
  })

  it('does not count a skipped folder\'s path as retaken', () => {
    const blind = node({ id: 'f-new', path: 'INBOX/Work', parentId: 'f-inbox', uidValidity: '200', status: undefined })
    const old = vector(inbox, work, node({ id: 'f-new', path: 'INBOX/Elsewhere', parentId: 'f-inbox', uidValidity: '200' }))
    const d = diffFolders(old, [inbox, blind], { scanAll: false })
    assert.deepEqual(ids(d), { ...NOTHING, removed: ['f-work'] })
  })

  it('still reports an unknown selectable folder without STATUS as created', () => {
    const blind = node({ id: 'f-work', path: 'INBOX/Work', parentId: 'f-inbox', status: undefined })
    assert.deepEqual(ids(diffFolders(vector(inbox), [inbox, blind], { scanAll: false })), { ...NOTHING, created: ['f-work'], upserts: ['f-work'] })
  })
})
