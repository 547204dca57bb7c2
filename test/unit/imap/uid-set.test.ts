/**
 * UID sequence-sets (src/imap/uid-set.ts): formatting is canonical (sorted, deduplicated, runs
 * collapsed to ranges, non-UIDs dropped) and parsing gives back exactly the UIDs, ascending;
 * malformed sets are refused with a RangeError rather than read as something else.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { formatUidSet, parseUidSet } from '../../../src/imap/uid-set.js'

describe('formatUidSet', () => {
  it('formats the empty set as the empty string', () => {
    assert.equal(formatUidSet([]), '')
    assert.deepEqual(parseUidSet(''), [])
  })

  it('sorts, deduplicates and collapses runs into ranges', () => {
    assert.equal(formatUidSet([5]), '5')
    assert.equal(formatUidSet([1, 2, 3]), '1:3')
    assert.equal(formatUidSet([9, 1, 3, 2, 7, 10, 12, 11, 3, 1]), '1:3,7,9:12')
    assert.equal(formatUidSet([4, 4, 4]), '4')
    assert.equal(formatUidSet([2, 4, 6]), '2,4,6')
    assert.equal(formatUidSet(new Set([100, 99, 101, 1])), '1,99:101')
  })

  it('drops values that are not UIDs', () => {
    assert.equal(formatUidSet([0, -1, 1.5, Number.NaN, 2 ** 32, 3, 4294967295]), '3,4294967295')
  })
})

describe('parseUidSet', () => {
  it('round-trips unsorted, duplicated and ranged input', () => {
    const cases: number[][] = [[1], [3, 1, 2], [7, 7, 7, 8], [1, 2, 3, 10, 20, 21, 22, 4294967295], [50, 10, 30, 20, 40]]
    for (const uids of cases) {
      const expected = [...new Set(uids)].sort((a, b) => a - b)
      const set = formatUidSet(uids)
      assert.deepEqual(parseUidSet(set), expected, set)
      assert.equal(formatUidSet(parseUidSet(set)), set, 'format is a fixed point')
    }
  })

  it('round-trips a large dense folder compactly', () => {
    const uids = Array.from({ length: 10_000 }, (_, i) => i + 1).filter((u) => u % 1000 !== 0)
    const set = formatUidSet(uids.reverse())
    assert.ok(set.length < 120, `${set.length} characters`)
    assert.deepEqual(parseUidSet(set), uids.sort((a, b) => a - b))
  })

  it('answers ascending UIDs without duplicates whatever order the set lists them in', () => {
    assert.deepEqual(parseUidSet('9,2:3,1,2'), [1, 2, 3, 9])
  })

  it('expands ranges inclusively', () => {
    assert.deepEqual(parseUidSet('1:3,7,9:12'), [1, 2, 3, 7, 9, 10, 11, 12])
    assert.deepEqual(parseUidSet('5:5'), [5])
  })

  it('refuses junk', () => {
    const junk = [
      'a', '*', '1:*', '0', '0:3', '-1', '1,,2', ',1', '1,', '1:', ':1', '3:1', '1.5', '1:2.5', 'NaN', 'Infinity', '1;2',
      '1:2:3', '0x10', '1e2', ' 7', '7 ', '+5', '4294967296', '1:4294967296', '007'
    ]
    for (const j of junk) {
      assert.throws(() => parseUidSet(j), RangeError, JSON.stringify(j))
    }
  })
})
