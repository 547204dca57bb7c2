/**
 * The watch stage for one box whose lease this instance holds: a dedicated IMAP connection that
 * reports changes (NOTIFY, RFC 5465, where offered, else IDLE, RFC 2177; it reconnects by itself
 * and reports every reconnect, after which the sync catches up from the tracked state, so nothing
 * that happened during a gap is skipped), turned into syncs coalesced over
 * `tracking.coalesceMs`. The {@link BoxLeases} that created it owns it; the syncs it runs feed
 * the outboxes, and the dispatch stage delivers them.
 *
 * A NOTIFY session can go deaf: Dovecot 2.3.19 stops sending a long-lived session its NOTIFY
 * reports once the mailbox list index log rotates (every few hundred changes), without a word.
 * The sweep still finds every change, so nothing is lost, but each would wait for it. So when
 * a sweep finds changes and the connection reports none within a grace period (NOTIFY reports
 * a change about half a second after it happened), the connection is rebuilt.
 */
import type { Logger } from 'pino'
import type { ImapPort, WatchSession } from '../../imap/types.js'
import type { BackgroundErrors } from '../../logging/background-errors.js'
import { isEmptyPlan } from '../../sync/change-plan.js'
import type { BoxSyncer } from '../feed/box-syncer.js'

/**
 * How long after a sweep found changes the watch connection must have reported something
 * (NOTIFY reports within about half a second of a change, IDLE likewise).
 */
const DEAF_GRACE_MS = 2000
/** About how long after a change NOTIFY reports it (Dovecot's fixed delay, plus slack). */
const HINT_DELAY_MS = 700

export interface BoxWatcherDeps {
  imap: Pick<ImapPort, 'watch'>
  syncer: Pick<BoxSyncer, 'run'>
  coalesceMs: number
  errors: BackgroundErrors
  logger: Logger
}

export class BoxWatcher {
  private session: WatchSession | undefined
  private timer: NodeJS.Timeout | undefined
  private stopped = false
  /** When the watch connection last reported something. */
  private lastHint = 0
  /** A check that the connection reports what a sweep found is pending. */
  private deafCheck: NodeJS.Timeout | undefined

  constructor (readonly boxId: string, private readonly deps: BoxWatcherDeps) {}

  /** Opens the watch connection and catches up with a first sync. */
  start (): void {
    this.openSession()
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
      this.deps.errors.report('box sync', err, { boxId: this.boxId })
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
      old?.close().catch(this.deps.errors.handler('deaf watch connection close', { boxId: this.boxId }))
    }, DEAF_GRACE_MS)
  }

  async stop (): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    clearTimeout(this.deafCheck)
    this.timer = undefined
    await this.session?.close()
  }
}
