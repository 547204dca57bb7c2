/**
 * Coordination on Redis: a lease is `SET key owner NX PX ttl`, renewed and released only by its
 * owner (compare-and-set scripts, the single-instance pattern of the Redis documentation's
 * "Distributed Locks with Redis"); the bus is one pub/sub channel, read on a dedicated
 * subscriber connection (a connection in subscriber mode can run nothing else).
 */
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { BusMessage, Coordination } from './coordination.js'
import type { Keys } from './keys.js'
import { guarded } from './redis-guard.js'
import type { ScriptedRedis } from './redis-scripts.js'

function isBusMessage (v: unknown): v is BusMessage {
  return typeof v === 'object' && v !== null && typeof (v as BusMessage).kind === 'string' && typeof (v as BusMessage).boxId === 'string'
}

export class RedisCoordination implements Coordination {
  private subscriber: Redis | undefined
  private readonly handlers = new Set<(msg: BusMessage) => void>()

  constructor (private readonly redis: ScriptedRedis, private readonly keys: Keys, private readonly logger: Logger) {}

  async acquire (name: string, owner: string, ttlMs: number): Promise<boolean> {
    const key = this.keys.lease(name)
    // Takes a free lease or extends our own.
    const ok = await guarded(async () => await this.redis.acquireLease(key, owner, String(ttlMs)))
    return ok === 1
  }

  async renew (name: string, owner: string, ttlMs: number): Promise<boolean> {
    const key = this.keys.lease(name)
    const ok = await guarded(async () => await this.redis.renewLease(key, owner, String(ttlMs)))
    return ok === 1
  }

  async release (name: string, owner: string): Promise<void> {
    await guarded(async () => await this.redis.releaseLease(this.keys.lease(name), owner))
  }

  async publish (msg: BusMessage): Promise<void> {
    await guarded(async () => await this.redis.publish(this.keys.bus(), JSON.stringify(msg)))
  }

  async subscribe (handler: (msg: BusMessage) => void): Promise<() => Promise<void>> {
    this.handlers.add(handler)
    if (this.subscriber === undefined) {
      // Queued commands are fine here: SUBSCRIBE waits for the connection, and ioredis
      // subscribes again by itself after a reconnect.
      const sub = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null })
      this.subscriber = sub
      sub.on('error', (err: Error) => { this.logger.warn({ err: err.message }, 'redis subscriber connection error') })
      sub.on('message', (_channel: string, text: string) => {
        let msg: unknown
        try {
          msg = JSON.parse(text)
        } catch {
          return
        }
        if (!isBusMessage(msg)) return
        for (const h of this.handlers) {
          try {
            h(msg)
          } catch (err) {
            this.logger.error({ err }, 'bus handler failed')
          }
        }
      })
      // Not awaited: while Redis is down the subscription waits for it without holding up startup.
      sub.subscribe(this.keys.bus()).catch((err: unknown) => { this.logger.warn({ err }, 'redis SUBSCRIBE failed') })
    }
    return async () => { this.handlers.delete(handler) }
  }

  /** Closes the subscriber connection. */
  close (): void {
    this.subscriber?.disconnect()
    this.subscriber = undefined
  }
}
