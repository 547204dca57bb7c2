/**
 * The benchmark framework's arithmetic and table (test/bench/framework.ts); the benchmark itself
 * runs with `npm run bench`, not in `npm test`.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { formatTable, measure, timing } from './framework.js'

describe('bench framework', () => {
  it('computes the median and the nearest-rank 95th percentile', () => {
    assert.deepEqual(timing([5, 1, 3]), { median: 3, p95: 5 })
    assert.deepEqual(timing([4, 1, 3, 2]), { median: 2.5, p95: 4 })
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i)
    assert.deepEqual(timing(hundred), { median: 50.5, p95: 95 })
  })

  it('warms up, then times every iteration of both sides with distinct iteration numbers', async () => {
    const seen: Array<[string, number]> = []
    const r = await measure({
      operation: 'x',
      gateway: async (i) => { seen.push(['g', i]) },
      imapflow: async (i) => { seen.push(['m', i]) }
    }, { warmup: 2, iterations: 3 })
    assert.deepEqual(seen.filter(([s]) => s === 'g').map(([, i]) => i), [0, 1, 2, 3, 4])
    assert.deepEqual(seen.filter(([s]) => s === 'm').map(([, i]) => i).sort(), [0, 1, 2, 3, 4])
    assert.ok(r.imapflow !== undefined && r.gateway.median >= 0)
  })

  it('prints one row per case with the ratio of the medians', () => {
    const table = formatTable([
      { suite: 's', operation: 'op', gateway: { median: 4, p95: 8 }, imapflow: { median: 2, p95: 3 } },
      { suite: 's', operation: 'alone', gateway: { median: 1, p95: 1 }, imapflow: undefined }
    ])
    const lines = table.split('\n')
    assert.equal(lines.length, 4)
    assert.match(lines[2] as string, /^s\s+\| op\s+\|\s+4\.00 \|\s+8\.00 \|\s+2\.00 \|\s+3\.00 \|\s+2\.0x$/)
    assert.match(lines[3] as string, /\|\s+-\s+\|\s+-\s+\|\s+-$/)
  })
})
