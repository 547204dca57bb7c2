/**
 * The Notification Channel API (OMA Notification Channel TS sections 5 and 6, that TS being
 * OMA-TS-REST_NetAPI_NotificationChannel-V1_0-20200319-C; docs/deployed-clients.md, "Notification
 * channel flow"): long-polling channels for clients without a public callback.
 *
 * - A channel's `callbackURL` is accepted as an NMS subscription's `notifyURL`; the lists the
 *   feed stage queues for such a subscription move from its outbox into the channel's queue
 *   inside the gateway (src/notifications/dispatch/delivery-loop.ts), in index order, one at a
 *   time, atomically.
 * - A poll (`POST <channelURL>`) becomes the channel's current poll, extends its lifetime, and
 *   acknowledges what the previous response carried (the next poll arriving is what tells the
 *   client got it: a response lost before it was written out is sent again). It answers at once
 *   with up to `maxNotifications` queued notifications, or is held until one is queued or the
 *   hold time ends: then `200 {"notificationList": []}`, an array, never 204 or null
 *   (docs/decisions.md, "Empty long poll").
 * - A newer poll of the channel, on any instance, ends a held one with 409 SVC1012 (OMA
 *   Notification Channel TS section 7.1.1); deleting the channel ends it with 404. Wake-ups travel
 *   over the Redis bus, so the poll and the change may be handled by different instances.
 * - Only `LongPolling` is offered: other types are 403 POL1023 naming it (OMA Notification Channel TS section 7.2.1).
 * - `GET /channels` answers the spec's `notificationChannelList` object (`notificationChannel[]`
 *   and `resourceURL`); the array of wrappers one deployed client variant reads goes with
 *   NativeChannel (FCM) channels, which are not offered (docs/decisions.md, "Channel list").
 */
import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import type { Config } from '../../config/schema.js'
import { GatewayError, notFound } from '../../errors/gateway-error.js'
import { echoedText, wholeNumber } from '../../errors/input-fields.js'
import type { ChannelRecord } from '../../store/channel-store.js'
import type { Store } from '../../store/store.js'
import type { ChannelDirectory } from './channel-directory.js'
import { CHANNEL_ID, channelBaseUrl, channelUrls } from './channel-urls.js'
import type { ChannelWakeups } from './channel-wakeups.js'
import type { ChannelInput, NotificationChannel, NotificationChannelList } from './wire.js'

/** The channel types offered (OMA Notification Channel TS section 5.2.3.1, ChannelType). */
export const CHANNEL_TYPES = ['LongPolling'] as const

export type { ChannelInput, NotificationChannel }

/**
 * What a poll answers: the JSON body and what to record once it has been written out, or a
 * redirect to the channel resource when the channel is gone.
 */
export type PollAnswer = {
  body: string
  /** Records the carried notifications as sent (call when the response finished). */
  sent?: () => Promise<void>
} | { redirect: string }

export interface ChannelServiceDeps {
  config: Readonly<Config>
  store: Store
  directory: ChannelDirectory
  wakeups: ChannelWakeups
  /** Ends the subscriptions that deliver to a channel that is gone (deleted or expired). */
  endSubscriptions: (userId: string, channelId: string) => Promise<void>
  logger: Logger
}

/** A held poll looks at its channel again at least this often (a lost wake-up costs this much). */
const RECHECK_MS = 5000

export class ChannelService {
  private closed = false

  constructor (private readonly deps: ChannelServiceDeps) {}

  /** Held polls answer an empty list from now on (closing the wake-ups releases them). */
  close (): void {
    this.closed = true
  }

