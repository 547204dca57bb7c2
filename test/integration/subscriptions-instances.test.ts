/**
 * Scale-out (architecture.md section 8): two gateway instances share one Redis. One watches the
 * box and delivers (its lease); a subscription created through the other is delivered by the
 * owner, each list exactly once; when the owner goes away the other takes the box over and the
 * indexes go on without a gap.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ImapFlow } from 'imapflow'
import pino from 'pino'
import { createGateway, type Gateway } from '../../src/gateway.js'
import type { TestEnv } from '../helpers/env.js'
import { deliveredLists, startWebhookSink, type WebhookSink } from '../helpers/webhook-sink.js'
import { assertContiguous, hasUid, message, startNotifyEnv, waitFedAndDelivered, waitForEvent } from './subscriptions-helpers.js'

const BOX = 'tel:+15550001011'

describe('subscriptions across two gateway instances', () => {
  let env: TestEnv
  let other: Gateway
  let imap: ImapFlow
  let sinkA: WebhookSink
  let sinkB: WebhookSink
  let otherClosed = false

  before(async () => {
    env = await startNotifyEnv({ boxes: [BOX], env: { NMS_LEASE_SECONDS: '3' } })
    other = await createGateway(env.makeConfig(), { logger: pino({ level: 'silent' }) })
    imap = await env.imap(BOX)
    sinkA = await startWebhookSink()
    sinkB = await startWebhookSink()
  })
  after(async () => {
    await imap.logout().catch(() => {})
    if (!otherClosed) await other.close()
    await env.close()
    await sinkA.close()
    await sinkB.close()
  })

  async function subscribeOn (gw: Gateway, notifyURL: string): Promise<void> {
    const res = await gw.app.inject({
      method: 'POST',
      url: `${env.base(BOX)}/subscriptions`,
      headers: { ...await env.auth(BOX), 'content-type': 'application/json' },
      payload: { nmsSubscription: { callbackReference: { notifyURL }, duration: 600 } }
    })
    assert.equal(res.statusCode, 201, res.body)
  }

  it('delivers each list once, whichever instance the subscription was created on', async () => {
    await subscribeOn(other, sinkA.url)
    await subscribeOn(env.gateway, sinkB.url)
    let lastUid = 0
    for (const s of ['two-1', 'two-2', 'two-3']) {
      const res = await imap.append('INBOX', message(s), [])
      assert.ok(res !== false && res.uid !== undefined)
      lastUid = res.uid
      await waitForEvent(sinkA, s, (e) => e.changedObject?.correlationId === `${s.replace('-', '')}@test`)
      await waitForEvent(sinkB, s, (e) => e.changedObject?.correlationId === `${s.replace('-', '')}@test`)
    }
    for (const sub of await env.gateway.store.subscriptions.list(BOX)) {
      await waitFedAndDelivered(env, BOX, sub.id, 'the three messages', hasUid('INBOX', lastUid))
    }
    // A sleep: what is asserted is that nothing more arrives. With both outboxes empty, a second
    // POST of a list (a loop on the other instance that read it before its removal) is in flight
    // and lands within a local round trip; 300 ms covers that on a loaded machine.
    await sleep(300)
    for (const sink of [sinkA, sinkB]) {
      const ids = deliveredLists(sink).flatMap((l) => l.nmsEvent.map((e) => e.changedObject?.correlationId))
      assert.deepEqual(ids, ['two1@test', 'two2@test', 'two3@test'], 'no list twice: one instance delivers')
      assertContiguous(sink)
    }
  })

  it('hands the box over when the owner stops, with no gap in the indexes', async () => {
    // The first subscription was created on `other`, which took the lease there and then.
    assert.ok(other.notifications.ownsBox(BOX))
    assert.ok(!env.gateway.notifications.ownsBox(BOX))
    await other.close()
    otherClosed = true
    await imap.append('INBOX', message('after-handover'), [])
    await waitForEvent(sinkA, 'after the handover', (e) => e.changedObject?.correlationId === 'afterhandover@test', 20000)
    await waitForEvent(sinkB, 'after the handover', (e) => e.changedObject?.correlationId === 'afterhandover@test', 20000)
    assert.ok(env.gateway.notifications.ownsBox(BOX))
    assertContiguous(sinkA)
    assertContiguous(sinkB)
  })
})
