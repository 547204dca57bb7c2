/**
 * The subscription resources (nms-spec-digest.md R17, R18, 2.13, 2.14, 5.2; client profile
 * checks 29-31, 39): listing, reading, idempotent creation by clientCorrelator, update
 * (extension and rewind, the index never reset), deletion, expiry, and the refusals.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ImapFlow } from 'imapflow'
import type { TestEnv } from '../helpers/env.js'
import { deliveredLists, startWebhookSink, type WebhookSink } from '../helpers/webhook-sink.js'
import { deliveredEvents, message, startNotifyEnv, subscribe, waitForEvent } from './subscriptions-helpers.js'

const BOX = 'tel:+15550001006'
const STRANGER = 'tel:+15550001007'

interface SubBody { nmsSubscription: Record<string, unknown> }
interface ErrBody { requestError: { serviceException?: { messageId: string, variables?: string[] }, policyException?: { messageId: string } } }

describe('subscription resources', () => {
  let env: TestEnv
  let imap: ImapFlow
  let sink: WebhookSink

  before(async () => {
    env = await startNotifyEnv({ boxes: [BOX, STRANGER] })
    imap = await env.imap(BOX)
    sink = await startWebhookSink()
  })
  after(async () => {
    await imap.logout().catch(() => {})
    await env.close()
    await sink.close()
  })

  async function call (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: unknown, claims?: Record<string, unknown>, box = BOX) {
    return await env.gateway.app.inject({
      method,
      url: `${env.base(box)}${path}`,
      headers: { ...await env.auth(box, claims), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> })
    })
  }

  it('lists the box\'s live subscriptions with the collection URL', async () => {
    const a = await subscribe(env, BOX, sink.url)
    const res = await call('GET', '/subscriptions')
    assert.equal(res.statusCode, 200)
    const list = (JSON.parse(res.body) as { nmsSubscriptionList: { subscription: Array<{ resourceURL: string }>, resourceURL: string } }).nmsSubscriptionList
    assert.equal(list.resourceURL, `https://nms.test.example${env.base(BOX)}/subscriptions`)
    assert.ok(list.subscription.some((s) => s.resourceURL === a.url))
    const stranger = await call('GET', '/subscriptions', undefined, undefined, STRANGER)
    assert.deepEqual((JSON.parse(stranger.body) as { nmsSubscriptionList: { subscription: unknown[] } }).nmsSubscriptionList.subscription, [])
  })

  it('creates once per clientCorrelator; an empty correlator is none', async () => {
    const first = await subscribe(env, BOX, sink.url, { clientCorrelator: 'dev-1-sub' })
    const again = await subscribe(env, BOX, sink.url, { clientCorrelator: 'dev-1-sub' })
    assert.equal(again.url, first.url)
    assert.equal(again.body.clientCorrelator, 'dev-1-sub')
    const e1 = await subscribe(env, BOX, sink.url, { clientCorrelator: '' })
    const e2 = await subscribe(env, BOX, sink.url, { clientCorrelator: '' })
    assert.notEqual(e1.url, e2.url)
    assert.equal(e1.body.clientCorrelator, undefined)
  })

  it('decodes JSON unicode escapes in notifyURL and restartToken (the deployed client HTML-escapes)', async () => {
    const raw = `{"nmsSubscription":{"callbackReference":{"notifyURL":"${sink.url.replace('/notify', '/notify?a\\u003d1\\u0026b\\u003d2')}"},"duration":60}}`
    const res = await env.gateway.app.inject({ method: 'POST', url: `${env.base(BOX)}/subscriptions`, headers: { ...await env.auth(BOX), 'content-type': 'application/json' }, payload: raw })
    assert.equal(res.statusCode, 201, res.body)
    const cb = (JSON.parse(res.body) as SubBody).nmsSubscription.callbackReference as { notifyURL: string }
    assert.equal(cb.notifyURL, `${sink.url}?a=1&b=2`)
  })

  it('grants the default for 0, caps long durations, and reports the remaining seconds', async () => {
    const zero = await subscribe(env, BOX, sink.url, { duration: 0 })
    assert.ok(Number(zero.body.duration) > 86390 && Number(zero.body.duration) <= 86400)
    const huge = await subscribe(env, BOX, sink.url, { duration: '999999999' })
    assert.ok(Number(huge.body.duration) <= 2592000)
  })

  it('extends and rewinds with nmsSubscriptionUpdate: the index is kept, the changes since the token come again', async () => {
    const s = await startWebhookSink()
    try {
      const sub = await subscribe(env, BOX, s.url, { duration: 120 })
      await imap.append('INBOX', message('rewind-1'), [])
      await waitForEvent(s, 'first change', (e) => e.changedObject?.correlationId === 'rewind1@test')
      await imap.append('INBOX', message('rewind-2'), [])
      await waitForEvent(s, 'second change', (e) => e.changedObject?.correlationId === 'rewind2@test')
      const lists = deliveredLists(s)
      const next = (lists.at(-1)?.index ?? 0) + 1
      const res = await call('POST', `/subscriptions/${sub.id}`, { nmsSubscriptionUpdate: { duration: 7200, restartToken: sub.restartToken } })
      assert.equal(res.statusCode, 200, res.body)
      const body = (JSON.parse(res.body) as SubBody).nmsSubscription
      assert.equal(body.index, next, 'the update answers the next index, never reset')
      assert.equal(body.restartToken, sub.restartToken)
      assert.ok(Number(body.duration) > 7100)
      await s.waitFor(() => deliveredEvents(s).filter((d) => d.event.changedObject?.correlationId === 'rewind1@test').length >= 2, 15000, 'the replay')
      const replayed = deliveredLists(s).filter((l) => l.index >= next)
      assert.ok(replayed.length >= 1)
      assert.equal(replayed[0]?.index, next)
      const ids = replayed.flatMap((l) => l.nmsEvent.map((e) => e.changedObject?.correlationId))
      assert.ok(ids.includes('rewind1@test') && ids.includes('rewind2@test'))
    } finally {
      await s.close()
    }
  })

  it('deletes with 204; then GET, POST and DELETE answer 404 SVC0004', async () => {
    const sub = await subscribe(env, BOX, sink.url)
    assert.equal((await call('DELETE', `/subscriptions/${sub.id}`)).statusCode, 204)
    for (const [method, payload] of [['GET', undefined], ['POST', { nmsSubscriptionUpdate: { duration: 10 } }], ['DELETE', undefined]] as const) {
      const res = await call(method, `/subscriptions/${sub.id}`, payload)
      assert.equal(res.statusCode, 404, `${method}: ${res.body}`)
      assert.equal((JSON.parse(res.body) as ErrBody).requestError.serviceException?.messageId, 'SVC0004')
    }
  })

  it('expires at the end of its duration: 404 at once, removed by the expiry job', async () => {
    const sub = await subscribe(env, BOX, sink.url, { duration: 1 })
    // The end of the duration is what is tested: sleep until the stored expiry, no longer.
    const rec = await env.gateway.store.subscriptions.get(BOX, sub.id)
    assert.ok(rec !== undefined)
    await sleep(Math.max(0, rec.expiresAt - Date.now()) + 10)
    assert.equal((await call('GET', `/subscriptions/${sub.id}`)).statusCode, 404)
    const listed = JSON.parse((await call('GET', '/subscriptions')).body) as { nmsSubscriptionList: { subscription: Array<{ resourceURL: string }> } }
    assert.ok(!listed.nmsSubscriptionList.subscription.some((s) => s.resourceURL === sub.url))
    // The expiry job removes it (or the delivery loop did already, waking at the expiry).
    await env.gateway.notifications.expireSubscriptions()
    assert.equal(await env.gateway.store.subscriptions.get(BOX, sub.id), undefined, 'the record is gone')
    assert.equal(await env.gateway.store.subscriptions.outboxLength(BOX, sub.id), 0, 'and its outbox')
    assert.deepEqual(await env.gateway.store.subscriptions.expired(Date.now(), 100), [], 'and its index entry')
  })

  it('answers PUT with 405 and the Allow set', async () => {
    const collection = await call('PUT', '/subscriptions', {})
    assert.equal(collection.statusCode, 405)
    assert.deepEqual(String(collection.headers.allow).split(', ').sort(), ['GET', 'POST'])
    const one = await call('PUT', '/subscriptions/abc', {})
    assert.equal(one.statusCode, 405)
    assert.deepEqual(String(one.headers.allow).split(', ').sort(), ['DELETE', 'GET', 'POST'])
  })

  it('refuses bad requests with the NMS error naming the part', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ nmsSubscription: {} }, 400, 'SVC0002'],
      [{ nmsSubscription: { callbackReference: { notifyURL: 'not a url' } } }, 400, 'SVC0002'],
      [{ nmsSubscription: { callbackReference: { notifyURL: sink.url, notificationFormat: 'XML' } } }, 400, 'SVC0003'],
      [{ nmsSubscription: { callbackReference: { notifyURL: sink.url }, duration: 'soon' } }, 400, 'SVC0002'],
      [{ nmsSubscription: { callbackReference: { notifyURL: sink.url }, filter: { criterion: [{ type: 'PresetSearch', name: 'UPOneDotO', value: '' }] } } }, 400, 'SVC0003'],
      [{ nmsSubscription: { callbackReference: { notifyURL: sink.url }, filter: { criterion: [{ type: 'Colour', value: 'x' }] } } }, 400, 'SVC0003'],
      [{ nmsSubscription: { callbackReference: { notifyURL: sink.url }, filter: { criterion: [{ type: 'VanishedObjects', value: '' }, { type: 'Flag', name: '\\Seen', value: 'true' }] } } }, 400, 'SVC0002']
    ]
    for (const [payload, status, id] of cases) {
      const res = await call('POST', '/subscriptions', payload)
      assert.equal(res.statusCode, status, `${JSON.stringify(payload)}: ${res.body}`)
      assert.equal((JSON.parse(res.body) as ErrBody).requestError.serviceException?.messageId, id, JSON.stringify(payload))
    }
    const preset = await call('POST', '/subscriptions', cases[4]?.[0])
    const e = (JSON.parse(preset.body) as ErrBody).requestError.serviceException
    assert.equal(e?.variables?.[0], 'filter.criterion.name')
  })

  it('needs the subscription scope, and the caller\'s own box', async () => {
    const readOnly = await call('POST', '/subscriptions', { nmsSubscription: { callbackReference: { notifyURL: sink.url } } }, { scope: 'oma_rest_nms.read' })
    assert.equal(readOnly.statusCode, 403)
    assert.equal((JSON.parse(readOnly.body) as ErrBody).requestError.policyException?.messageId, 'POL2003')
    const sub = await subscribe(env, BOX, sink.url)
    const other = await env.gateway.app.inject({ method: 'GET', url: `${env.base(STRANGER)}/subscriptions/${sub.id}`, headers: await env.auth(STRANGER) })
    assert.equal(other.statusCode, 404, 'a subscription lives in its own box only')
    const foreign = await env.gateway.app.inject({ method: 'GET', url: `${env.base(BOX)}/subscriptions/${sub.id}`, headers: await env.auth(STRANGER) })
    assert.equal(foreign.statusCode, 403)
  })
})
