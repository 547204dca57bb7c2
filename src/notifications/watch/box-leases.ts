/**
 * Which instance watches which box (docs/notification-pipeline.md, "Leases"). A box is watched
 * while it has a live subscription; whoever holds its Redis lease (`lease.seconds`) runs its
 * {@link BoxWatcher} (the watch stage) and its delivery loops (the dispatch stage). Every
 * instance renews its leases a few times per lease period and claims the boxes nobody holds, so
 * when an instance dies its boxes move to the others within one lease period, and the new
 * owner's first sync catches up from the tracked state.
 *
 * Work that reaches another instance (a subscription created there, an API change made there)
 * travels over the bus to the owner.
 */
import type { Logger } from 'pino'
import type { Config } from '../../config/schema.js'
import type { BackgroundErrors } from '../../logging/background-errors.js'
import type { BusMessage, Coordination } from '../../store/coordination.js'
import type { Store } from '../../store/store.js'
import type { OutboxDispatcher } from '../dispatch/outbox-dispatcher.js'
import { BoxWatcher, type BoxWatcherDeps } from './box-watcher.js'

/** Boxes one instance claims per lease round, so a restart of many instances spreads the load. */
const CLAIMS_PER_ROUND = 200

export interface BoxLeasesDeps {
  config: Readonly<Config>
  store: Store
  coordination: Coordination
  /** This instance's lease owner id. */
  owner: string
  /** Runs the delivery loops of the boxes held here. */
  dispatcher: OutboxDispatcher
  watcher: BoxWatcherDeps
  errors: BackgroundErrors
  logger: Logger
}

function leaseName (boxId: string): string {
  return `watch:${boxId}`
}

export class BoxLeases {
  private readonly watchers = new Map<string, BoxWatcher>()
  /** Boxes being started, so two triggers do not start two watchers. */
  private readonly starting = new Map<string, Promise<void>>()
  private unsubscribe: (() => Promise<void>) | undefined
  private closed = false

  constructor (private readonly deps: BoxLeasesDeps) {
    // A subscription that ended on its own (receiver gone, expired) may have been the box's last.
    deps.dispatcher.on('subscriptionEnded', (boxId) => { this.recheck(boxId, 'subscription ended') })
  }

  private get ttlMs (): number {
    return this.deps.config.lease.seconds * 1000
  }

  async start (): Promise<void> {
    this.unsubscribe = await this.deps.coordination.subscribe((msg) => { this.onMessage(msg) })
    // The periodic lease job runs the next round.
    await this.keepLeases().catch(this.deps.errors.handler('initial lease round'))
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
        await this.stopBox(w)
      }
    }
    const boxes = new Set(await this.deps.store.subscriptions.watchedBoxes())
    for (const boxId of [...this.watchers.keys()]) {
      // The list may predate a subscription created meanwhile: ask the box itself before letting
      // go. A box whose loops could not start (Redis failed while it was claimed) gets them now.
      if (!boxes.has(boxId) || !this.deps.dispatcher.runs(boxId)) await this.refreshOrUnwatch(boxId)
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
      await this.refreshOrUnwatch(boxId)
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
    else this.publish({ kind: 'poke', boxId })
  }

  async close (): Promise<void> {
    this.closed = true
    await this.unsubscribe?.()
    await Promise.allSettled([...this.starting.values()])
    const all = [...this.watchers]
    this.watchers.clear()
    await Promise.all(all.map(async ([boxId, w]) => {
      await this.stopBox(w)
      // If the release fails, another instance takes the box over when the lease runs out.
      await this.deps.coordination.release(leaseName(boxId), this.deps.owner)
        .catch(this.deps.errors.handler('lease release', { boxId }))
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
      const w = new BoxWatcher(boxId, this.deps.watcher)
      this.watchers.set(boxId, w)
      this.deps.logger.debug({ boxId }, 'watching box')
      w.start()
      // Zero when its last subscription went away while the lease was being taken.
      if (await this.deps.dispatcher.refresh(boxId) === 0) await this.unwatch(boxId)
    })()
    this.starting.set(boxId, start)
    try {
      await start
    } finally {
      this.starting.delete(boxId)
    }
    return got
  }

  /** Brings the box's delivery loops up to date; gives the box up when none is live. */
  private async refreshOrUnwatch (boxId: string): Promise<void> {
    if (!this.watchers.has(boxId)) return
    if (await this.deps.dispatcher.refresh(boxId) === 0) await this.unwatch(boxId)
  }

  /**
   * {@link refreshOrUnwatch} for triggers nothing awaits. A failure (Redis unreachable) leaves
   * the box watched until the next lease round checks it again: it is reported, not retried here.
   */
  private recheck (boxId: string, why: string, then?: () => void): void {
    this.refreshOrUnwatch(boxId).then(then, this.deps.errors.handler('box subscription check', { boxId, why }))
  }

  private async unwatch (boxId: string): Promise<void> {
    const w = this.watchers.get(boxId)
    if (w === undefined) return
    this.watchers.delete(boxId)
    await this.stopBox(w)
    await this.deps.coordination.release(leaseName(boxId), this.deps.owner)
    this.deps.logger.debug({ boxId }, 'box no longer watched')
  }

  /** Stops the box's watch connection and its delivery loops. */
  private async stopBox (w: BoxWatcher): Promise<void> {
    await Promise.all([w.stop(), this.deps.dispatcher.stopBox(w.boxId)])
  }

  /**
   * Publishes on the bus; never rejects. A failure is reported: the owner still finds the change
   * with its next sweep, and its next lease round sees the subscriptions.
   */
  private publish (msg: BusMessage): Promise<void> {
    return this.deps.coordination.publish(msg).catch(this.deps.errors.handler('bus publish', { kind: msg.kind, boxId: msg.boxId }))
  }

  private onMessage (msg: BusMessage): void {
    const w = this.watchers.get(msg.boxId)
    if (w === undefined) return
    switch (msg.kind) {
      case 'poke':
        w.poke()
        break
      case 'subs':
        this.recheck(msg.boxId, 'subscriptions changed elsewhere', () => { w.poke() })
        break
    }
  }
}
