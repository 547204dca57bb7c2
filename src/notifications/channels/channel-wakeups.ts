/**
 * Wake-ups of held long polls (OMA Notification Channel API, LongPolling channels): a poll held
 * on any instance waits here for "a notification was queued for this channel", "a newer poll
 * started" or "the channel is gone". The signal is given locally and over the Redis bus, so the
 * poll and the change may be handled by different instances. A lost signal costs at most the
 * held poll's periodic re-check of its channel.
 */
import type { BackgroundErrors } from '../../logging/background-errors.js'
import type { Coordination } from '../../store/coordination.js'

function key (userId: string, id: string): string {
  return `${userId}\u0000${id}`
}

export class ChannelWakeups {
  private readonly waiters = new Map<string, Set<() => void>>()
  private unsubscribe: (() => Promise<void>) | undefined

  constructor (private readonly deps: { coordination: Coordination, errors: BackgroundErrors }) {}

  /** Starts receiving wake-ups published by other instances. */
  async start (): Promise<void> {
    this.unsubscribe = await this.deps.coordination.subscribe((msg) => {
      if (msg.kind === 'channel' && msg.id !== undefined) this.wakeLocal(msg.boxId, msg.id)
    })
  }

  /** Stops listening and releases every waiting poll. */
  async close (): Promise<void> {
    await this.unsubscribe?.()
    for (const set of this.waiters.values()) for (const w of set) w()
  }

  /** Wakes the channel's held poll, here and on every other instance; never rejects. */
  async wake (userId: string, id: string): Promise<void> {
    this.wakeLocal(userId, id)
    await this.deps.coordination.publish({ kind: 'channel', boxId: userId, id })
      .catch(this.deps.errors.handler('channel wake-up publish', { userId, channel: id }))
  }

  /** Waits until the channel is woken, `ms` pass, or `closed` aborts. */
  async wait (userId: string, id: string, ms: number, closed: AbortSignal): Promise<void> {
    const k = key(userId, id)
    let set = this.waiters.get(k)
    if (set === undefined) {
      set = new Set()
      this.waiters.set(k, set)
    }
    const waiters = set
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        closed.removeEventListener('abort', done)
        waiters.delete(done)
        if (waiters.size === 0 && this.waiters.get(k) === waiters) this.waiters.delete(k)
        resolve()
      }
      const timer = setTimeout(done, ms)
      closed.addEventListener('abort', done)
      waiters.add(done)
    })
  }

  private wakeLocal (userId: string, id: string): void {
    for (const w of this.waiters.get(key(userId, id)) ?? []) w()
  }
}
