/**
 * The delivery loop of one subscription's outbox (OMA RESTful Network API for Network Message
 * Storage, notification delivery to the `notifyURL`; OMA REST NetAPI Common, notification
 * retries): one list in flight, in index order, each retried until it is delivered or the
 * subscription ends. The {@link OutboxDispatcher} of the instance holding the box's lease owns
 * and runs one loop per live subscription.
 *
 * - 2xx: delivered, the list leaves the outbox.
 * - 404, 410: the receiver is gone for good; the subscription expires.
 * - 408, 429, 5xx, timeouts, connection errors: retried with exponential backoff and full
 *   jitter, honouring an integer Retry-After, until the subscription's duration runs out.
 * - Anything else (a redirect, which is never followed; 400, 401, 403, ...) and a callback whose
 *   address the egress policy refuses at connect time: retried too, but after
 *   `notifications.refusedAttempts` such answers in a row the subscription expires; a client
 *   re-subscribes with its last restartToken and loses nothing.
 *
 * A list is removed only after a 2xx, by index, so a crash or a lease taken over between the
 * POST and the removal sends it again (the client discards it by index and lastModSeq). Each
 * retried list keeps its index and restartToken.
 *
 * A subscription whose notifyURL is one of this gateway's notification channels (its
 * callbackURL) gets its lists moved into the channel's queue, one at a time in index order,
 * each move atomic; a channel that is gone ends the subscription as a 404 would.
 */
import type { Logger } from 'pino'
import type { Config } from '../../config/schema.js'
import type { BackgroundErrors } from '../../logging/background-errors.js'
import type { Store } from '../../store/store.js'
import type { OutboxItem, SubscriptionRecord } from '../../store/subscription-store.js'
import type { DeliveryOutcome } from './callback-client.js'
import { nextAttemptDelayMs } from './retry-policy.js'

/** What the loop reads before each attempt. */
type Next =
  | { kind: 'removed' }
  | { kind: 'expired' }
  | { kind: 'live', rec: SubscriptionRecord, head: OutboxItem | undefined }

/** With nothing queued, the outbox is looked at again this often anyway (a missed wake-up). */
const IDLE_CHECK_MS = 30_000

/** One POST of a notification list to a callback URL (the {@link CallbackClient}, or a test double). */
export interface CallbackPoster {
  post(url: string, body: string): Promise<DeliveryOutcome>
}

/** A notification channel of this gateway, named by the `callbackURL` a subscription uses as `notifyURL`. */
export interface ChannelRef {
  userId: string
  id: string
}

/** How a loop reaches notification channels: which notifyURL names one, and waking its poll. */
export interface ChannelTarget {
  /** The channel a notifyURL is the callbackURL of, when it is one of this gateway's. */
  of(notifyURL: string): ChannelRef | undefined
  /** A notification was queued for the channel: wake its poll, wherever it is held. */
  queued(userId: string, id: string): Promise<void>
}

export interface DeliveryLoopDeps {
  config: Readonly<Config>
  store: Store
  client: CallbackPoster
  channels: ChannelTarget
  errors: BackgroundErrors
  logger: Logger
}

/** Host of a URL for logs, without credentials or path. */
function hostOf (url: string): string {
  try {
    return new URL(url).host
  } catch {
    return '(invalid)'
  }
}

export class DeliveryLoop {
  private stopped = false
  private wakeUp: (() => void) | undefined
  private idle = false
  /** A wake-up arrived since the outbox was last read (so an idle wait must not start). */
  private woken = false
  private timer: NodeJS.Timeout | undefined
  private readonly done: Promise<void>
  private attempts = 0
  private refusals = 0

  /**
   * Starts the loop at once. `onEnd` is called once if the subscription ends on its own
   * (expired, receiver gone, removed elsewhere), not after {@link stop}.
   */
  constructor (
    readonly boxId: string,
    readonly id: string,
    private readonly deps: DeliveryLoopDeps,
    private readonly onEnd: (boxId: string, id: string) => void
  ) {
    this.done = this.loop().catch((err: unknown) => {
      // Every expected failure is handled inside; this is a bug. The dispatcher's next refresh
      // (lease round, wake-up) starts the subscription's loop again.
      this.stopped = true
      this.deps.logger.error({ err, boxId, subscription: id }, 'notification delivery loop failed')
      this.onEnd(boxId, id)
    })
  }

  /** Something was queued: look at the outbox now (unless backing off). */
  wake (): void {
    this.woken = true
    if (this.idle) this.interrupt()
  }

  /** Ends the loop after the attempt in flight. */
  async stop (): Promise<void> {
    this.stopped = true
    this.interrupt()
    await this.done
  }

  private interrupt (): void {
    const w = this.wakeUp
    this.wakeUp = undefined
    w?.()
  }

