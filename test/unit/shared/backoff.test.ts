/**
 * The one jittered backoff formula (src/shared/backoff.ts) behind IMAP reconnects, Redis
 * reconnects and callback retries: exponential backoff with full jitter inside [initialMs, ceiling].
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { jitteredBackoffMs } from '../../../src/shared/backoff.js'

const POLICY = { initialMs: 1000, maxMs: 60_000 }

describe('jitteredBackoffMs', () => {
  it('grows as initialMs * 2^(n-1) up to maxMs at the upper jitter bound', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => jitteredBackoffMs(n, POLICY, () => 1)), [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000])
  })
  it('never goes below initialMs, and attempt 1 is exactly initialMs', () => {
    assert.deepEqual([1, 2, 5, 20].map((n) => jitteredBackoffMs(n, POLICY, () => 0)), [1000, 1000, 1000, 1000])
    for (let i = 0; i < 50; i++) assert.equal(jitteredBackoffMs(1, POLICY), 1000)
  })
  it('jitters uniformly inside [initialMs, ceiling]', () => {
    assert.equal(jitteredBackoffMs(3, POLICY, () => 0.5), 2500)
    for (let n = 1; n <= 12; n++) {
      const d = jitteredBackoffMs(n, POLICY)
      assert.ok(d >= 1000 && d <= Math.min(60_000, 1000 * 2 ** (n - 1)), `attempt ${n}: ${d}`)
    }
    const seen = new Set(Array.from({ length: 200 }, () => jitteredBackoffMs(6, POLICY)))
    assert.ok(seen.size > 50, 'delays are spread, not fixed')
  })
  it('does not overflow for huge attempt numbers and treats attempt < 1 as the first', () => {
    assert.equal(jitteredBackoffMs(10_000, POLICY, () => 1), 60_000)
    assert.equal(jitteredBackoffMs(Number.MAX_SAFE_INTEGER, { initialMs: 1, maxMs: 5000 }, () => 1), 5000)
    assert.equal(jitteredBackoffMs(0, POLICY, () => 1), 1000)
    assert.equal(jitteredBackoffMs(-3, POLICY, () => 1), 1000)
  })
  it('stays within maxMs when maxMs is below initialMs', () => {
    assert.equal(jitteredBackoffMs(4, { initialMs: 5000, maxMs: 2000 }, () => 1), 2000)
    assert.equal(jitteredBackoffMs(1, { initialMs: 5000, maxMs: 2000 }, () => 0), 2000)
  })
})
