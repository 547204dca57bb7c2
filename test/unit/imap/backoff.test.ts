import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Backoff, retryAfterSeconds } from '../../../src/imap/backoff.js'

describe('Backoff', () => {
  it('grows exponentially up to maxMs (upper jitter bound)', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 1)
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => b.fail(0)), [100, 200, 400, 800, 1000, 1000])
    assert.equal(b.failureCount, 6)
  })
  it('never goes below initialMs (lower jitter bound)', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 0)
    assert.deepEqual([1, 2, 3].map(() => b.fail(0)), [100, 100, 100])
  })
  it('jitters inside [initialMs, ceiling]', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 10_000 })
    for (let i = 1; i <= 10; i++) {
      const d = b.fail(0)
      assert.ok(d >= 100 && d <= Math.min(10_000, 100 * 2 ** (i - 1)), `attempt ${i}: ${d}`)
    }
  })
  it('reports the remaining wait and resets on success', () => {
    const b = new Backoff({ initialMs: 500, maxMs: 500 })
    assert.equal(b.remaining(0), 0)
    b.fail(1000)
    assert.equal(b.remaining(1200), 300)
    assert.equal(b.remaining(2000), 0)
    b.succeed()
    assert.equal(b.remaining(1000), 0)
    assert.equal(b.failureCount, 0)
  })
  it('does not overflow after many failures', () => {
    const b = new Backoff({ initialMs: 1, maxMs: 60_000 }, () => 1)
    for (let i = 0; i < 2000; i++) b.fail(0)
    assert.equal(b.fail(0), 60_000)
  })
})

describe('retryAfterSeconds', () => {
  it('rounds up to whole seconds, at least 1', () => {
    assert.equal(retryAfterSeconds(0), '1')
    assert.equal(retryAfterSeconds(1), '1')
    assert.equal(retryAfterSeconds(1000), '1')
    assert.equal(retryAfterSeconds(1001), '2')
    assert.equal(retryAfterSeconds(29_500), '30')
  })
})
