/**
 * Which instance watches which box (architecture.md sections 6 and 8). A box is watched while
 * it has a live subscription; whoever holds its Redis lease (`lease.seconds`) runs its
 * BoxWatcher. Every instance renews its leases a few times per lease period and claims the
 * boxes nobody holds, so when an instance dies its boxes move to the others within one lease
 * period, and the new owner's first sync catches up from the tracked state.
 *
 * Work that reaches another instance (a subscription created there, an API change made there,
 * lists its sync queued) travels over the bus to the owner.
 */
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import type { BusMessage, Coordination } from '../store/coordination.js'
import type { Store } from '../store/store.js'
import { BoxWatcher, type BoxWatcherDeps } from './box-watcher.js'

/** Boxes one instance claims per lease round, so a restart of many instances spreads the load. */
const CLAIMS_PER_ROUND = 200

export interface WatchManagerDeps {
  config: Readonly<Config>
  store: Store
  coordination: Coordination
  owner: string
  logger: Logger
  watcher: Omit<BoxWatcherDeps, 'onSubscriptionEnd'>
}

function leaseName (boxId: string): string {
  return `watch:${boxId}`
}

export class WatchManager {
  private readonly watchers = new Map<string, BoxWatcher>()
  /** Boxes being started, so two triggers do not start two watchers. */
  private readonly starting = new Map<string, Promise<void>>()
  private unsubscribe: (() => Promise<void>) | undefined
  private closed = false

  constructor (private readonly deps: WatchManagerDeps) {}

  private get ttlMs (): number {
    return this.deps.config.lease.seconds * 1000
  }

  async start (): Promise<void> {
    this.unsubscribe = await this.deps.coordination.subscribe((msg) => { this.onMessage(msg) })
    await this.keepLeases().catch((err: unknown) => { this.deps.logger.warn({ err }, 'initial lease round failed') })
  }

  /** True when this instance watches the box. */
  owns (boxId: string): boolean {
    return this.watchers.has(boxId)
  }

  /** Renews held leases, gives up boxes without subscriptions, claims unwatched boxes. */
  async keepLeases (): Promise<void> {
    if (this.closed) return
    const { coordination, owner } = this.deps
    for (const [boxId, w] of [...this.watchers]) {
      if (!await coordination.renew(leaseName(boxId), owner, this.ttlMs)) {
        this.deps.logger.warn({ boxId }, 'box lease lost; another instance watches it now')
        this.watchers.delete(boxId)
        await w.stop()
      }
    }
    const boxes = new Set(await this.deps.store.subscriptions.watchedBoxes())
    for (const [boxId, w] of [...this.watchers]) {
      // The list may predate a subscription created meanwhile: ask the box itself before letting go.
      if (!boxes.has(boxId)) await this.refreshOrUnwatch(w)
    }
    let claims = 0
    for (const boxId of boxes) {
      if (this.closed || claims >= CLAIMS_PER_ROUND) break
      if (this.watchers.has(boxId) || this.starting.has(boxId)) continue
      if (await this.claim(boxId)) claims++
    }
  }

  /** Pokes every watched box (the periodic sweep: folders IDLE/NOTIFY may not report). */
  sweep (): void {
    for (const w of this.watchers.values()) w.poke('sweep')
  }

  /** A box's subscriptions changed on this instance. */
  async subscriptionsChanged (boxId: string, id: string): Promise<void> {
    const w = this.watchers.get(boxId)
    if (w !== undefined) {
      await this.refreshOrUnwatch(w)
      w.poke()
      return
    }
    const now = Date.now()
    const live = (await this.deps.store.subscriptions.list(boxId)).some((s) => s.expiresAt > now)
    if (live && await this.claim(boxId)) return
    await this.publish({ kind: 'subs', boxId, id })
  }

  /** The gateway changed something in the box (an API request): sync it soon. */
  poke (boxId: string): void {
    const w = this.watchers.get(boxId)
    if (w !== undefined) w.poke()
    else this.publish({ kind: 'poke', boxId }).catch(() => {})
  }

  /** Lists were queued for a subscription. */
  queued (boxId: string, id: string): void {
    const w = this.watchers.get(boxId)
    if (w !== undefined) w.wake(id)
    else this.publish({ kind: 'outbox', boxId, id }).catch(() => {})
  }

  async close (): Promise<void> {
    this.closed = true
    await this.unsubscribe?.()
    await Promise.allSettled([...this.starting.values()])
    const all = [...this.watchers]
    this.watchers.clear()
    await Promise.all(all.map(async ([boxId, w]) => {
      await w.stop()
      await this.deps.coordination.release(leaseName(boxId), this.deps.owner).catch(() => {})
    }))
  }

  /** Takes the box's lease if free and starts watching it; false when another instance holds it. */
  private async claim (boxId: string): Promise<boolean> {
    const pending = this.starting.get(boxId)
    if (pending !== undefined) {
      await pending
      return this.watchers.has(boxId)
    }
    if (this.watchers.has(boxId)) return true
    let got = false
    const start = (async () => {
      if (this.closed || !await this.deps.coordination.acquire(leaseName(boxId), this.deps.owner, this.ttlMs)) return
      got = true
      const w = new BoxWatcher(boxId, {
        ...this.deps.watcher,
        onSubscriptionEnd: () => {
          this.refreshOrUnwatch(w).catch(() => {})
        }
      })
      this.watchers.set(boxId, w)
      this.deps.logger.debug({ boxId }, 'watching box')
      await w.start()
      // Its last subscription went away while the lease was being taken.
      if (w.deliveryCount === 0) await this.unwatch(boxId)
    })()
    this.starting.set(boxId, start)
    try {
      await start
    } finally {
      this.starting.delete(boxId)
    }
    return got
  }

  private async refreshOrUnwatch (w: BoxWatcher): Promise<void> {
    if (await w.refresh() === 0) await this.unwatch(w.boxId)
  }

  private async unwatch (boxId: string): Promise<void> {
    const w = this.watchers.get(boxId)
    if (w === undefined) return
    this.watchers.delete(boxId)
    await w.stop()
    await this.deps.coordination.release(leaseName(boxId), this.deps.owner)
    this.deps.logger.debug({ boxId }, 'box no longer watched')
  }

  private async publish (msg: BusMessage): Promise<void> {
    await this.deps.coordination.publish(msg).catch((err: unknown) => {
      this.deps.logger.warn({ err, kind: msg.kind }, 'bus publish failed')
    })
  }

  private onMessage (msg: BusMessage): void {
    const w = this.watchers.get(msg.boxId)
    if (w === undefined) return
    switch (msg.kind) {
      case 'poke':
        w.poke()
        break
      case 'subs':
        this.refreshOrUnwatch(w).then(() => { w.poke() }).catch(() => {})
        break
      case 'outbox':
        if (msg.id !== undefined) w.wake(msg.id)
        break
    }
  }
}
