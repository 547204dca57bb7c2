/**
 * Sort criteria (src/nms/search/sort-spec.ts): both request spellings, the default order, and
 * the collation every instance applies identically.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { compareKeys, isKeyTuple, parseSort } from '../../../../src/nms/search/sort-spec.js'

describe('sort criteria', () => {
  it('reads sortCriteria.criterion[] and the single sortCriterion; Descending by default', () => {
    assert.deepEqual(parseSort({ sortCriteria: { criterion: [{ type: 'date', order: 'ascending' }, { type: 'Attribute', name: 'Subject' }] } }),
      [{ type: 'Date', dir: 1 }, { type: 'Attribute', name: 'Subject', dir: -1 }])
    assert.deepEqual(parseSort({ sortCriterion: { type: 'Date' } }), [{ type: 'Date', dir: -1 }])
    assert.deepEqual(parseSort({}), [])
  })

  it('applies at most three criteria and refuses unknown types, orders and nameless attribute sorts', () => {
    const four = Array.from({ length: 4 }, () => ({ type: 'Date' }))
    assert.equal(parseSort({ sortCriteria: { criterion: four } }).length, 3)
    assert.throws(() => parseSort({ sortCriterion: { type: 'Size' } }), { code: 'GW_ERR_INPUT_INVALID_CHOICE' })
    assert.throws(() => parseSort({ sortCriterion: { type: 'Date', order: 'Up' } }), { code: 'GW_ERR_INPUT_INVALID_CHOICE' })
    assert.throws(() => parseSort({ sortCriterion: { type: 'Attribute' } }), { code: 'GW_ERR_INPUT_INVALID' })
  })

  it('collates absent first, then caselessly, then exactly, each criterion in its direction', () => {
    const specs = [{ type: 'Attribute', name: 'Subject', dir: 1 }, { type: 'Date', dir: -1 }] as const
    const rows: Array<[string | null, number]> = [['b', 1], ['B', 1], [null, 5], ['a', 2], ['a', 9]]
    const sorted = [...rows].sort((x, y) => compareKeys(specs, x, y))
    assert.deepEqual(sorted, [[null, 5], ['a', 9], ['a', 2], ['B', 1], ['b', 1]])
  })

  it('recognises only well-formed key tuples (cursor payloads)', () => {
    const specs = [{ type: 'Date', dir: 1 }] as const
    assert.ok(isKeyTuple(specs, [5]))
    assert.ok(isKeyTuple(specs, [null]))
    assert.ok(!isKeyTuple(specs, [5, 6]))
    assert.ok(!isKeyTuple(specs, [{}]))
    assert.ok(!isKeyTuple(specs, 'x'))
  })
})
