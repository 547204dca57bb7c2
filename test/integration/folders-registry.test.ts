/**
 * The folder-id registry (src/store/folder-registry-store.ts): the Redis implementation, on a
 * real redis-server, and the in-process one behave the same, claims are atomic under
 * concurrency, and a removed id never comes back.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import { startRedis, type RedisServer } from '../../src/devenv/redis-server.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { RedisStore } from '../../src/store/redis-store.js'
import type { Store } from '../../src/store/store.js'
import type { FolderRecord } from '../../src/store/folder-registry-store.js'

const rec = (id: string, path: string, uidValidity = '1'): FolderRecord => ({ id, path, uidValidity, lastModSeq: 1, firstSeen: '2024-01-01T00:00:00Z' })

let redis: RedisServer
const stores: Store[] = []

before(async () => { redis = await startRedis() })
after(async () => {
  await Promise.all(stores.map(async (s) => { await s.close() }))
  await redis?.close()
})

for (const kind of ['redis', 'memory'] as const) {
  describe(`${kind} folder registry`, () => {
    let s: Store
    before(async () => {
      if (kind === 'memory') {
        s = new MemoryStore()
      } else {
        const r = new RedisStore(redis.url, `t${Date.now()}`, pino({ level: 'silent' }))
        await r.ready()
        s = r
      }
      stores.push(s)
    })

    it('claims once per (path, UIDVALIDITY) and returns the record that won', async () => {
      assert.equal((await s.folders.claim('b1', rec('a', 'Work'))).id, 'a')
      assert.equal((await s.folders.claim('b1', rec('z', 'Work'))).id, 'a')
      assert.equal((await s.folders.claim('b1', rec('n', 'Work', '2'))).id, 'n')
      assert.deepEqual((await s.folders.list('b1')).map((r) => r.id).sort(), ['a', 'n'])
    })

    it('agrees on one id when many claims race', async () => {
      const won = await Promise.all(Array.from({ length: 20 }, async (_, i) => await s.folders.claim('b2', rec(`id${i}`, 'Race'))))
      assert.equal(new Set(won.map((r) => r.id)).size, 1)
      assert.equal((await s.folders.list('b2')).length, 1)
    })

    it('updates a record in place and never brings a removed one back', async () => {
      await s.folders.claim('b3', rec('a', 'Work'))
      await s.folders.update('b3', { ...rec('a', 'Job'), lastModSeq: 9 })
      assert.deepEqual(await s.folders.list('b3'), [{ ...rec('a', 'Job'), lastModSeq: 9 }])
      await s.folders.remove('b3', ['a'])
      await s.folders.update('b3', rec('a', 'Again'))
      assert.deepEqual(await s.folders.list('b3'), [])
    })

    it('keeps attributes and Unicode paths intact', async () => {
      const r = { ...rec('u', 'Names/r\u00e9sum\u00e9 "x" \\ \ud83d\ude00'), attributes: [{ name: 'Conversation-ID', value: ['c1', 'c2'] }] }
      await s.folders.claim('b4', r)
      assert.deepEqual(await s.folders.list('b4'), [r])
      assert.equal((await s.folders.claim('b4', { ...r, id: 'other' })).id, 'u')
    })

    it('counts the box sequence from 1, per box', async () => {
      assert.deepEqual([await s.folders.nextSeq('b5'), await s.folders.nextSeq('b5'), await s.folders.nextSeq('b6')], [1, 2, 1])
    })
  })
}
