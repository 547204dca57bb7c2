/**
 * NMS subscriptions (OMA NMS TS sections 6.17, 6.18 and 5.3.2.20 to 5.3.2.22, OMA NMS TS being
 * OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C): create, read, list, update (extend and/or rewind) and
 * delete, on behalf of the HTTP routes.
 *
 * - Create syncs the box first, so "now" is the IMAP state at creation: without a restartToken
 *   only later changes are sent; with one the subscription starts at the token's position and
 *   first receives every change since (or a lone resetBox when the token cannot be replayed:
 *   docs/decisions.md, "Restart tokens that cannot be replayed"). `index` starts at 1; the
 *   response echoes the client's token.
 * - `clientCorrelator` makes creation idempotent: the same correlator on the same box answers
 *   the live subscription that has it. An empty correlator (what the deployed client sends,
 *   docs/deployed-clients.md, "Empty clientCorrelator") is no correlator.
 * - `duration` 0 or absent is the policy default; the grant is capped; every response gives the
 *   remaining seconds. An expired subscription is gone (404 SVC0004), even before the expiry
 *   job has removed it.
 * - The callback URL must pass the egress policy (refused at creation with 400 SVC0002 naming
 *   `notifyURL`, and again at connect time: docs/decisions.md, "Callback URLs the gateway refuses
 *   to call").
 */
import { randomBytes } from 'node:crypto'
import type { Config } from '../../config/schema.js'
import { GatewayError, invalidInput, notFound } from '../../errors/gateway-error.js'
import { echoedText, wholeNumber } from '../../errors/input-fields.js'
import type { Logger } from 'pino'
import type { BackgroundErrors } from '../../logging/background-errors.js'
import type { FolderContext } from '../../nms/folders/context.js'
import { invalidChoice } from '../../nms/search/criteria-common.js'
import type { Store } from '../../store/store.js'
import type { SubscriptionRecord } from '../../store/subscription-store.js'
import type { BoxTracker } from '../../sync/tracker.js'
import type { ChannelDirectory } from '../channels/channel-directory.js'
import { checkCallbackUrl } from '../dispatch/egress.js'
import type { BoxSyncer } from '../feed/box-syncer.js'
import { compileFilter } from '../feed/filter.js'
import { subscriptionUrl } from '../feed/subscription-url.js'
import type { BoxLeases } from '../watch/box-leases.js'
import type { NmsSubscription, SubscriptionInput, SubscriptionUpdateInput } from './wire.js'

export type { NmsSubscription, SubscriptionInput, SubscriptionUpdateInput }

export interface SubscriptionServiceDeps {
  config: Readonly<Config>
  store: Store
  tracker: BoxTracker
  syncer: BoxSyncer
  /** Tells the instance that delivers the box's notifications that its subscriptions changed. */
  leases: Pick<BoxLeases, 'subscriptionsChanged'>
  /** The notification channels, which a notifyURL may name by their callbackURL. */
  channels: ChannelDirectory
  errors: BackgroundErrors
  logger: Logger
}

const MAX_URL_LENGTH = 2048

export class SubscriptionService {
  constructor (private readonly deps: SubscriptionServiceDeps) {}

