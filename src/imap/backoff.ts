/**
 * Reconnect backoff of one box: the shared jittered backoff ({@link jitteredBackoffMs}), bounded
 * by `imap.backoff.initialMs` and `maxMs`. While a box backs off, acquires fail fast with 503
 * instead of hammering a down server.
 */
import { jitteredBackoffMs, type BackoffPolicy } from '../shared/backoff.js'

export class Backoff {
  private failures = 0
  private until = 0

  constructor (private readonly policy: BackoffPolicy, private readonly random: () => number = Math.random) {}

  /** Records a failed connect at `now`; returns the delay chosen before the next attempt. */
  fail (now: number): number {
    this.failures++
    const delay = jitteredBackoffMs(this.failures, this.policy, this.random)
    this.until = now + delay
    return delay
  }

  /** A successful connect ends the backoff. */
  succeed (): void {
    this.failures = 0
    this.until = 0
  }

  /** Milliseconds left before the next attempt may run; 0 when it may run now. */
  remaining (now: number): number {
    return Math.max(0, this.until - now)
  }

  /** Consecutive failures so far. */
  get failureCount (): number {
    return this.failures
  }
}

/** `Retry-After` value (RFC 9110 section 10.2.3: delay-seconds, a non-negative integer); at least 1. */
export function retryAfterSeconds (ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)))
}
