/**
 * Nothing is lost across restarts of IMAP and Redis (the standards' "Nothing is lost"): after a
 * Dovecot restart the watcher reconnects and later changes arrive; changes made while Redis is
 * down are delivered once it is back (the tracked state and the outboxes are in Redis, the
 * changes themselves in IMAP); and when Redis comes back empty, the client's last restartToken
 * is answered with a resetBox, never with silence.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { ImapFlow } from 'imapflow'
import { Redis } from 'ioredis'
import type { TestEnv } from '../helpers/env.js'
import { eventually } from '../helpers/eventually.js'
import { deliveredLists, startWebhookSink, type WebhookSink } from '../helpers/webhook-sink.js'
import { deliveredEvents, message, startNotifyEnv, subscribe, waitForEvent } from './subscriptions-helpers.js'

const BOX = 'tel:+15550001012'

describe('subscriptions across IMAP and Redis restarts', () => {
  let env: TestEnv
  let sink: WebhookSink
  let imap: ImapFlow | undefined

  before(async () => {
    env = await startNotifyEnv({ boxes: [BOX], persistentRedis: true, env: { NMS_WATCH_SWEEP_SECONDS: '1' } })
    sink = await startWebhookSink()
    await subscribe(env, BOX, sink.url)
  })
  after(async () => {
    await imap?.logout().catch(() => {})
    await env.close()
    await sink.close()
  })

  /** Failed syncs of the box so far (the watcher reports each one; the next sweep retries). */
  const syncFailures = (): number => env.gateway.notifications.errors.totals().get('box sync') ?? 0

  async function append (subject: string, folder = 'INBOX'): Promise<void> {
    imap ??= await env.imap(BOX)
    await imap.append(folder, message(subject), [])
  }

  it('keeps notifying after Dovecot restarts', async () => {
    await append('pre-imap')
    await waitForEvent(sink, 'before the restart', (e) => e.changedObject?.correlationId === 'preimap@test')
    await imap?.logout().catch(() => {})
    imap = undefined
    const failedBefore = syncFailures()
    await env.dovecot.stop()
    // Dovecot comes back only once the gateway has felt the outage: a sync (the 1 s sweep) failed.
    await eventually('a sync failing while Dovecot is down', () => syncFailures() > failedBefore)
    await env.dovecot.start()
    await append('post-imap')
    await waitForEvent(sink, 'after the restart', (e) => e.changedObject?.correlationId === 'postimap@test', 30000)
  })

  it('delivers what changed while Redis was down, in order, with no gap', async () => {
    const before = deliveredLists(sink).length
    await env.redis?.stop()
    for (const s of ['redis-down-1', 'redis-down-2']) await append(s)
    // Syncs fail while Redis is away (nothing can be committed); the IMAP changes wait in IMAP.
    // Syncs of a box run one after another, so the second failure from here belongs to a sync
    // that started after the appends.
    const failedBefore = syncFailures()
    await eventually('a sync after the appends failing', () => syncFailures() >= failedBefore + 2)
    assert.equal(deliveredLists(sink).length, before, 'nothing is sent without the outbox')
    await env.redis?.start()
    await sink.waitFor(() => ['redisdown1@test', 'redisdown2@test'].every((id) =>
      deliveredEvents(sink).some((d) => d.event.changedObject?.correlationId === id)), 30000, 'the changes made while Redis was down')
    const indexes = [...new Set(deliveredLists(sink).map((l) => l.index))]
    assert.deepEqual(indexes, indexes.map((_, i) => i + 1))
  })

  it('answers the last token with a resetBox when Redis comes back empty', async () => {
    const last = deliveredLists(sink).at(-1)?.restartToken
    assert.ok(last !== undefined)
    // Redis loses everything (a server without persistence restarted). The token key is kept
    // as an operator keeps it with NMS_TOKEN_SECRET: a token must not fail for its signature.
    const secret = await env.gateway.store.sharedSecret()
    const raw = new Redis(env.redis?.url ?? '')
    try {
      await raw.flushall()
      await raw.set('nms:gw:secret', secret.toString('base64'))
    } finally {
      raw.disconnect()
    }
    const fresh = await startWebhookSink()
    try {
      await subscribe(env, BOX, fresh.url, { restartToken: last })
      const first = await waitForEvent(fresh, 'resetBox', (e) => e.resetBox !== undefined)
      assert.equal(first.index, 1, 'the box epoch is new: the token cannot be replayed')
      await append('after-wipe')
      await waitForEvent(fresh, 'a change after the wipe', (e) => e.changedObject?.correlationId === 'afterwipe@test')
    } finally {
      await fresh.close()
    }
  })
})
