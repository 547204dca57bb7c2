/**
 * Delivery to the callback (issue 5 "Done when", fourth and fifth points; architecture.md
 * section 6): a receiver answering 503 for a while gets every list in order with the same
 * index once it answers 204; a receiver answering 404 ends the subscription; callbacks to
 * private or link-local addresses are refused when private callbacks are not allowed.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { ImapFlow } from 'imapflow'
import type { TestEnv } from '../helpers/env.js'
import { deliveredLists } from '../helpers/webhook-sink.js'
import { message, type NotifyFixture, startNotifyFixture, subscribe } from './subscriptions-helpers.js'
import { startTestEnv } from '../helpers/env.js'
import { eventually } from '../helpers/eventually.js'

const BOX = 'tel:+15550001003'

describe('subscription delivery', () => {
  let fx: NotifyFixture
  let env: TestEnv
  let imap: ImapFlow

  before(async () => {
    fx = await startNotifyFixture(BOX)
    env = fx.env
    imap = fx.imap
  })
  after(async () => { await fx.close() })

  it('keeps lists queued through a run of 503s, then delivers each in order under the same index', async () => {
    const sink = await fx.sink()
    let down = true
    sink.respond = () => (down ? { status: 503, headers: { 'Retry-After': '1' } } : { status: 204 })
    const sub = await subscribe(env, BOX, sink.url)
    for (const [i, s] of ['r1', 'r2', 'r3'].entries()) {
      await imap.append('INBOX', message(s), [])
      // One change per list: wait until its sync has queued it (the receiver keeps refusing).
      await eventually(`the list of ${s} to be queued`, async () =>
        await env.gateway.store.subscriptions.outboxLength(BOX, sub.id) >= i + 1, { timeoutMs: 10_000 })
    }
    await sink.waitFor((r) => r.filter((x) => x.status === 503).length >= 3, 15000, 'three refused attempts')
    const refused = sink.received.filter((r) => r.status === 503)
    const firstIndex = (refused[0]?.json as { nmsEventList: { index: number } }).nmsEventList.index
    assert.ok(refused.every((r) => (r.json as { nmsEventList: { index: number } }).nmsEventList.index === firstIndex),
      'only the head of the outbox is retried: one list in flight')
    // Retry-After: 1 is honoured (and backoff applies): attempts are spread out.
    const gaps = refused.slice(1).map((r, i) => r.at - (refused[i] as { at: number }).at)
    assert.ok(gaps.every((g) => g >= 900), `gaps ${gaps.join(',')}`)
    down = false
    await sink.waitFor(() => deliveredLists(sink).flatMap((l) => l.nmsEvent).filter((e) => e.changedObject !== undefined).length >= 3, 20000, 'the queued lists')
    const lists = deliveredLists(sink)
    assert.equal(lists[0]?.index, firstIndex, 'the refused list is delivered under its own index')
    assert.deepEqual(lists.map((l) => l.index), lists.map((_, i) => i + 1))
    const ids = lists.flatMap((l) => l.nmsEvent.map((e) => e.changedObject?.correlationId))
    assert.deepEqual(ids, ['r1@test', 'r2@test', 'r3@test'])
  })

  it('ends the subscription when the receiver answers 404', async () => {
    const sink = await fx.sink()
    sink.respond = () => ({ status: 404 })
    const sub = await subscribe(env, BOX, sink.url)
    await imap.append('INBOX', message('gone'), [])
    await sink.waitFor((r) => r.length >= 1, 15000, 'one attempt')
    const res = await eventually('the subscription to end', async () => {
      const got = await env.gateway.app.inject({ method: 'GET', url: `${env.base(BOX)}/subscriptions/${sub.id}`, headers: await env.auth(BOX) })
      return got.statusCode === 404 && got
    }, { timeoutMs: 10_000, intervalMs: 100 })
    assert.equal(res.statusCode, 404)
    const body = JSON.parse(res.body) as { requestError: { serviceException: { messageId: string }, link: Array<{ rel: string }> } }
    assert.equal(body.requestError.serviceException.messageId, 'SVC0004')
    assert.equal(body.requestError.link[0]?.rel, 'NmsSubscription')
    // A witness subscribed to the same box gets the next change: by then the gone receiver
    // would have had it too, were it still sent to.
    const witness = await fx.sink()
    await subscribe(env, BOX, witness.url)
    await imap.append('INBOX', message('after-gone'), [])
    await witness.waitFor(() => deliveredLists(witness).some((l) => l.nmsEvent.some((e) => e.changedObject?.correlationId === 'aftergone@test')), 15000, 'the witness')
    assert.equal(sink.received.length, 1, 'nothing is sent to a receiver that is gone')
  })

  it('retries a receiver that keeps refusing (redirect), then ends the subscription', async () => {
    const target = await fx.sink()
    const sink = await fx.sink()
    sink.respond = () => ({ status: 302, headers: { Location: target.url } })
    const sub = await subscribe(env, BOX, sink.url)
    await imap.append('INBOX', message('redirected'), [])
    // refusedAttempts is 3 in this environment.
    await sink.waitFor((r) => r.length >= 3, 20000, 'three refused attempts')
    await eventually('the subscription ended (404)', async () =>
      (await env.gateway.app.inject({ method: 'GET', url: `${env.base(BOX)}/subscriptions/${sub.id}`, headers: await env.auth(BOX) })).statusCode === 404,
    { timeoutMs: 10000 })
    assert.equal(target.received.length, 0, 'redirects are never followed')
  })
})

describe('callback egress policy', () => {
  let env: TestEnv
  before(async () => { env = await startTestEnv({ boxes: [BOX] }) })
  after(async () => { await env.close() })

  for (const url of ['http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/notify', 'http://127.0.0.1:9/notify', 'http://[::1]/x', 'ftp://example.com/x']) {
    it(`refuses ${url} with 400 SVC0002 naming notifyURL`, async () => {
      const res = await env.gateway.app.inject({
        method: 'POST',
        url: `${env.base(BOX)}/subscriptions`,
        headers: { ...await env.auth(BOX), 'content-type': 'application/json' },
        payload: { nmsSubscription: { callbackReference: { notifyURL: url } } }
      })
      assert.equal(res.statusCode, 400, res.body)
      const e = (JSON.parse(res.body) as { requestError: { serviceException: { messageId: string, variables: string[] } } }).requestError.serviceException
      assert.equal(e.messageId, 'SVC0002')
      assert.equal(e.variables[0], 'callbackReference.notifyURL')
      assert.ok((e.variables[1] ?? '').length > 10, 'the reason is given')
    })
  }
})