  /** POST /channels */
  async create (userId: string, input: ChannelInput): Promise<{ channel: NotificationChannel, created: boolean }> {
    const { config, store } = this.deps
    const nc = config.notificationChannel
    const type = CHANNEL_TYPES.find((t) => t.toLowerCase() === input.channelType.trim().toLowerCase())
    if (type === undefined) {
      throw new GatewayError('GW_ERR_CHANNEL_TYPE_UNSUPPORTED', { variables: [input.channelType, CHANNEL_TYPES.join(', ')] })
    }
    const correlator = echoedText(input.clientCorrelator, 'notificationChannel.clientCorrelator')
    const applicationTag = echoedText(input.applicationTag, 'notificationChannel.applicationTag')
    const requestedMax = wholeNumber(input.channelData?.maxNotifications, 'notificationChannel.channelData.maxNotifications')
    const maxWaitTime = wholeNumber(input.channelData?.maxWaitTime, 'notificationChannel.channelData.maxWaitTime')
    const lifetimeSeconds = this.grantedLifetime(input.channelLifetime)
    const wanted = requestedMax === undefined || requestedMax === 0 ? nc.defaultMaxNotifications : requestedMax
    const now = Date.now()
    const all = await store.channels.list(userId)
    // A channel past its lifetime that the expiry job has not removed yet goes now: its
    // clientCorrelator must not answer for it, nor may it count against maxPerUser.
    for (const c of all.filter((x) => x.expiresAt <= now)) await this.removeExpired(c.userId, c.id, now)
    const live = all.filter((c) => c.expiresAt > now)
    const clientCorrelator = correlator === '' ? undefined : correlator
    const same = clientCorrelator === undefined ? undefined : live.find((c) => c.clientCorrelator === clientCorrelator)
    if (same !== undefined) return { channel: this.render(same), created: false }
    if (live.length >= nc.maxPerUser) throw new GatewayError('GW_ERR_CHANNELS_TOO_MANY', { variables: [String(nc.maxPerUser)] })
    const rec: ChannelRecord = {
      id: randomBytes(12).toString('base64url'),
      userId,
      ...(clientCorrelator === undefined ? {} : { clientCorrelator }),
      ...(applicationTag === undefined ? {} : { applicationTag }),
      maxNotifications: Math.min(wanted, nc.maxNotifications),
      ...(maxWaitTime === undefined ? {} : { maxWaitTime }),
      lifetimeSeconds,
      createdAt: now,
      expiresAt: now + lifetimeSeconds * 1000
    }
    const res = await store.channels.create(rec)
    return { channel: this.render(res.record), created: res.created }
  }

  /** GET /channels */
  async list (userId: string): Promise<NotificationChannelList> {
    const now = Date.now()
    const all = await this.deps.store.channels.list(userId)
    return {
      notificationChannel: all.filter((c) => c.expiresAt > now).map((c) => this.render(c)),
      resourceURL: `${channelBaseUrl(this.deps.config, userId)}/channels`
    }
  }

  /** GET /channels/{id} */
  async get (userId: string, id: string): Promise<NotificationChannel> {
    return this.render(await this.require(userId, id))
  }

  /** The live channel, or 404 SVC0004. */
  async require (userId: string, id: string): Promise<ChannelRecord> {
    const rec = await this.deps.directory.live(userId, id)
    if (rec === undefined) throw notFound('Request-URI')
    return rec
  }

  /** DELETE /channels/{id}: an open poll answers 404 at once; the channel's subscriptions end. */
  async remove (userId: string, id: string): Promise<void> {
    await this.require(userId, id)
    if (!await this.deps.store.channels.remove(userId, id)) throw notFound('Request-URI')
    await this.gone(userId, id)
  }

  /** GET /channels/{id}/channelLifetime: the remaining seconds. */
  async lifetime (userId: string, id: string): Promise<number> {
    return remaining(await this.require(userId, id))
  }

  /** PUT /channels/{id}/channelLifetime: a new lifetime from now; answers the granted value. */
  async setLifetime (userId: string, id: string, requested: number | string | undefined): Promise<number> {
    await this.require(userId, id)
    const seconds = this.grantedLifetime(requested)
    const rec = await this.deps.store.channels.setLifetime(userId, id, seconds, Date.now() + seconds * 1000)
    if (rec === undefined) throw notFound('Request-URI')
    return seconds
  }

