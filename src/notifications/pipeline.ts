/**
 * The notification pipeline of one gateway instance (docs/notification-pipeline.md), built by the
 * composition root. Data flows one way through named stages, each built before the stage that
 * feeds it, so no stage holds a reference back up the pipeline:
 *
 *   watch (BoxLeases, BoxWatcher) -> sync (BoxTracker) -> plan + feed (BoxSyncer, OutboxWriter)
 *     -> outbox (Redis) -> dispatch (OutboxDispatcher: CallbackClient | channel queue)
 *
 * Subscriptions and notification channels are the API side: they create what the pipeline
 * serves and tell the watch stage when a box's subscriptions change. The periodic jobs (the
 * sweep of watched boxes, lease upkeep, subscription and channel expiry) are plain calls into
 * the stages.
 */
import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import type { ImapPort } from '../imap/types.js'
import { startJobs, type Job, type Jobs } from '../jobs/scheduler.js'
import { BackgroundErrors } from '../logging/background-errors.js'
import type { Store } from '../store/store.js'
import { BoxTracker } from '../sync/tracker.js'
import { ChannelDirectory } from './channels/channel-directory.js'
import { ChannelService } from './channels/channel-service.js'
import { ChannelWakeups } from './channels/channel-wakeups.js'
import { CallbackClient } from './dispatch/callback-client.js'
import { OutboxDispatcher } from './dispatch/outbox-dispatcher.js'
import { BoxSyncer } from './feed/box-syncer.js'
import { OutboxWriter } from './feed/outbox-writer.js'
import { SubscriptionService } from './subscriptions/subscription-service.js'
import { BoxLeases } from './watch/box-leases.js'

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
  /** Failures of background work, logged and counted (exported on /metrics). */
  readonly errors: BackgroundErrors
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

/** Every stage of one instance, built in data-flow order. */
interface Stages {
  logger: Logger
  errors: BackgroundErrors
  client: CallbackClient
  wakeups: ChannelWakeups
  dispatcher: OutboxDispatcher
  tracker: BoxTracker
  syncer: BoxSyncer
  leases: BoxLeases
  subscriptions: SubscriptionService
  channels: ChannelService
}

export function createNotifications (deps: NotificationDeps): Notifications {
  const { config } = deps
  const stages = buildStages(deps)
  const { errors, client, wakeups, dispatcher, tracker, syncer, leases, subscriptions, channels } = stages
  let jobs: Jobs | undefined

  return {
    subscriptions,
    channels,
    tracker,
    syncer,
    errors,
    changed (boxId) { leases.poke(boxId) },
    ownsBox (boxId) { return leases.owns(boxId) },
    async start () {
      await wakeups.start()
      await dispatcher.start()
      await leases.start()
      jobs = startJobs(periodicJobs(config, leases, subscriptions, channels), errors)
    },
    async close () {
      await jobs?.stop()
      // Held polls answer at once; then watchers and loops stop before IMAP and Redis close.
      channels.close()
      await wakeups.close()
      await leases.close()
      await dispatcher.close()
      await syncer.close()
      await client.close()
    },
    sweep () { leases.sweep() },
    async keepLeases () { await leases.keepLeases() },
    async expireSubscriptions (now) { return await subscriptions.expire(now) },
    async expireChannels (now) { return await channels.expire(now) }
  }
}

function buildStages (deps: NotificationDeps): Stages {
  const { config, imap, store } = deps
  const { coordination } = store
  const logger = deps.logger.child({ component: 'notifications' })
  const errors = new BackgroundErrors(logger)
  const owner = `${process.pid}-${randomBytes(6).toString('hex')}`

  // Dispatch: delivery loops, posting to callbacks or moving lists into channel queues.
  const client = new CallbackClient({
    allowPrivate: config.callbacks.allowPrivate,
    attemptTimeoutMs: config.notifications.attemptTimeoutSeconds * 1000,
    userAgent: 'nms-imap-gateway'
  })
  const directory = new ChannelDirectory({ config, store })
  const wakeups = new ChannelWakeups({ coordination, errors })
  const dispatcher = new OutboxDispatcher({
    store,
    coordination,
    errors,
    logger,
    loop: {
      config,
      store,
      client,
      errors,
      logger,
      channels: { of: (url) => directory.of(url), queued: async (userId, id) => { await wakeups.wake(userId, id) } }
    }
  })
  // Sync, plan and feed: IMAP changes become lists in the outboxes, signalled to dispatch.
  const tracker = new BoxTracker({ config, imap, store, logger })
  const writer = new OutboxWriter({ config, store, tracker, dispatch: dispatcher, logger })
  const syncer = new BoxSyncer({ tracker, writer, coordination, owner, errors, logger })
  // Watch: the boxes this instance holds, each with its IMAP watch connection and its loops.
  const leases = new BoxLeases({
    config,
    store,
    coordination,
    owner,
    dispatcher,
    errors,
    logger,
    watcher: { imap, syncer, coalesceMs: config.tracking.coalesceMs, errors, logger }
  })
  // The API side.
  const subscriptions = new SubscriptionService({
    config, store, tracker, syncer, leases, channels: directory, errors, logger
  })
  const channels = new ChannelService({
    config,
    store,
    directory,
    wakeups,
    logger,
    endSubscriptions: async (userId, channelId) => { await subscriptions.removeForChannel(userId, channelId) }
  })
  return { logger, errors, client, wakeups, dispatcher, tracker, syncer, leases, subscriptions, channels }
}

/** The periodic jobs: plain calls into the stages, which tests make directly. */
function periodicJobs (
  config: Readonly<Config>, leases: BoxLeases, subscriptions: SubscriptionService, channels: ChannelService
): Job[] {
  return [
    { name: 'watch-sweep', everySeconds: config.watch.sweepSeconds, run: async () => { leases.sweep() } },
    // Renewed a few times per lease period, so one slow round does not lose a lease.
    { name: 'leases', everySeconds: Math.max(1, Math.floor(config.lease.seconds / 3)), run: async () => { await leases.keepLeases() } },
    { name: 'subscription-expiry', everySeconds: config.subscriptions.expirySweepSeconds, run: async () => { await subscriptions.expire() } },
    { name: 'channel-expiry', everySeconds: config.notificationChannel.expirySweepSeconds, run: async () => { await channels.expire() } }
  ]
}