  /** POST /subscriptions */
  async create (
    ctx: FolderContext, input: SubscriptionInput
  ): Promise<{ subscription: NmsSubscription, created: boolean }> {
    const { config, store } = this.deps
    this.requireBackgroundLogin()
    const boxId = ctx.box.boxId
    const cb = input.callbackReference
    const notifyURL = await this.checkNotifyUrl(ctx, cb.notifyURL)
    if (cb.notificationFormat !== undefined && cb.notificationFormat.toUpperCase() !== 'JSON') {
      // XML representations come later (docs/decisions.md, "Representations").
      throw invalidChoice('callbackReference.notificationFormat', ['JSON'])
    }
    const callbackData = echoedText(cb.callbackData, 'callbackReference.callbackData')
    const correlator = echoedText(input.clientCorrelator, 'clientCorrelator')
    const clientCorrelator = correlator === '' ? undefined : correlator
    if (input.filter !== undefined) compileFilter(config, input.filter)
    const expiresAt = Date.now() + this.grantedSeconds(input.duration) * 1000

    const existing = await store.subscriptions.list(boxId)
    const live = existing.filter((s) => s.expiresAt > Date.now())
    const same = clientCorrelator === undefined ? undefined : live.find((s) => s.clientCorrelator === clientCorrelator)
    if (same !== undefined) return { subscription: this.render(ctx, same), created: false }
    if (live.length >= config.subscriptions.maxPerBox) {
      throw new GatewayError('GW_ERR_SUBSCRIPTIONS_TOO_MANY', { variables: [String(config.subscriptions.maxPerBox)] })
    }

    const outcome = await this.deps.syncer.run(boxId)
    const head = outcome.head
    let position = head.seq
    let pendingReset = false
    let restartToken: string
    if (input.restartToken !== undefined && input.restartToken !== '') {
      const token = echoedText(input.restartToken, 'restartToken') as string
      const target = await this.deps.tracker.resolveToken(boxId, head, token)
      if (target.kind === 'position') position = target.seq
      else pendingReset = true
      restartToken = token
    } else {
      restartToken = await this.deps.tracker.token(boxId, head, head.seq)
    }
    const rec: SubscriptionRecord = {
      id: randomBytes(12).toString('base64url'),
      boxId,
      notifyURL,
      ...(callbackData === undefined ? {} : { callbackData }),
      ...(clientCorrelator === undefined ? {} : { clientCorrelator }),
      ...(input.filter === undefined ? {} : { filter: input.filter }),
      createdAt: Date.now(),
      createdSeq: head.seq,
      expiresAt,
      position,
      pendingReset,
      nextIndex: 1,
      restartToken,
      generation: 0
    }
    const res = await store.subscriptions.create(rec)
    // Delivery starts on the instance that watches the box; a replay is fed by the next sync.
    await this.deps.leases.subscriptionsChanged(boxId, res.record.id)
    return { subscription: this.render(ctx, res.record), created: res.created }
  }

  /** GET /subscriptions */
  async list (ctx: FolderContext): Promise<NmsSubscription[]> {
    const now = Date.now()
    const all = await this.deps.store.subscriptions.list(ctx.box.boxId)
    return all.filter((s) => s.expiresAt > now).map((s) => this.render(ctx, s))
  }

  /** GET /subscriptions/{id} */
  async get (ctx: FolderContext, id: string): Promise<NmsSubscription> {
    return this.render(ctx, await this.require(ctx, id))
  }

  /** POST /subscriptions/{id}: extends and/or rewinds; the index is never reset (OMA NMS TS section 5.1.4.5). */
  async update (ctx: FolderContext, id: string, input: SubscriptionUpdateInput): Promise<NmsSubscription> {
    this.requireBackgroundLogin()
    const boxId = ctx.box.boxId
    await this.require(ctx, id)
    const u: { expiresAt?: number, position?: number, pendingReset?: boolean, restartToken?: string } = {}
    if (input.duration !== undefined) u.expiresAt = Date.now() + this.grantedSeconds(input.duration) * 1000
    if (input.restartToken !== undefined && input.restartToken !== '') {
      const token = echoedText(input.restartToken, 'restartToken') as string
      const outcome = await this.deps.syncer.run(boxId)
      const target = await this.deps.tracker.resolveToken(boxId, outcome.head, token)
      if (target.kind === 'position') {
        u.position = target.seq
        u.pendingReset = false
      } else {
        u.pendingReset = true
      }
      u.restartToken = token
    }
    const rec = await this.deps.store.subscriptions.update(boxId, id, u)
    if (rec === undefined) throw this.unknown(ctx, id)
    await this.deps.leases.subscriptionsChanged(boxId, id)
    return this.render(ctx, rec)
  }

  /** DELETE /subscriptions/{id} */
  async remove (ctx: FolderContext, id: string): Promise<void> {
    await this.require(ctx, id)
    if (!await this.deps.store.subscriptions.remove(ctx.box.boxId, id)) throw this.unknown(ctx, id)
    await this.deps.leases.subscriptionsChanged(ctx.box.boxId, id)
  }

  /** Removes the subscriptions whose duration ended (the expiry job); returns how many. */
  async expire (now = Date.now()): Promise<number> {
    const { store } = this.deps
    let removed = 0
    for (const { boxId, id } of await store.subscriptions.expired(now, 1000)) {
      const rec = await store.subscriptions.get(boxId, id)
      // Extended meanwhile: the index already has the new expiry.
      if (rec !== undefined && rec.expiresAt > now) continue
      await store.subscriptions.remove(boxId, id)
      removed++
      await this.tellOwner(boxId, id)
    }
    if (removed > 0) this.deps.logger.info({ removed }, 'expired subscriptions removed')
    return removed
  }

