/**
 * Regressions of the store implementations, run against both (found by the contract tests):
 * the Redis correlator lookup matched an empty key tail in Lua 5.1, an update racing a delete
 * left an expiry-index entry, and a trim ordered by commit time (instances' clocks may disagree)
 * dropped a position still inside the retention window.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import pino from 'pino'
import { startRedis, type RedisServer } from '../../src/devenv/redis-server.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { RedisStore } from '../../src/store/redis-store.js'
import type { Store } from '../../src/store/store.js'
import type { SubscriptionRecord } from '../../src/store/subscription-store.js'

const rec = (boxId: string, id: string, over: Partial<SubscriptionRecord> = {}): SubscriptionRecord => ({
  id,
  boxId,
  notifyURL: 'https://c.example/cb',
  createdAt: 1,
  createdSeq: 0,
  expiresAt: 2_000_000_000_000,
  position: 0,
  pendingReset: false,
  nextIndex: 1,
  restartToken: 't',
  generation: 0,
  ...over
})

let server: RedisServer
const stores: Store[] = []
before(async () => { server = await startRedis() })
after(async () => {
  for (const s of stores) await s.close()
  await server.close()
})
const impls: Array<[string, () => Promise<Store>]> = [
  ['memory', async () => new MemoryStore()],
  ['redis', async () => {
    const s = new RedisStore(server.url, `bug-${randomBytes(4).toString('hex')}`, pino({ level: 'silent' }))
    stores.push(s)
    await s.ready()
    return s
  }]
]
for (const [name, open] of impls) {
  describe(name, () => {
    it('a second create with a live clientCorrelator returns the holder, not a second subscription', async () => {
      const s = await open()
      assert.equal((await s.subscriptions.create(rec('tel:+1', 's1', { clientCorrelator: 'corr' }))).created, true)
      const again = await s.subscriptions.create(rec('tel:+1', 's2', { clientCorrelator: 'corr' }))
      assert.deepEqual({ created: again.created, id: again.record.id }, { created: false, id: 's1' })
      assert.deepEqual((await s.subscriptions.list('tel:+1')).map((r) => r.id), ['s1'])
    })
    it('an update of a missing subscription leaves no expiry-index entry behind', async () => {
      const s = await open()
      assert.equal(await s.subscriptions.update('tel:+2', 'gone', { expiresAt: 5000 }), undefined)
      assert.deepEqual(await s.subscriptions.watchedBoxes(), [])
      assert.deepEqual(await s.subscriptions.expired(6000, 10), [])
    })
    it('trim keeps a token whose successor is inside the window, even when commit times are out of seq order', async () => {
      const s = await open()
      const box = 'tel:+3'
      const base = { epoch: '0011223344556677', upserts: [], removed: [], snapshots: new Map(), tombstones: [], reset: false }
      const s1 = await s.tracker.commit(box, { ...base, expectedSeq: 0, at: 100, fullSnapshot: true, upserts: [{ id: 'a', path: 'a', uidValidity: '1', highestModseq: '1', uidNext: 1, messages: 0, lastModSeq: 1 }] })
      const s2 = await s.tracker.commit(box, { ...base, expectedSeq: s1 as number, at: 500, fullSnapshot: false })
      await s.tracker.commit(box, { ...base, expectedSeq: s2 as number, at: 400, fullSnapshot: false })
      // s1's successor (s2) was committed at 500 >= 300: a token at s1 must stay replayable.
      await s.tracker.trim(box, 300, 1000)
      assert.equal((await s.tracker.head(box))?.floor, s1)
      assert.notEqual(await s.tracker.vectorAt(box, s1 as number), undefined)
    })
  })
}
