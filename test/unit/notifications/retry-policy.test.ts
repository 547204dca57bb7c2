/**
 * Delivery retry timing: exponential backoff with full jitter inside [initialMs, ceiling], and
 * Retry-After as a floor under a one-hour cap.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_ATTEMPT_DELAY_MS, nextAttemptDelayMs, retryDelayMs } from '../../../src/notifications/dispatch/retry-policy.js'

const POLICY = { initialMs: 1000, maxMs: 60_000 }

describe('retryDelayMs', () => {
  it('grows as initialMs * 2^(n-1) up to maxMs at the upper jitter bound', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, POLICY, () => 1)), [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000])
  })
  it('never goes below initialMs, and attempt 1 is exactly initialMs', () => {
    assert.deepEqual([1, 2, 5, 20].map((n) => retryDelayMs(n, POLICY, () => 0)), [1000, 1000, 1000, 1000])
    for (let i = 0; i < 50; i++) assert.equal(retryDelayMs(1, POLICY), 1000)
  })
  it('jitters uniformly inside [initialMs, ceiling]', () => {
    assert.equal(retryDelayMs(3, POLICY, () => 0.5), 2500)
    for (let n = 1; n <= 12; n++) {
      const d = retryDelayMs(n, POLICY)
      assert.ok(d >= 1000 && d <= Math.min(60_000, 1000 * 2 ** (n - 1)), `attempt ${n}: ${d}`)
    }
    const seen = new Set(Array.from({ length: 200 }, () => retryDelayMs(6, POLICY)))
    assert.ok(seen.size > 50, 'delays are spread, not fixed')
  })
  it('does not overflow for huge attempt numbers and treats attempt < 1 as the first', () => {
    assert.equal(retryDelayMs(10_000, POLICY, () => 1), 60_000)
    assert.equal(retryDelayMs(Number.MAX_SAFE_INTEGER, { initialMs: 1, maxMs: 5000 }, () => 1), 5000)
    assert.equal(retryDelayMs(0, POLICY, () => 1), 1000)
    assert.equal(retryDelayMs(-3, POLICY, () => 1), 1000)
  })
  it('stays within maxMs when maxMs is below initialMs', () => {
    assert.equal(retryDelayMs(4, { initialMs: 5000, maxMs: 2000 }, () => 1), 2000)
    assert.equal(retryDelayMs(1, { initialMs: 5000, maxMs: 2000 }, () => 0), 2000)
  })
})

describe('nextAttemptDelayMs', () => {
  it('uses the backoff when there is no Retry-After', () => {
    assert.equal(nextAttemptDelayMs(3, {}, POLICY, () => 1), 4000)
  })
  it('waits at least Retry-After', () => {
    assert.equal(nextAttemptDelayMs(1, { retryAfterMs: 7000 }, POLICY, () => 1), 7000)
    assert.equal(nextAttemptDelayMs(6, { retryAfterMs: 7000 }, POLICY, () => 1), 32_000, 'a longer backoff wins')
    assert.equal(nextAttemptDelayMs(1, { retryAfterMs: 0 }, POLICY, () => 0), 1000)
  })
  it('caps everything at one hour', () => {
    assert.equal(MAX_ATTEMPT_DELAY_MS, 3_600_000)
    assert.equal(nextAttemptDelayMs(1, { retryAfterMs: 86_400_000 }, POLICY), 3_600_000)
    assert.equal(nextAttemptDelayMs(1, { retryAfterMs: Number.MAX_SAFE_INTEGER }, POLICY), 3_600_000)
    assert.equal(nextAttemptDelayMs(40, {}, { initialMs: 1000, maxMs: 10 * 3_600_000 }, () => 1), 3_600_000)
  })
})
