/**
 * The sync and feed stages of one box, run as one step: the tracker syncs the box with IMAP
 * (src/sync/tracker.ts) and the {@link OutboxWriter} turns the changes into notification lists
 * in the subscriptions' outboxes. One run at a time per box. In this process, a
 * run requested while one is going shares the next run (at most one is queued), so a burst of
 * pokes costs two syncs, and every caller gets a sync that started after it asked. Across
 * instances a short Redis lock keeps two syncs of one box apart; it is an optimisation only:
 * the tracker's commit and the outbox writer's appends are compare-and-set, so a sync that runs
 * without the lock (it waited too long) duplicates work, never corrupts state.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'pino'
import type { BackgroundErrors } from '../../logging/background-errors.js'
import type { Coordination } from '../../store/coordination.js'
import type { BoxTracker, SyncOutcome } from '../../sync/tracker.js'
import type { OutboxWriter } from './outbox-writer.js'

/** How long one sync may hold the lock before another instance may take it. */
const LOCK_MS = 60_000
/** How long a sync waits for another instance's before running anyway. */
const LOCK_WAIT_MS = 5000

interface Chain {
  current: Promise<SyncOutcome>
  next: Promise<SyncOutcome> | undefined
}

export interface BoxSyncerDeps {
  tracker: BoxTracker
  writer: OutboxWriter
  coordination: Coordination
  /** This instance's lease owner id. */
  owner: string
  errors: BackgroundErrors
  logger: Logger
}

export class BoxSyncer {
  private readonly chains = new Map<string, Chain>()
  private closed = false

  constructor (private readonly deps: BoxSyncerDeps) {}

  /** Syncs the box and feeds its subscriptions; resolves with a sync that started after the call. */
  async run (boxId: string): Promise<SyncOutcome> {
    const chain = this.chains.get(boxId)
    if (chain === undefined) return await this.start(boxId)
    if (chain.next !== undefined) return await chain.next
    // Runs after the current run, whatever its outcome (its callers got that outcome already).
    const after = async (): Promise<SyncOutcome> => await this.once(boxId)
    const next = chain.current.then(after, after)
    chain.next = next
    this.settleWhenDone(boxId, next)
    return await next
  }

  /** Waits for the runs in progress (shutdown). */
  async close (): Promise<void> {
    this.closed = true
    const pending = [...this.chains.values()].flatMap((c) => [c.current, c.next].filter((p) => p !== undefined))
    await Promise.allSettled(pending)
  }

  private async start (boxId: string): Promise<SyncOutcome> {
    const current = this.once(boxId)
    this.chains.set(boxId, { current, next: undefined })
    this.settleWhenDone(boxId, current)
    return await current
  }

  /** Calls {@link settle} when `run` ends; its outcome, failure included, goes to its callers. */
  private settleWhenDone (boxId: string, run: Promise<SyncOutcome>): void {
    const settle = (): void => { this.settle(boxId, run) }
    run.then(settle, settle)
  }

  /** When a run ends: its queued successor becomes the current one, or the chain ends. */
  private settle (boxId: string, done: Promise<SyncOutcome>): void {
    const chain = this.chains.get(boxId)
    if (chain === undefined) return
    if (chain.current === done) {
      if (chain.next === undefined) this.chains.delete(boxId)
      else this.chains.set(boxId, { current: chain.next, next: undefined })
    } else if (chain.next === done) {
      this.chains.delete(boxId)
    }
  }

  private async once (boxId: string): Promise<SyncOutcome> {
    if (this.closed) throw new Error('box syncer closed')
    const lock = `sync:${boxId}`
    const { coordination, owner } = this.deps
    let locked = false
    const deadline = Date.now() + LOCK_WAIT_MS
    while (!(locked = await coordination.acquire(lock, owner, LOCK_MS)) && Date.now() < deadline) await sleep(25)
    if (!locked) this.deps.logger.warn({ boxId }, 'box sync lock still held elsewhere; syncing anyway')
    try {
      const outcome = await this.deps.tracker.sync(boxId)
      await this.deps.writer.feed(boxId, outcome)
      return outcome
    } finally {
      // An unreleased lock only delays another instance's sync until it expires.
      if (locked) await coordination.release(lock, owner).catch(this.deps.errors.handler('sync lock release', { boxId }))
    }
  }
}