  /** Removes the subscriptions of the user's box that deliver to a channel that is gone. */
  async removeForChannel (userId: string, channelId: string): Promise<void> {
    const { store } = this.deps
    for (const s of await store.subscriptions.list(userId)) {
      if (this.deps.channels.of(s.notifyURL)?.id !== channelId) continue
      await store.subscriptions.remove(userId, s.id)
      await this.tellOwner(userId, s.id)
    }
  }

  /**
   * Tells the box's owner that a subscription went away; never rejects. The record is removed
   * already, so a failure (Redis unreachable) only delays the owner's stopping its delivery loop
   * until its next lease round: it is reported rather than failing the caller.
   */
  private async tellOwner (boxId: string, id: string): Promise<void> {
    await this.deps.leases.subscriptionsChanged(boxId, id)
      .catch(this.deps.errors.handler('subscription removal signal', { boxId, subscription: id }))
  }

  /** The resource representation (OMA NMS TS section 5.3.2.20): remaining duration, next index, current token. */
  render (ctx: FolderContext, s: SubscriptionRecord): NmsSubscription {
    return {
      callbackReference: {
        notifyURL: s.notifyURL,
        ...(s.callbackData === undefined ? {} : { callbackData: s.callbackData }),
        notificationFormat: 'JSON'
      },
      duration: Math.max(0, Math.ceil((s.expiresAt - Date.now()) / 1000)),
      ...(s.filter === undefined ? {} : { filter: s.filter }),
      ...(s.clientCorrelator === undefined ? {} : { clientCorrelator: s.clientCorrelator }),
      resourceURL: subscriptionUrl(ctx, s.id),
      index: s.nextIndex,
      restartToken: s.restartToken
    }
  }

  private async require (ctx: FolderContext, id: string): Promise<SubscriptionRecord> {
    const wellFormed = /^[A-Za-z0-9_-]{1,64}$/.test(id)
    const rec = wellFormed ? await this.deps.store.subscriptions.get(ctx.box.boxId, id) : undefined
    if (rec === undefined || rec.expiresAt <= Date.now()) throw this.unknown(ctx, id)
    return rec
  }

  private unknown (ctx: FolderContext, id: string): GatewayError {
    return notFound('Request-URI', [{ rel: 'NmsSubscription', href: subscriptionUrl(ctx, id) }])
  }

  /** Seconds granted for a requested duration (OMA NMS TS section 5.3.2.20: 0 or absent means the policy). */
  private grantedSeconds (requested: number | string | undefined): number {
    const { defaultDurationSeconds, maxDurationSeconds } = this.deps.config.subscriptions
    const n = wholeNumber(requested, 'duration')
    return Math.min(n === undefined || n === 0 ? defaultDurationSeconds : n, maxDurationSeconds)
  }

  private async checkNotifyUrl (ctx: FolderContext, url: string): Promise<string> {
    const trimmed = url.trim()
    if (trimmed.length === 0 || trimmed.length > MAX_URL_LENGTH) throw invalidInput('callbackReference.notifyURL')
    const channel = this.deps.channels.of(trimmed)
    if (channel !== undefined) {
      // A notification channel of this gateway (its callbackURL, OMA Notification Channel TS section 5.2.2.2):
      // delivered inside, never over HTTP.
      // It must be live and the box's own: a channel carries only its user's notifications.
      if (channel.userId !== ctx.box.boxId || await this.deps.channels.live(channel.userId, channel.id) === undefined) {
        throw new GatewayError('GW_ERR_INPUT_INVALID', {
          variables: ['callbackReference.notifyURL', 'no live notification channel of this box has this callbackURL']
        })
      }
      return trimmed
    }
    const verdict = await checkCallbackUrl(trimmed, { allowPrivate: this.deps.config.callbacks.allowPrivate })
    if (!verdict.ok) {
      throw new GatewayError('GW_ERR_INPUT_INVALID', { variables: ['callbackReference.notifyURL', verdict.reason], detail: verdict.reason })
    }
    return trimmed
  }

  private requireBackgroundLogin (): void {
    if (this.deps.config.imap.auth === 'oauthbearer') {
      throw new GatewayError('GW_ERR_FEATURE_UNAVAILABLE', {
        variables: ['subscriptions'],
        detail: 'watching a box needs the authzid or separator IMAP login mode'
      })
    }
  }
}