  /** Waits `ms`; an idle wait also ends on {@link wake}, a backoff only on {@link stop}. */
  private async pause (ms: number, idle: boolean): Promise<void> {
    if (this.stopped || (idle && this.woken)) return
    this.idle = idle
    await new Promise<void>((resolve) => {
      this.wakeUp = resolve
      this.timer = setTimeout(resolve, ms)
    })
    clearTimeout(this.timer)
    this.wakeUp = undefined
    this.idle = false
  }

  private async end (why: string): Promise<void> {
    this.stopped = true
    await this.deps.store.subscriptions.remove(this.boxId, this.id)
    this.deps.logger.info({ boxId: this.boxId, subscription: this.id, why }, 'subscription ended')
    this.onEnd(this.boxId, this.id)
  }

  /**
   * Moves the oldest list into the channel the subscription names (no HTTP hop to itself).
   * True when the subscription ended (its channel is gone).
   */
  private async toChannel (channel: ChannelRef, index: number): Promise<boolean> {
    let moved
    try {
      moved = await this.deps.store.channels.moveFromOutbox(this.boxId, this.id, index, channel.id)
    } catch (err) {
      this.deps.errors.report('channel move', err, { boxId: this.boxId, subscription: this.id, index })
      await this.pause(1000, false)
      return false
    }
    if (moved === 'no-channel') {
      await this.end('its notification channel is gone')
      return true
    }
    if (moved === 'moved') await this.deps.channels.queued(channel.userId, channel.id)
    return false
  }

  /** Until stopped or ended: read the outbox head, deliver it, then wait as the outcome says. */
  private async loop (): Promise<void> {
    while (!this.stopped) {
      this.woken = false
      let next: Next
      try {
        next = await this.readNext()
      } catch (err) {
        // Redis unreachable: nothing is lost while the outbox waits in it; retried in a second.
        this.deps.errors.report('outbox read', err, { boxId: this.boxId, subscription: this.id })
        await this.pause(1000, false)
        continue
      }
      if (next.kind === 'removed') {
        this.stopped = true
        this.onEnd(this.boxId, this.id)
        return
      }
      if (next.kind === 'expired') {
        await this.end('duration ended')
        return
      }
      const { rec, head } = next
      if (head === undefined) {
        await this.pause(Math.min(IDLE_CHECK_MS, Math.max(0, rec.expiresAt - Date.now())), true)
        continue
      }
      const channel = this.deps.channels.of(rec.notifyURL)
      const ended = channel !== undefined
        ? await this.toChannel(channel, head.index)
        : await this.post(rec, head)
      if (ended) return
    }
  }

  /** The subscription and its oldest queued list. */
  private async readNext (): Promise<Next> {
    const { store } = this.deps
    const rec = await store.subscriptions.get(this.boxId, this.id)
    if (rec === undefined) return { kind: 'removed' }
    if (rec.expiresAt <= Date.now()) return { kind: 'expired' }
    return { kind: 'live', rec, head: await store.subscriptions.outboxHead(this.boxId, this.id) }
  }

  /** One POST of the list and what follows from its outcome; true when the subscription ended. */
  private async post (rec: SubscriptionRecord, head: OutboxItem): Promise<boolean> {
    const { store, config } = this.deps
    const outcome: DeliveryOutcome = await this.deps.client.post(rec.notifyURL, head.body)
    const log = { boxId: this.boxId, subscription: this.id, index: head.index, host: hostOf(rec.notifyURL) }
    switch (outcome.kind) {
      case 'delivered':
        this.attempts = 0
        this.refusals = 0
        try {
          await store.subscriptions.outboxAck(this.boxId, this.id, head.index)
        } catch (err) {
          // Sent again later; the client drops the duplicate by its index.
          this.deps.errors.report('outbox ack', err, log)
        }
        return false
      case 'gone':
        this.deps.logger.info({ ...log, status: outcome.status }, 'notification receiver gone')
        await this.end(`receiver answered ${outcome.status}`)
        return true
      case 'retry':
      case 'refused': {
        this.attempts++
        if (outcome.kind === 'refused') this.refusals++
        else this.refusals = 0
        const policy = { initialMs: config.notifications.retryInitialMs, maxMs: config.notifications.retryMaxMs }
        const retryAfterMs = outcome.kind === 'retry' ? outcome.retryAfterMs : undefined
        const delay = nextAttemptDelayMs(this.attempts, retryAfterMs === undefined ? {} : { retryAfterMs }, policy)
        this.deps.logger.warn({ ...log, status: outcome.status, reason: outcome.reason, attempt: this.attempts, delayMs: delay }, 'notification not delivered')
        if (this.refusals >= config.notifications.refusedAttempts) {
          await this.end(`receiver refused ${this.refusals} times: ${outcome.reason}`)
          return true
        }
        if (Date.now() + delay >= rec.expiresAt) {
          await this.end('duration ended while retrying')
          return true
        }
        await this.pause(delay, false)
        return false
      }
    }
  }
}
