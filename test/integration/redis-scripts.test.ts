/**
 * The store's Lua scripts on a real Redis: they run by SHA (EVALSHA), the source goes over a
 * connection once, and a flushed script cache (SCRIPT FLUSH, a restart, a failover) is handled
 * without the caller noticing the NOSCRIPT reply.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Redis } from 'ioredis'
import pino from 'pino'
import { startRedis, type RedisServer } from '../../src/devenv/redis-server.js'
import { Keys } from '../../src/store/keys.js'
import { RedisStore } from '../../src/store/redis-store.js'

/** Calls per command from INFO commandstats (`cmdstat_evalsha:calls=3,...`). */
async function calls (raw: Redis): Promise<Record<string, number>> {
  const info = await raw.info('commandstats')
  return Object.fromEntries([...info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].map((m) => [m[1], Number(m[2])]))
}

describe('Redis store scripts', () => {
  let server: RedisServer
  let raw: Redis
  let store: RedisStore
  before(async () => {
    server = await startRedis()
    raw = new Redis(server.url, { maxRetriesPerRequest: 1 })
    store = new RedisStore(server.url, 'scripts', pino({ level: 'silent' }))
    await store.ready()
  })
  after(async () => {
    await store.close()
    raw.disconnect()
    await server.close()
  })

  it('runs a script by SHA after sending its source once per connection', async () => {
    await raw.config('RESETSTAT')
    for (let i = 0; i < 5; i++) assert.equal(await store.coordination.acquire('job', 'me', 10_000), true)
    const n = await calls(raw)
    assert.equal(n.eval ?? 0, 1, 'the source once, when the connection first runs the script')
    assert.equal(n.evalsha ?? 0, 4)
  })

  it('answers as before when Redis has forgotten the script (NOSCRIPT)', async () => {
    assert.equal(await store.coordination.acquire('lease', 'me', 10_000), true)
    await raw.script('FLUSH')
    assert.equal(await store.coordination.renew('lease', 'me', 10_000), true)
    assert.equal(await store.coordination.acquire('lease', 'you', 10_000), false)
    await raw.script('FLUSH')
    await store.coordination.release('lease', 'me')
    assert.equal(await raw.exists(new Keys('scripts').lease('lease')), 0)
  })
})