  /**
   * One long poll. Resolves with the answer, or undefined when the client went away first
   * (`closed` aborted: nothing is sent, nothing is taken from the queue).
   */
  async poll (userId: string, id: string, closed: AbortSignal): Promise<PollAnswer | undefined> {
    const { store, config } = this.deps
    // A well-formed id that names no live channel (expired, deleted, lost) is answered 302 to
    // the channel resource, which answers 404: the one answer that makes the deployed client
    // create a channel and a subscription again, with its last restart token (a 404 or 410 on
    // the poll sends it into its credential back-off instead; docs/decisions.md, "Poll of a
    // channel that no longer exists"). A spec client following the redirect gets the same 404.
    if (!CHANNEL_ID.test(id)) throw notFound('Request-URI')
    const rec = await this.deps.directory.live(userId, id)
    if (rec === undefined) return { redirect: channelUrls(config, userId, id).resourceURL }
    const pollId = randomBytes(9).toString('base64url')
    if (!await store.channels.beginPoll(userId, id, pollId, Date.now() + rec.lifetimeSeconds * 1000)) throw notFound('Request-URI')
    // Ends a poll of this channel held here or on another instance (it sees it is not current).
    await this.deps.wakeups.wake(userId, id)
    const deadline = Date.now() + config.notificationChannel.holdSeconds * 1000
    for (;;) {
      const current = await store.channels.currentPoll(userId, id)
      if (current === undefined) throw notFound('Request-URI')
      if (current !== pollId) throw new GatewayError('GW_ERR_CHANNEL_POLL_REPLACED', { variables: [] })
      const items = await store.channels.peek(userId, id, rec.maxNotifications)
      if (items.length > 0) {
        const last = items[items.length - 1]?.seq ?? 0
        return {
          body: `{"notificationList":[${items.map((i) => i.body).join(',')}]}`,
          sent: async () => { await store.channels.markSent(userId, id, pollId, last) }
        }
      }
      const left = deadline - Date.now()
      if (left <= 0 || this.closed) return { body: '{"notificationList":[]}' }
      await this.deps.wakeups.wait(userId, id, Math.min(left, RECHECK_MS), closed)
      if (closed.aborted) return undefined
    }
  }

  /** Removes channels whose lifetime ended (the expiry job); returns how many. */
  async expire (now = Date.now()): Promise<number> {
    let removed = 0
    for (const { userId, id } of await this.deps.store.channels.expired(now, 1000)) {
      if (await this.removeExpired(userId, id, now)) removed++
    }
    if (removed > 0) this.deps.logger.info({ removed }, 'expired notification channels removed')
    return removed
  }

  /** Removes the channel if its lifetime ended by `now`, with its subscriptions. */
  private async removeExpired (userId: string, id: string, now: number): Promise<boolean> {
    const rec = await this.deps.store.channels.get(userId, id)
    // Polled or refreshed meanwhile: the index already has the new expiry.
    if (rec !== undefined && rec.expiresAt > now) return false
    const removed = await this.deps.store.channels.remove(userId, id)
    await this.gone(userId, id)
    return removed
  }

  private async gone (userId: string, id: string): Promise<void> {
    await this.deps.wakeups.wake(userId, id)
    await this.deps.endSubscriptions(userId, id)
  }

  /** The resource representation; `channelLifetime` is the remaining seconds. */
  render (c: ChannelRecord): NotificationChannel {
    const urls = channelUrls(this.deps.config, c.userId, c.id)
    return {
      ...(c.clientCorrelator === undefined ? {} : { clientCorrelator: c.clientCorrelator }),
      ...(c.applicationTag === undefined ? {} : { applicationTag: c.applicationTag }),
      channelType: 'LongPolling',
      channelData: {
        channelURL: urls.channelURL,
        maxNotifications: c.maxNotifications,
        ...(c.maxWaitTime === undefined ? {} : { maxWaitTime: c.maxWaitTime })
      },
      channelLifetime: remaining(c),
      callbackURL: urls.callbackURL,
      resourceURL: urls.resourceURL
    }
  }

  private grantedLifetime (requested: number | string | undefined): number {
    const nc = this.deps.config.notificationChannel
    const n = wholeNumber(requested, 'channelLifetime')
    return Math.min(n === undefined || n === 0 ? nc.defaultLifetimeSeconds : n, nc.maxLifetimeSeconds)
  }
}

function remaining (c: ChannelRecord): number {
  return Math.max(0, Math.ceil((c.expiresAt - Date.now()) / 1000))
}
