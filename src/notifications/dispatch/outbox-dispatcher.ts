/**
 * The dispatch stage: owns the delivery loops ({@link DeliveryLoop}) of every subscription of the
 * boxes this instance holds the lease of, one loop per live subscription, and routes "a list was
 * queued" signals to them. The watch stage tells it which boxes it holds ({@link refresh},
 * {@link stopBox}); the feed stage tells it what was queued ({@link queued}).
 *
 * A list may be queued on an instance that does not hold the box (a subscription created or
 * rewound there, a search that synced the box there): the signal then travels over the bus to
 * every instance, and the holder's dispatcher wakes its loop. A lost signal costs at most the
 * loop's idle re-check of the outbox, never a notification.
 */
import { EventEmitter } from 'node:events'
import type { Logger } from 'pino'
import type { BackgroundErrors } from '../../logging/background-errors.js'
import type { BusMessage, Coordination } from '../../store/coordination.js'
import type { Store } from '../../store/store.js'
import { DeliveryLoop, type DeliveryLoopDeps } from './delivery-loop.js'

export interface OutboxDispatcherDeps {
  store: Store
  coordination: Coordination
  loop: DeliveryLoopDeps
  errors: BackgroundErrors
  logger: Logger
}

/** What the dispatcher tells its listeners. */
export interface OutboxDispatcherEvents {
  /** A subscription's loop ended on its own (expired, receiver gone): its box may need no watch. */
  subscriptionEnded: [boxId: string, id: string]
}

export class OutboxDispatcher extends EventEmitter<OutboxDispatcherEvents> {
  /** boxId -> subscription id -> its running loop. */
  private readonly boxes = new Map<string, Map<string, DeliveryLoop>>()
  private unsubscribe: (() => Promise<void>) | undefined
  private closed = false

  constructor (private readonly deps: OutboxDispatcherDeps) {
    super()
  }

  /** Starts receiving queued-list signals from other instances. */
  async start (): Promise<void> {
    this.unsubscribe = await this.deps.coordination.subscribe((msg) => { this.onMessage(msg) })
  }

  /**
   * Runs one loop per live subscription of the box (starting missing ones, stopping those of
   * removed subscriptions); returns how many are live. Only for boxes this instance holds.
   */
  async refresh (boxId: string): Promise<number> {
    if (this.closed) return 0
    let loops = this.boxes.get(boxId)
    const started = loops === undefined
    if (loops === undefined) {
      loops = new Map()
      this.boxes.set(boxId, loops)
    }
    let live
    try {
      live = await this.deps.store.subscriptions.list(boxId)
    } catch (err) {
      // Nothing runs for the box yet: it must not look run (the next lease round retries).
      if (started && loops.size === 0 && this.boxes.get(boxId) === loops) this.boxes.delete(boxId)
      throw err
    }
    // Stopped (lease given up, shutdown) while the list was read: start nothing.
    if (this.closed || this.boxes.get(boxId) !== loops) return 0
    const now = Date.now()
    const ids = new Set(live.filter((s) => s.expiresAt > now).map((s) => s.id))
    for (const [id, loop] of loops) {
      if (ids.has(id)) continue
      loops.delete(id)
      loop.stop().catch(this.deps.errors.handler('delivery loop stop', { boxId, subscription: id }))
    }
    for (const id of ids) {
      if (!loops.has(id)) loops.set(id, this.startLoop(boxId, id))
    }
    return ids.size
  }

  /** True while loops of the box run here. */
  runs (boxId: string): boolean {
    return this.boxes.has(boxId)
  }

  /**
   * Lists were queued for a subscription: wake its loop here, or tell the instance that runs it.
   * Never throws; a signal that cannot be published is reported (the loop re-checks anyway).
   */
  queued (boxId: string, id: string): void {
    if (this.wakeLocal(boxId, id)) return
    this.deps.coordination.publish({ kind: 'outbox', boxId, id })
      .catch(this.deps.errors.handler('outbox signal publish', { boxId, subscription: id }))
  }

  /** Stops the box's loops (its lease was given up or lost). */
  async stopBox (boxId: string): Promise<void> {
    const loops = this.boxes.get(boxId)
    this.boxes.delete(boxId)
    if (loops !== undefined) await Promise.all([...loops.values()].map(async (loop) => { await loop.stop() }))
  }

  async close (): Promise<void> {
    this.closed = true
    await this.unsubscribe?.()
    await Promise.all([...this.boxes.keys()].map(async (boxId) => { await this.stopBox(boxId) }))
  }

  private startLoop (boxId: string, id: string): DeliveryLoop {
    const loop: DeliveryLoop = new DeliveryLoop(boxId, id, this.deps.loop, () => {
      const loops = this.boxes.get(boxId)
      if (loops?.get(id) === loop) loops.delete(id)
      this.emit('subscriptionEnded', boxId, id)
    })
    return loop
  }

  /** Wakes the subscription's loop if the box is run here; false when it is not. */
  private wakeLocal (boxId: string, id: string): boolean {
    const loops = this.boxes.get(boxId)
    if (loops === undefined) return false
    const loop = loops.get(id)
    if (loop !== undefined) loop.wake()
    else this.refresh(boxId).catch(this.deps.errors.handler('delivery refresh', { boxId, subscription: id }))
    return true
  }

  private onMessage (msg: BusMessage): void {
    if (msg.kind === 'outbox' && msg.id !== undefined) this.wakeLocal(msg.boxId, msg.id)
  }
}
