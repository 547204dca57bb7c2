/**
 * Reconnect backoff of one box: exponential growth with full jitter ("Exponential Backoff And
 * Jitter", AWS Architecture Blog 2015), bounded by `imap.backoff.initialMs` and `maxMs`.
 * While a box backs off, acquires fail fast with 503 instead of hammering a down server.
 */
export interface BackoffPolicy {
  initialMs: number
  maxMs: number
}

export class Backoff {
  private failures = 0
  private until = 0

  constructor (private readonly policy: BackoffPolicy, private readonly random: () => number = Math.random) {}

  /** Records a failed connect at `now`; returns the delay chosen before the next attempt. */
  fail (now: number): number {
    this.failures++
    const { initialMs, maxMs } = this.policy
    const low = Math.min(initialMs, maxMs)
    // 2^(n-1) growth, capped before it can overflow.
    const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(this.failures - 1, 30))
    const delay = Math.round(low + this.random() * Math.max(0, ceiling - low))
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
