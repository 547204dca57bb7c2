/**
 * When to try a failed callback delivery again: the shared jittered backoff
 * ({@link jitteredBackoffMs}), so that many subscriptions failing at once (a subscriber outage)
 * do not retry in lockstep. A subscriber's `Retry-After` (RFC 9110 section 10.2.3) is honoured
 * as a minimum, within a one-hour cap so that one header cannot park a subscription indefinitely.
 */
import { jitteredBackoffMs, type BackoffPolicy } from '../../shared/backoff.js'

/** Bounds of the backoff: the first delay and the largest jitter ceiling. */
export type RetryPolicy = BackoffPolicy

/** No attempt is scheduled further out than this, whatever the server asked for. */
export const MAX_ATTEMPT_DELAY_MS = 60 * 60 * 1000

/**
 * Delay before retry number `attempt` (1 for the first retry) after an outcome: the larger of
 * the jittered backoff and the outcome's `retryAfterMs`, capped at {@link MAX_ATTEMPT_DELAY_MS}.
 */
export function nextAttemptDelayMs (
  attempt: number, outcome: { retryAfterMs?: number }, policy: RetryPolicy, random: () => number = Math.random
): number {
  const backoff = jitteredBackoffMs(attempt, policy, random)
  return Math.min(MAX_ATTEMPT_DELAY_MS, Math.max(backoff, outcome.retryAfterMs ?? 0))
}
