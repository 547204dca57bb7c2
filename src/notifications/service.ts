/**
 * The notification subsystem of one gateway instance (architecture.md sections 4, 6, 8), built
 * by the composition root: tracker, feeder, per-box syncer, subscriptions, the lease-holding
 * watch manager with its watchers and deliveries, and the periodic jobs (the sweep of watched
 * boxes, lease upkeep, subscription and channel expiry), and the notification channels.
 */
import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import type { ImapPort } from '../imap/types.js'
import { startJobs, type Jobs } from '../jobs/scheduler.js'
import type { Store } from '../store/store.js'
import { BoxTracker } from '../sync/tracker.js'
import { BoxSyncer } from './box-syncer.js'
import { ChannelService } from './channels.js'
import { CallbackClient } from './deliver.js'
import { Feeder } from './feeder.js'
import { SubscriptionService } from './subscriptions.js'
import { WatchManager } from './watch-manager.js'

export interface NotificationDeps {
  config: Readonly<Config>
  imap: ImapPort
  store: Store
  logger: Logger
}

export interface Notifications {
  readonly subscriptions: SubscriptionService
  readonly channels: ChannelService
  readonly tracker: BoxTracker
  readonly syncer: BoxSyncer
  /** The gateway changed the box (an API request): notify soon. */
  changed(boxId: string): void
  /** True while this instance watches the box (holds its lease). */
  ownsBox(boxId: string): boolean
  /** Starts watching the boxes that have subscriptions, and the periodic jobs. */
  start(): Promise<void>
  close(): Promise<void>
  /** The jobs' bodies, for tests. */
  sweep(): void
  keepLeases(): Promise<void>
  expireSubscriptions(now?: number): Promise<number>
  expireChannels(now?: number): Promise<number>
}

export function createNotifications (deps: NotificationDeps): Notifications {
  const { config, imap, store } = deps
  const logger = deps.logger.child({ component: 'notifications' })
  const owner = `${process.pid}-${randomBytes(6).toString('hex')}`
  const tracker = new BoxTracker({ config, imap, store, logger })
  // The feeder tells the watch manager, which is built after it (it needs the syncer).
  const onQueued = { fn: (_boxId: string, _id: string): void => {} }
  const feeder = new Feeder({ config, store, tracker, logger, onQueued: (boxId, id) => { onQueued.fn(boxId, id) } })
  const syncer = new BoxSyncer({ tracker, feeder, coordination: store.coordination, owner, logger })
  const client = new CallbackClient({
    allowPrivate: config.callbacks.allowPrivate,
    attemptTimeoutMs: config.notifications.attemptTimeoutSeconds * 1000,
    userAgent: 'nms-imap-gateway'
  })
  // Late-bound: the channel service needs the watch manager to end a gone channel's subscriptions.
  const gone = { fn: async (_userId: string, _id: string): Promise<void> => {} }
  const channels = new ChannelService({
    config,
    store,
    coordination: store.coordination,
    logger,
    onChannelGone: async (userId, id) => { await gone.fn(userId, id) }
  })
  const channelOf = (url: string): { userId: string, id: string } | undefined => channels.of(url)
  const watchManager = new WatchManager({
    config,
    store,
    coordination: store.coordination,
    owner,
    logger,
    watcher: {
      imap,
      store,
      syncer,
      delivery: {
        config,
        store,
        client,
        logger,
        channelOf,
        channelQueued: async (userId, id) => { await channels.queued(userId, id) }
      },
      coalesceMs: config.tracking.coalesceMs,
      logger
    }
  })
  onQueued.fn = (boxId, id) => { watchManager.queued(boxId, id) }
  gone.fn = async (userId, channelId) => {
    // A channel's subscriptions are those of its user's box that name its callbackURL.
    for (const s of await store.subscriptions.list(userId)) {
      if (channelOf(s.notifyURL)?.id !== channelId) continue
      await store.subscriptions.remove(userId, s.id)
      await watchManager.subscriptionsChanged(userId, s.id).catch(() => {})
    }
  }
  const subscriptions = new SubscriptionService({
    config,
    store,
    tracker,
    syncer,
    channels,
    changed: async (boxId, id) => { await watchManager.subscriptionsChanged(boxId, id) }
  })
  let jobs: Jobs | undefined

  async function expireSubscriptions (now = Date.now()): Promise<number> {
    let removed = 0
    for (const { boxId, id } of await store.subscriptions.expired(now, 1000)) {
      const rec = await store.subscriptions.get(boxId, id)
      // Extended meanwhile: the index already has the new expiry.
      if (rec !== undefined && rec.expiresAt > now) continue
      await store.subscriptions.remove(boxId, id)
      removed++
      await watchManager.subscriptionsChanged(boxId, id).catch(() => {})
    }
    if (removed > 0) logger.info({ removed }, 'expired subscriptions removed')
    return removed
  }

  return {
    subscriptions,
    channels,
    tracker,
    syncer,
    changed (boxId) { watchManager.poke(boxId) },
    ownsBox (boxId) { return watchManager.owns(boxId) },
    async start () {
      await channels.start()
      await watchManager.start()
      jobs = startJobs([
        { name: 'watch-sweep', everySeconds: config.watch.sweepSeconds, run: async () => { watchManager.sweep() } },
        { name: 'leases', everySeconds: Math.max(1, Math.floor(config.lease.seconds / 3)), run: async () => { await watchManager.keepLeases() } },
        { name: 'subscription-expiry', everySeconds: config.subscriptions.expirySweepSeconds, run: async () => { await expireSubscriptions() } },
        { name: 'channel-expiry', everySeconds: config.notificationChannel.expirySweepSeconds, run: async () => { await channels.expire() } }
      ], logger)
    },
    async close () {
      await jobs?.stop()
      await channels.close()
      await watchManager.close()
      await syncer.close()
      await client.close()
    },
    sweep () { watchManager.sweep() },
    async keepLeases () { await watchManager.keepLeases() },
    expireSubscriptions,
    async expireChannels (now) { return await channels.expire(now) }
  }
}
