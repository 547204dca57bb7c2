/**
 * The Redis-backed store shared by every gateway instance (architecture.md sections 1 and 8).
 * ioredis with an explicit retry strategy and no keyPrefix (style-and-layout.md rule 27);
 * commands fail fast while Redis is down so requests answer 503 instead of hanging.
 */
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import { jitteredBackoffMs, type BackoffPolicy } from '../shared/backoff.js'
import { guarded, storeUnavailable } from './redis-guard.js'
import { Keys } from './keys.js'
import { registerScripts, type ScriptedRedis } from './redis-scripts.js'
import type { Store } from './store.js'
import type { FolderRecord, FolderRegistryStore } from './folder-registry-store.js'
import type { ChannelStore } from './channel-store.js'
import { RedisChannelStore } from './redis-channel-store.js'
import { RedisCoordination } from './redis-coordination.js'
import { RedisSubscriptionStore } from './redis-subscription-store.js'
import { RedisTrackerStore } from './redis-tracker-store.js'
import type { SubscriptionStore } from './subscription-store.js'
import type { TrackerStore } from './tracker-store.js'

/** Reconnect delays (ioredis `retryStrategy`, `times` counts from 1): 400 ms first, at most 5 s. */
const REDIS_RECONNECT: BackoffPolicy = { initialMs: 400, maxMs: 5000 }

class RedisFolderRegistry implements FolderRegistryStore {
  constructor (private readonly redis: ScriptedRedis, private readonly keys: Keys) {}

  async list (boxId: string): Promise<FolderRecord[]> {
    const values = await guarded(async () => await this.redis.hvals(this.keys.folderRecords(boxId)))
    return values.map((v) => JSON.parse(v) as FolderRecord)
  }

  async claim (boxId: string, rec: FolderRecord): Promise<FolderRecord> {
    const json = JSON.stringify(rec)
    const key = this.keys.folderRecords(boxId)
    // The record stored for the same path and UIDVALIDITY wins, so instances agree on one id.
    const out = await guarded(async () =>
      await this.redis.claimFolderRecord(key, json, rec.id, rec.path, rec.uidValidity))
    return JSON.parse(out) as FolderRecord
  }

  async update (boxId: string, rec: FolderRecord): Promise<void> {
    const key = this.keys.folderRecords(boxId)
    // Only while the record exists: an update racing a removal cannot bring a deleted folder's id back.
    await guarded(async () => await this.redis.updateFolderRecord(key, rec.id, JSON.stringify(rec)))
  }

  async remove (boxId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    await guarded(async () => await this.redis.hdel(this.keys.folderRecords(boxId), ...ids))
  }

  async nextSeq (boxId: string): Promise<number> {
    return await guarded(async () => await this.redis.incr(this.keys.boxSeq(boxId)))
  }
}

export class RedisStore implements Store {
  readonly kind = 'redis' as const
  readonly folders: FolderRegistryStore
  readonly tracker: TrackerStore
  readonly subscriptions: SubscriptionStore
  readonly channels: ChannelStore
  readonly coordination: RedisCoordination
  private readonly redis: ScriptedRedis
  private readonly keys: Keys
  private secret: Buffer | undefined

  constructor (url: string, keyPrefix: string, logger: Logger) {
    this.redis = registerScripts(new Redis(url, {
      lazyConnect: false,
      // Fail commands at once while disconnected; callers answer 503 with Retry-After.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5000,
      retryStrategy: (times) => jitteredBackoffMs(times, REDIS_RECONNECT)
    }))
    this.redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'))
    this.keys = new Keys(keyPrefix)
    this.folders = new RedisFolderRegistry(this.redis, this.keys)
    this.tracker = new RedisTrackerStore(this.redis, this.keys)
    this.subscriptions = new RedisSubscriptionStore(this.redis, this.keys)
    this.channels = new RedisChannelStore(this.redis, this.keys)
    this.coordination = new RedisCoordination(this.redis, this.keys, logger)
  }

  /** Waits for the first connection (startup), so the first requests do not fail needlessly. */
  async ready (timeoutMs = 5000): Promise<void> {
    if (this.redis.status === 'ready') return
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => { cleanup(); reject(storeUnavailable(new Error('Redis not ready'))) }, timeoutMs)
      const onReady = (): void => { cleanup(); resolve() }
      const cleanup = (): void => { clearTimeout(t); this.redis.off('ready', onReady) }
      this.redis.on('ready', onReady)
    })
  }

  async ping (): Promise<void> {
    await guarded(async () => await this.redis.ping())
  }

  async sharedSecret (): Promise<Buffer> {
    if (this.secret !== undefined) return this.secret
    const key = this.keys.secret()
    const candidate = randomBytes(32).toString('base64')
    const stored = await guarded(async () => {
      await this.redis.set(key, candidate, 'NX')
      return await this.redis.get(key)
    })
    if (stored === null) throw storeUnavailable(new Error('secret missing after SET NX'))
    this.secret = Buffer.from(stored, 'base64')
    return this.secret
  }

  async close (): Promise<void> {
    this.coordination.close()
    this.redis.disconnect()
  }
}
