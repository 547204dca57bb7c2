/**
 * Everything one instance does for a box whose lease it holds (architecture.md section 6): a
 * dedicated IMAP connection that reports changes (NOTIFY where offered, else IDLE; it
 * reconnects by itself and reports every reconnect, after which the sync catches up from the
 * tracked state, so nothing that happened during a gap is skipped), syncs coalesced over
 * `tracking.coalesceMs`, and one delivery loop per subscription.
 *
 * A NOTIFY session can go deaf: Dovecot 2.3.19 stops sending a long-lived session its NOTIFY
 * reports once the mailbox list index log rotates (every few hundred changes), without a word.
 * The sweep still finds every change, so nothing is lost, but each would wait for it. So when
 * a sweep finds changes and the connection reports none within a grace period (NOTIFY reports
 * a change about half a second after it happened), the connection is rebuilt.
 */
import type { Logger } from 'pino'
import type { ImapPort, WatchSession } from '../imap/types.js'
import type { Store } from '../store/store.js'
import { isEmptyPlan } from '../sync/change-plan.js'
import type { BoxSyncer } from './box-syncer.js'
import { SubscriptionDelivery, type DeliveryDeps } from './delivery.js'

/**
 * How long after a sweep found changes the watch connection must have reported something
 * (NOTIFY reports within about half a second of a change, IDLE likewise).
 */
const DEAF_GRACE_MS = 2000
/** About how long after a change NOTIFY reports it (Dovecot's fixed delay, plus slack). */
const HINT_DELAY_MS = 700

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
  /** When the watch connection last reported something. */
  private lastHint = 0
  /** A check that the connection reports what a sweep found is pending. */
  private deafCheck: NodeJS.Timeout | undefined

  constructor (readonly boxId: string, private readonly deps: BoxWatcherDeps) {}

  /** Opens the watch connection and the deliveries, and catches up. */
  async start (): Promise<void> {
    this.openSession()
    await this.refresh()
    this.poke()
  }

  private openSession (): void {
    this.session = this.deps.imap.watch({ boxId: this.boxId }, () => {
      this.lastHint = Date.now()
      this.poke()
    })
  }

  /**
   * A change may have happened: sync soon (changes close together share one sync). A `sweep`
   * poke also checks that the watch connection would have reported what the sync finds.
   */
  poke (why: 'hint' | 'sweep' = 'hint'): void {
    if (this.stopped) return
    if (why === 'sweep' && this.timer === undefined) {
      const since = Date.now()
      this.timer = setTimeout(() => {
        this.timer = undefined
        this.sync((changed) => { if (changed) this.expectHint(since) })
      }, this.deps.coalesceMs)
      return
    }
    if (this.timer !== undefined) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.sync(() => {})
    }, this.deps.coalesceMs)
  }

  private sync (then: (changed: boolean) => void): void {
    this.deps.syncer.run(this.boxId).then((outcome) => {
      then(outcome.live !== undefined && !isEmptyPlan(outcome.live))
    }, (err: unknown) => {
      // The next poke or sweep syncs again from the stored state; nothing is lost meanwhile.
      this.deps.logger.warn({ err, boxId: this.boxId }, 'box sync failed')
    })
  }

  /** The sweep found changes: unless the connection reports them soon, it has gone deaf. */
  private expectHint (since: number): void {
    if (this.stopped || this.deafCheck !== undefined || this.session?.mode !== 'notify') return
    this.deafCheck = setTimeout(() => {
      this.deafCheck = undefined
      // A hint before the sweep counts only if it was about a change this fresh: an older one
      // would have had its own sync, and the sweep would have found nothing.
      if (this.stopped || this.lastHint >= since - HINT_DELAY_MS) return
      this.deps.logger.info({ boxId: this.boxId }, 'watch connection reported nothing of changes a sweep found; reconnecting')
      const old = this.session
      this.openSession()
      old?.close().catch(() => {})
    }, DEAF_GRACE_MS)
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
    clearTimeout(this.deafCheck)
    this.timer = undefined
    const deliveries = [...this.deliveries.values()]
    this.deliveries.clear()
    await Promise.all([this.session?.close(), ...deliveries.map(async (d) => { await d.stop() })])
  }
}
