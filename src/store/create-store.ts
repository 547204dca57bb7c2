/** Chooses the store: Redis when `NMS_REDIS_URL` is set, else the in-process one (with a warning). */
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import { MemoryStore } from './memory-store.js'
import { RedisStore } from './redis-store.js'
import type { Store } from './store.js'

export async function createStore (config: Readonly<Config>, logger: Logger): Promise<Store> {
  if (config.redis.url === undefined) {
    logger.warn('NMS_REDIS_URL is unset: using the in-process store; restart tokens, subscriptions and folder ids do not survive a restart and only one instance may run')
    return new MemoryStore(logger)
  }
  const store = new RedisStore(config.redis.url, config.redis.keyPrefix, logger)
  try {
    await store.ready()
  } catch (err) {
    logger.warn({ err }, 'Redis is not reachable yet; requests answer 503 until it is')
  }
  return store
}
