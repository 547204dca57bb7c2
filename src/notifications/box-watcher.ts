/**
 * Everything one instance does for a box whose lease it holds (architecture.md section 6): a
 * dedicated IMAP connection that reports changes (NOTIFY where offered, else IDLE; it
 * reconnects by itself and reports every reconnect, after which the sync catches up from the
 * tracked state, so nothing that happened during a gap is skipped), syncs coalesced over
 * `tracking.coalesceMs`, and one delivery loop per subscription.
 */
import type { Logger } from 'pino'
import type { ImapPort, WatchSession } from '../imap/types.js'
import type { Store } from '../store/store.js'
import type { BoxSyncer } from './box-syncer.js'
import { SubscriptionDelivery, type DeliveryDeps } from './delivery.js'

export interface BoxWatcherDeps {
  imap: ImapPort
  store: Store
  syncer: BoxSyncer
  delivery: Omit<DeliveryDeps, 'onEnd'>
  coalesceMs: number
  logger: Logger
  /** A delivery ended (its subscription is gone). */
  onSubscriptionEnd: (boxId: string, id: string) => void
}

export class BoxWatcher {
  private session: WatchSession | undefined
  private readonly deliveries = new Map<string, SubscriptionDelivery>()
  private timer: NodeJS.Timeout | undefined
  private stopped = false

  constructor (readonly boxId: string, private readonly deps: BoxWatcherDeps) {}

  /** Opens the watch connection and the deliveries, and catches up. */
  async start (): Promise<void> {
    this.session = this.deps.imap.watch({ boxId: this.boxId }, () => { this.poke() })
    await this.refresh()
    this.poke()
  }

  /** A change may have happened: sync soon (changes close together share one sync). */
  poke (): void {
    if (this.stopped || this.timer !== undefined) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.deps.syncer.run(this.boxId).catch((err: unknown) => {
        // The next poke or sweep syncs again from the stored state; nothing is lost meanwhile.
        this.deps.logger.warn({ err, boxId: this.boxId }, 'box sync failed')
      })
    }, this.deps.coalesceMs)
  }

  /** Starts deliveries for new subscriptions and stops those of removed ones; returns how many are live. */
  async refresh (): Promise<number> {
    if (this.stopped) return 0
    const now = Date.now()
    const live = (await this.deps.store.subscriptions.list(this.boxId)).filter((s) => s.expiresAt > now)
    const ids = new Set(live.map((s) => s.id))
    for (const [id, d] of this.deliveries) {
      if (!ids.has(id)) {
        this.deliveries.delete(id)
        d.stop().catch(() => {})
      }
    }
    for (const id of ids) {
      if (this.deliveries.has(id)) continue
      this.deliveries.set(id, new SubscriptionDelivery(this.boxId, id, {
        ...this.deps.delivery,
        onEnd: (boxId, sid) => {
          this.deliveries.delete(sid)
          this.deps.onSubscriptionEnd(boxId, sid)
        }
      }))
    }
    return ids.size
  }

  /** Lists were queued for this subscription. */
  wake (id: string): void {
    const d = this.deliveries.get(id)
    if (d !== undefined) d.wake()
    else this.refresh().catch(() => {})
  }

  /** How many deliveries run. */
  get deliveryCount (): number {
    return this.deliveries.size
  }

  async stop (): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    this.timer = undefined
    const deliveries = [...this.deliveries.values()]
    this.deliveries.clear()
    await Promise.all([this.session?.close(), ...deliveries.map(async (d) => { await d.stop() })])
  }
}
