/**
 * Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS Architecture Blog
 * 2015): the one delay formula for IMAP reconnects, Redis reconnects and callback retries, so
 * that many clients failing at once (a server outage) do not retry in lockstep.
 */

/** Bounds of the backoff: the first delay and the largest jitter ceiling. */
export interface BackoffPolicy {
  initialMs: number
  maxMs: number
}

/**
 * Delay before attempt number `attempt` after a failure (1 for the first): uniformly in
 * [min(initialMs, maxMs), min(maxMs, initialMs * 2^(attempt-1))], so attempt 1 waits exactly
 * initialMs. An attempt below 1 counts as the first.
 */
export function jitteredBackoffMs (attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const { initialMs, maxMs } = policy
  const low = Math.min(initialMs, maxMs)
  const n = Math.max(1, Math.floor(attempt))
  // 2^(n-1) growth, capped before it can overflow.
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(n - 1, 30))
  return Math.round(low + random() * Math.max(0, ceiling - low))
}
