/**
 * When to try a failed callback delivery again: exponential backoff with full jitter
 * ("Exponential Backoff And Jitter", AWS Architecture Blog 2015), as `src/imap/backoff.ts` does
 * for reconnects, so that many subscriptions failing at once (a subscriber outage) do not retry
 * in lockstep. A subscriber's `Retry-After` (RFC 9110 section 10.2.3) is honoured as a minimum,
 * within a one-hour cap so that one header cannot park a subscription indefinitely.
 */

/** Bounds of the backoff: the first delay and the largest jitter ceiling. */
export interface RetryPolicy {
  initialMs: number
  maxMs: number
}

/** No attempt is scheduled further out than this, whatever the server asked for. */
export const MAX_ATTEMPT_DELAY_MS = 60 * 60 * 1000

/**
 * Delay before retry number `attempt` (1 for the first retry): uniformly in
 * [initialMs, min(maxMs, initialMs * 2^(attempt-1))], so attempt 1 waits exactly initialMs.
 */
export function retryDelayMs (attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const { initialMs, maxMs } = policy
  const low = Math.min(initialMs, maxMs)
  const n = Math.max(1, Math.floor(attempt))
  // 2^(n-1) growth, capped before it can overflow.
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(n - 1, 30))
  return Math.round(low + random() * Math.max(0, ceiling - low))
}

/**
 * Delay before retry number `attempt` after an outcome: the larger of the jittered backoff and
 * the outcome's `retryAfterMs`, capped at {@link MAX_ATTEMPT_DELAY_MS}.
 */
export function nextAttemptDelayMs (
  attempt: number, outcome: { retryAfterMs?: number }, policy: RetryPolicy, random: () => number = Math.random
): number {
  const backoff = retryDelayMs(attempt, policy, random)
  return Math.min(MAX_ATTEMPT_DELAY_MS, Math.max(backoff, outcome.retryAfterMs ?? 0))
}
