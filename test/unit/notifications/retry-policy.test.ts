/**
 * Delivery retry timing: the shared jittered backoff (test/unit/shared/backoff.test.ts), and
 * Retry-After as a floor under a one-hour cap.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_ATTEMPT_DELAY_MS, nextAttemptDelayMs } from '../../../src/notifications/dispatch/retry-policy.js'

const POLICY = { initialMs: 1000, maxMs: 60_000 }

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
