/**
 * Waiting in tests without fixed sleeps: `eventually` polls a probe until it holds, `untilEvent`
 * waits for an emitter's event. Both fail after a deadline with a message that names what was
 * awaited (and the probe's last error), so a timeout explains itself.
 */
import { once, type EventEmitter } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'

export interface EventuallyOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number
  /** Pause between probes (default 20 ms). */
  intervalMs?: number
  /**
   * Whether an error thrown by the probe means "not yet" (default: every error does). An error
   * this rejects fails the wait at once.
   */
  retryOn?: (err: unknown) => boolean
}

/** What a probe answers: `false` means "not yet", anything else is the result. */
type Probed<T> = Exclude<T, false>

/**
 * Calls `probe` until it returns something other than `false` without throwing, and returns that.
 * A probe may be a predicate (`() => list.length > 2`), an assertion (`() => { assert... }`) or a
 * request (`async () => await fetch(url)`). Throws after `timeoutMs`, naming `what` and carrying
 * the probe's last error as `cause`.
 */
export async function eventually<T> (
  what: string, probe: () => T | Promise<T>, opts: EventuallyOptions = {}
): Promise<Probed<T>> {
  const { timeoutMs = 5000, intervalMs = 20, retryOn = () => true } = opts
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const result = await probe()
      if (result !== false) return result as Probed<T>
      lastError = undefined
    } catch (err) {
      if (!retryOn(err)) throw err
      lastError = err
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : ''
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`, { cause: lastError })
    }
    await sleep(intervalMs)
  }
}

/** Resolves with the arguments of the next `event` of `emitter`; throws after `timeoutMs`. */
export async function untilEvent (
  emitter: EventEmitter, event: string, what: string, timeoutMs = 5000
): Promise<unknown[]> {
  try {
    return await once(emitter, event, { signal: AbortSignal.timeout(timeoutMs) })
  } catch (err) {
    if ((err as { name?: unknown }).name !== 'AbortError') throw err
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${event})`, { cause: err })
  }
}
