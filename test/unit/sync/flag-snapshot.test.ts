/**
 * Flag snapshots for servers without QRESYNC (src/sync/flag-snapshot.ts): a snapshot records
 * every UID and, per lower-cased flag, the UIDs carrying it; its digest is equal exactly when
 * two snapshots are; and `diffSnapshots` reports new UIDs, UIDs whose flags changed (a flag
 * added or removed) and vanished UIDs, nothing else.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { diffSnapshots, snapshotDigest, toSnapshot, type ScannedMessage } from '../../../src/sync/flag-snapshot.js'

const m = (uid: number, ...flags: string[]): ScannedMessage => ({ uid, flags })

describe('toSnapshot', () => {
  it('records every UID and, per flag, the UIDs carrying it', () => {
    const s = toSnapshot([m(1, '\\Seen'), m(2), m(3, '\\Seen', '\\Flagged'), m(5, '$Label1')])
    assert.deepEqual(s, { uids: '1:3,5', flags: { $label1: '5', '\\flagged': '3', '\\seen': '1,3' } })
  })

  it('compares flags case-insensitively and ignores a repeated flag', () => {
    const a = toSnapshot([m(1, '\\Seen', '\\SEEN', '\\seen'), m(2, '$Forwarded')])
    const b = toSnapshot([m(2, '$forwarded'), m(1, '\\sEeN')])
    assert.deepEqual(a, b)
    assert.deepEqual(a.flags, { $forwarded: '2', '\\seen': '1' })
    assert.equal(snapshotDigest(a), snapshotDigest(b))
  })

  it('snapshots an empty folder as empty sets', () => {
    assert.deepEqual(toSnapshot([]), { uids: '', flags: {} })
  })
})

describe('snapshotDigest', () => {
  const base = [m(1, '\\Seen'), m(2), m(3, '\\Flagged')]

  it('is equal for equal snapshots, whatever the scan order', () => {
    assert.equal(snapshotDigest(toSnapshot(base)), snapshotDigest(toSnapshot([...base].reverse())))
    // Flag keys in another insertion order: same snapshot, same digest.
    assert.equal(snapshotDigest({ uids: '1:3', flags: { a: '1', b: '2' } }), snapshotDigest({ uids: '1:3', flags: { b: '2', a: '1' } }))
    assert.match(snapshotDigest(toSnapshot(base)), /^[A-Za-z0-9_-]{16}$/)
  })

  it('differs whenever the snapshots differ', () => {
    const variants = [
      [m(1, '\\Seen'), m(2), m(3, '\\Flagged')],
      [m(1, '\\Seen'), m(2), m(3, '\\Flagged'), m(4)], // a new message
      [m(1, '\\Seen'), m(3, '\\Flagged')], // a vanished message
      [m(1), m(2), m(3, '\\Flagged')], // a flag removed
      [m(1, '\\Seen'), m(2, '\\Seen'), m(3, '\\Flagged')], // a flag added
      [m(1, '\\Seen'), m(2), m(3, '\\Answered')], // a flag swapped
      [m(1, '\\Flagged'), m(2), m(3, '\\Seen')], // flags moved between messages
      [m(1), m(2), m(3)],
      []
    ].map((msgs) => snapshotDigest(toSnapshot(msgs)))
    assert.equal(new Set(variants).size, variants.length, variants.join(' '))
    // Not fooled by moving characters between the UID set and a flag's set.
    assert.notEqual(snapshotDigest({ uids: '1', flags: { a: '12' } }), snapshotDigest({ uids: '1', flags: { a1: '2' } }))
  })
})

describe('diffSnapshots', () => {
  const old = toSnapshot([m(1, '\\Seen'), m(2), m(3, '\\Seen', '\\Flagged'), m(4, '$Label')])

  it('finds nothing between equal snapshots', () => {
    const same = toSnapshot([m(4, '$LABEL'), m(3, '\\Flagged', '\\Seen'), m(2), m(1, '\\SEEN')])
    assert.deepEqual(diffSnapshots(old, same), { changed: [], vanished: [] })
  })

  it('reports new UIDs as changed', () => {
    const now = toSnapshot([m(1, '\\Seen'), m(2), m(3, '\\Seen', '\\Flagged'), m(4, '$Label'), m(7), m(6, '\\Seen')])
    assert.deepEqual(diffSnapshots(old, now), { changed: [6, 7], vanished: [] })
  })

  it('reports added and removed flags as changes of those UIDs only', () => {
    const now = toSnapshot([m(1, '\\Seen'), m(2, '\\Seen'), m(3, '\\Seen'), m(4, '$Label')])
    assert.deepEqual(diffSnapshots(old, now), { changed: [2, 3], vanished: [] }, '2 gained \\Seen, 3 lost \\Flagged')
    const swapped = toSnapshot([m(1, '\\Seen'), m(2), m(3, '\\Seen', '\\Flagged'), m(4, '$Other')])
    assert.deepEqual(diffSnapshots(old, swapped), { changed: [4], vanished: [] })
    const cleared = toSnapshot([m(1), m(2), m(3), m(4)])
    assert.deepEqual(diffSnapshots(old, cleared), { changed: [1, 3, 4], vanished: [] })
  })

  it('reports vanished UIDs, ascending, and not as changed', () => {
    const now = toSnapshot([m(2), m(4, '$Label')])
    assert.deepEqual(diffSnapshots(old, now), { changed: [], vanished: [1, 3] })
    assert.deepEqual(diffSnapshots(old, toSnapshot([])), { changed: [], vanished: [1, 2, 3, 4] })
  })

  it('combines new, changed and vanished UIDs', () => {
    const now = toSnapshot([m(2, '\\Deleted'), m(3, '\\Seen', '\\Flagged'), m(5)])
    assert.deepEqual(diffSnapshots(old, now), { changed: [2, 5], vanished: [1, 4] })
  })

  it('treats every UID as changed and none vanished without an old snapshot', () => {
    assert.deepEqual(diffSnapshots(undefined, old), { changed: [1, 2, 3, 4], vanished: [] })
    assert.deepEqual(diffSnapshots(undefined, toSnapshot([])), { changed: [], vanished: [] })
  })
})
