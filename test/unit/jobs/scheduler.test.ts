/**
 * Job periods (src/jobs/scheduler.ts `everyPattern`): "every N seconds" becomes a node-cron
 * pattern that node-cron accepts and that fires with the intended step — a seconds step below
 * a minute, a minutes step from one minute, an hours step from one hour.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parse, validate } from 'node-cron'
import { everyPattern } from '../../../src/jobs/scheduler.js'

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)
const every = (step: number, n: number): number[] => range(n).filter((v) => v % step === 0)

describe('everyPattern', () => {
  const cases: Array<[seconds: number, pattern: string, fields: { second: number[], minute: number[], hour: number[] }]> = [
    [1, '*/1 * * * * *', { second: range(60), minute: range(60), hour: range(24) }],
    [5, '*/5 * * * * *', { second: every(5, 60), minute: range(60), hour: range(24) }],
    [30, '*/30 * * * * *', { second: [0, 30], minute: range(60), hour: range(24) }],
    // 59 does not divide a minute: it restarts at each minute (documented).
    [59, '*/59 * * * * *', { second: [0, 59], minute: range(60), hour: range(24) }],
    [60, '0 */1 * * * *', { second: [0], minute: range(60), hour: range(24) }],
    // 90 s is not a whole number of minutes: rounded to 2.
    [90, '0 */2 * * * *', { second: [0], minute: every(2, 60), hour: range(24) }],
    [300, '0 */5 * * * *', { second: [0], minute: every(5, 60), hour: range(24) }],
    [3600, '0 0 */1 * * *', { second: [0], minute: [0], hour: range(24) }]
  ]

  for (const [seconds, pattern, fields] of cases) {
    it(`${seconds} s -> ${pattern}`, () => {
      const p = everyPattern(seconds)
      assert.equal(p, pattern)
      assert.equal(validate(p), true)
      const parsed = parse(p)
      assert.deepEqual({ second: parsed.second, minute: parsed.minute, hour: parsed.hour }, fields)
      assert.equal(parsed.dayOfMonth.length, 31)
      assert.equal(parsed.month.length, 12)
      assert.equal(parsed.dayOfWeek.length, 7)
    })
  }

  it('treats fractions, zero and negative periods as at least one second', () => {
    assert.equal(everyPattern(5.9), '*/5 * * * * *')
    assert.equal(everyPattern(0), '*/1 * * * * *')
    assert.equal(everyPattern(-3), '*/1 * * * * *')
    assert.equal(validate(everyPattern(0.2)), true)
  })
})
