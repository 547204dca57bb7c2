/**
 * The Notification Channel long-polling sync end to end (issue 6 "Done when"; client profile
 * section 4, checks 27-40): create a channel, subscribe with `notifyURL = callbackURL`, poll; an
 * IMAP APPEND by a second client arrives in the poll response with index 1; an empty poll answers
 * `[]` after the hold time; a concurrent second poll ends the first with 409; a channel delete
 * ends an open poll with 404; a rewind with a restartToken re-delivers through the channel.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ImapFlow } from 'imapflow'
import pino from 'pino'
import { createGateway, type Gateway } from '../../src/gateway.js'
import type { TestEnv } from '../helpers/env.js'
import { eventually } from '../helpers/eventually.js'
import { message, startNotifyEnv } from './subscriptions-helpers.js'

const USER = 'tel:+15550001020'

interface Channel {
  clientCorrelator?: string
  applicationTag?: string
  channelType: string
  channelData: { channelURL: string, maxNotifications: number }
  channelLifetime: number
  callbackURL: string
  resourceURL: string
}
interface EventList { nmsEventList: { nmsEvent: Array<Record<string, Record<string, unknown>>>, index: number, restartToken: string } }
interface PollBody { notificationList: EventList[] }

const idOf = (channel: Channel): string => channel.resourceURL.split('/').pop() ?? ''

/**
 * Starts `request`, a poll of `channel`, and resolves once the gateway has begun it (the store
 * names a new current poll for the channel), so what the test does next happens while it is held.
 * Returned wrapped: an async function cannot return a pending promise unawaited.
 */
async function whileHeld<T> (gateway: Gateway, channel: Channel, request: () => Promise<T>): Promise<{ answer: Promise<T> }> {
  const current = async (): Promise<string | undefined> => await gateway.store.channels.currentPoll(USER, idOf(channel))
  const before = await current()
  const answer = request()
  await eventually('the poll to be held', async () => (await current()) !== before)
  return { answer }
}

/**
 * Waits until the channel's lifetime has run out. The passing of time is what these tests are
 * about, so this sleeps, but only until the stored expiry, not a fixed margin beyond it.
 */
async function untilExpired (gateway: Gateway, channel: Channel): Promise<void> {
  const rec = await gateway.store.channels.get(USER, idOf(channel))
  assert.ok(rec !== undefined, 'the channel exists')
  await sleep(Math.max(0, rec.expiresAt - Date.now()) + 10)
}

describe('notification channel: long polling', () => {
  let env: TestEnv
  let imap: ImapFlow
  let channel: Channel

  before(async () => {
    env = await startNotifyEnv({ boxes: [USER], env: { NMS_NC_HOLD_SECONDS: '2' } })
    imap = await env.imap(USER)
  })
  after(async () => {
    await imap.logout().catch(() => {})
    await env.close()
  })

  const nc = (user = USER): string => `/notificationchannel/v1/${encodeURIComponent(user)}`
  const pathOf = (url: string): string => new URL(url).pathname

  async function call (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: unknown, headers: Record<string, string> = {}) {
    return await env.gateway.app.inject({
      method,
      url: path,
      headers: { ...await env.auth(USER), ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : payload as Record<string, unknown> })
    })
  }

  interface PollResult { status: number, body: PollBody & { requestError?: { serviceException?: { messageId: string } } }, ms: number, location: unknown }

  async function poll (): Promise<PollResult> {
    const t0 = Date.now()
    const res = await call('POST', pathOf(channel.channelData.channelURL), { longPollingRequestParameters: null })
    return { status: res.statusCode, body: res.body === '' ? {} : JSON.parse(res.body), ms: Date.now() - t0, location: res.headers.location }
  }

  it('creates a LongPolling channel: 201, Location, every URL absolute, the granted lifetime and echoes', async () => {
    const res = await call('POST', `${nc()}/channels`, {
      notificationChannel: { clientCorrelator: 'dev-1-nc', applicationTag: 'msgstore', channelType: 'LongPolling', channelData: { maxNotifications: '1' }, channelLifetime: 86400 }
    })
    assert.equal(res.statusCode, 201, res.body)
    channel = (JSON.parse(res.body) as { notificationChannel: Channel }).notificationChannel
    assert.equal(res.headers.location, channel.resourceURL)
    assert.equal(channel.clientCorrelator, 'dev-1-nc')
    assert.equal(channel.applicationTag, 'msgstore')
    assert.equal(channel.channelType, 'LongPolling')
    assert.equal(channel.channelData.maxNotifications, 1)
    assert.ok(channel.channelLifetime > 86390 && channel.channelLifetime <= 86400)
    for (const u of [channel.resourceURL, channel.callbackURL, channel.channelData.channelURL]) {
      assert.match(u, /^https:\/\/nms\.test\.example\/notificationchannel\/v1\/tel%3A%2B15550001020\/channels\/[A-Za-z0-9_-]+/)
    }
    const id = channel.resourceURL.split('/').pop() ?? ''
    const got = await call('GET', `${nc()}/channels/${id}`)
    assert.equal(got.statusCode, 200)
    assert.equal((JSON.parse(got.body) as { notificationChannel: Channel }).notificationChannel.resourceURL, channel.resourceURL)
    const again = await call('POST', `${nc()}/channels`, { notificationChannel: { clientCorrelator: 'dev-1-nc', channelType: 'LongPolling' } })
    assert.equal((JSON.parse(again.body) as { notificationChannel: Channel }).notificationChannel.resourceURL, channel.resourceURL, 'clientCorrelator makes creation idempotent')
  })

  it('refuses other channel types with 403 POL1023 naming LongPolling', async () => {
    const res = await call('POST', `${nc()}/channels`, { notificationChannel: { channelType: 'NativeChannel', channelData: { channelSubType: 'GCM' } } })
    assert.equal(res.statusCode, 403)
    const e = (JSON.parse(res.body) as { requestError: { policyException: { messageId: string, variables: string[] } } }).requestError.policyException
    assert.equal(e.messageId, 'POL1023')
    assert.deepEqual(e.variables, ['NativeChannel', 'LongPolling'])
  })

  let firstToken = ''

  it('delivers an IMAP APPEND into the poll response, index 1, from a subscription to the callbackURL', async () => {
    const sub = await call('POST', `/nms/v1/base/${encodeURIComponent(USER)}/subscriptions`, {
      nmsSubscription: { callbackReference: { notifyURL: channel.callbackURL, notificationFormat: 'JSON' }, clientCorrelator: '', duration: 86400 }
    })
    assert.equal(sub.statusCode, 201, sub.body)
    const subscription = (JSON.parse(sub.body) as { nmsSubscription: { index: number, restartToken: string, resourceURL: string } }).nmsSubscription
    assert.equal(subscription.index, 1)
    firstToken = subscription.restartToken
    const pending = await whileHeld(env.gateway, channel, poll)
    await imap.append('INBOX', message('via-channel'), [])
    const res = await pending.answer
    assert.equal(res.status, 200)
    assert.equal(res.body.notificationList.length, 1)
    const list = res.body.notificationList[0]?.nmsEventList
    assert.equal(list?.index, 1)
    assert.equal(list?.nmsEvent[0]?.changedObject?.correlationId, 'viachannel@test')
    assert.ok(res.ms < 1800, `held until the change: ${res.ms} ms`)
  })

  it('answers an empty poll with an empty array after the hold time (never 204 or null)', async () => {
    const res = await poll()
    assert.equal(res.status, 200)
    assert.deepEqual(res.body, { notificationList: [] })
    assert.ok(res.ms >= 1900 && res.ms < 4000, `${res.ms} ms`)
  })

  it('ends a held poll with 409 SVC1012 when a second poll of the channel arrives, and serves the second', async () => {
    const first = await whileHeld(env.gateway, channel, poll)
    const second = poll()
    const a = await first.answer
    assert.equal(a.status, 409)
    assert.equal(a.body.requestError?.serviceException?.messageId, 'SVC1012')
    assert.ok(a.ms < 1500, `the first ends at once: ${a.ms} ms`)
    const b = await second
    assert.equal(b.status, 200)
  })

  it('re-delivers through the channel after a rewind with a restartToken, the index going on', async () => {
    const subs = JSON.parse((await call('GET', `/nms/v1/base/${encodeURIComponent(USER)}/subscriptions`)).body) as { nmsSubscriptionList: { subscription: Array<{ resourceURL: string }> } }
    const url = subs.nmsSubscriptionList.subscription[0]?.resourceURL ?? ''
    const up = await call('POST', pathOf(url), { nmsSubscriptionUpdate: { restartToken: firstToken } })
    assert.equal(up.statusCode, 200, up.body)
    const res = await poll()
    assert.equal(res.status, 200)
    const list = res.body.notificationList[0]?.nmsEventList
    assert.equal(list?.index, 2)
    assert.equal(list?.nmsEvent[0]?.changedObject?.correlationId, 'viachannel@test')
  })

  it('sends again what a poll answered when no later poll came, and drops it once the next poll arrives', async () => {
    await imap.append('INBOX', message('twice'), [])
    const first = await poll()
    assert.equal(first.body.notificationList[0]?.nmsEventList.nmsEvent[0]?.changedObject?.correlationId, 'twice@test')
    // The next poll says the client got it: the one after that holds and comes back empty.
    const next = await poll()
    assert.deepEqual(next.body, { notificationList: [] })
  })

  it('reports the channel lifetime and refreshes it', async () => {
    const id = channel.resourceURL.split('/').pop() ?? ''
    const put = await call('PUT', `${nc()}/channels/${id}/channelLifetime`, { notificationChannelLifetime: { channelLifetime: '3600' } })
    assert.equal(put.statusCode, 200, put.body)
    assert.deepEqual(JSON.parse(put.body), { notificationChannelLifetime: { channelLifetime: 3600 } })
    const get = await call('GET', `${nc()}/channels/${id}/channelLifetime`)
    const left = (JSON.parse(get.body) as { notificationChannelLifetime: { channelLifetime: number } }).notificationChannelLifetime.channelLifetime
    assert.ok(left > 3590 && left <= 3600)
    const list = await call('GET', `${nc()}/channels`)
    const body = JSON.parse(list.body) as { notificationChannelList: { notificationChannel: Channel[], resourceURL: string } }
    assert.equal(body.notificationChannelList.resourceURL, `https://nms.test.example${nc()}/channels`)
    assert.ok(body.notificationChannelList.notificationChannel.some((c) => c.resourceURL === channel.resourceURL))
  })

  it('ends an open poll with 404 when the channel is deleted, and its subscription with it', async () => {
    const held = await whileHeld(env.gateway, channel, poll)
    const id = channel.resourceURL.split('/').pop() ?? ''
    assert.equal((await call('DELETE', `${nc()}/channels/${id}`)).statusCode, 204)
    const res = await held.answer
    assert.equal(res.status, 404)
    assert.ok(res.ms < 1500, `${res.ms} ms`)
    assert.equal((await call('GET', `${nc()}/channels/${id}`)).statusCode, 404)
    // The client's next poll of the gone channel: 302 to the channel resource (which is 404),
    // the answer that makes the deployed client build a channel and subscription again.
    const again = await poll()
    assert.equal(again.status, 302)
    assert.equal(again.location, channel.resourceURL)
    const subs = JSON.parse((await call('GET', `/nms/v1/base/${encodeURIComponent(USER)}/subscriptions`)).body) as { nmsSubscriptionList: { subscription: unknown[] } }
    assert.deepEqual(subs.nmsSubscriptionList.subscription, [], 'the channel took its subscription with it')
  })
})

describe('notification channel: across instances, hang-ups and expiry', () => {
  let env: TestEnv
  let other: Gateway
  let imap: ImapFlow

  before(async () => {
    env = await startNotifyEnv({ boxes: [USER], env: { NMS_NC_HOLD_SECONDS: '3' } })
    other = await createGateway(env.makeConfig(), { logger: pino({ level: 'silent' }) })
    imap = await env.imap(USER)
  })
  after(async () => {
    await imap.logout().catch(() => {})
    await other.close()
    await env.close()
  })

  async function on (gw: Gateway, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: Record<string, unknown>) {
    return await gw.app.inject({
      method,
      url,
      headers: { ...await env.auth(USER), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload })
    })
  }

  async function channelWithSubscription (gw: Gateway, lifetime = 3600): Promise<Channel> {
    const res = await on(gw, 'POST', `/notificationchannel/v1/${encodeURIComponent(USER)}/channels`, { notificationChannel: { channelType: 'LongPolling', channelLifetime: lifetime } })
    assert.equal(res.statusCode, 201, res.body)
    const channel = (JSON.parse(res.body) as { notificationChannel: Channel }).notificationChannel
    const sub = await on(gw, 'POST', `/nms/v1/base/${encodeURIComponent(USER)}/subscriptions`, { nmsSubscription: { callbackReference: { notifyURL: channel.callbackURL } } })
    assert.equal(sub.statusCode, 201, sub.body)
    return channel
  }

  it('wakes a poll held on one instance when another instance delivers the change', async () => {
    // Subscribed on env.gateway, which takes the box's lease and delivers; polled on `other`.
    const channel = await channelWithSubscription(env.gateway)
    assert.ok(env.gateway.notifications.ownsBox(USER))
    assert.ok(!other.notifications.ownsBox(USER))
    const t0 = Date.now()
    const pending = await whileHeld(env.gateway, channel, async () =>
      await on(other, 'POST', new URL(channel.channelData.channelURL).pathname, { longPollingRequestParameters: null }))
    await imap.append('INBOX', message('cross-instance'), [])
    const res = await pending.answer
    assert.equal(res.statusCode, 200)
    const body = JSON.parse(res.body) as PollBody
    assert.equal(body.notificationList[0]?.nmsEventList.nmsEvent[0]?.changedObject?.correlationId, 'crossinstance@test')
    assert.ok(Date.now() - t0 < 2800, 'woken by the bus, not by the hold time running out')
  })

  it('takes nothing from the queue for a client that hung up while its poll was held', async () => {
    const channel = await channelWithSubscription(env.gateway)
    await env.gateway.app.listen({ port: 0, host: '127.0.0.1' })
    const port = (env.gateway.app.server.address() as { port: number }).port
    const abort = new AbortController()
    const url = `http://127.0.0.1:${port}${new URL(channel.channelData.channelURL).pathname}`
    const headers = { ...await env.auth(USER), 'content-type': 'application/json' }
    const hungUp = await whileHeld(env.gateway, channel, async () =>
      await fetch(url, { method: 'POST', headers, body: '{"longPollingRequestParameters":null}', signal: abort.signal }).catch((err: unknown) => err))
    abort.abort()
    assert.ok((await hungUp.answer) instanceof Error)
    await imap.append('INBOX', message('after-hangup'), [])
    await eventually('the change to be queued for the channel', async () =>
      (await env.gateway.store.channels.peek(USER, idOf(channel), 10)).some((i) => i.body.includes('afterhangup@test')), { timeoutMs: 10_000 })
    const res = await fetch(url, { method: 'POST', headers, body: '' })
    assert.equal(res.status, 200)
    const body = await res.json() as PollBody
    const ids = body.notificationList.flatMap((l) => l.nmsEventList.nmsEvent.map((e) => e.changedObject?.correlationId))
    assert.ok(ids.includes('afterhangup@test'), `got ${JSON.stringify(ids)}`)
  })

  it('expires a channel at the end of its lifetime, taking its subscriptions with it', async () => {
    const channel = await channelWithSubscription(env.gateway, 1)
    const id = channel.resourceURL.split('/').pop() ?? ''
    await untilExpired(env.gateway, channel)
    assert.equal((await on(env.gateway, 'GET', `/notificationchannel/v1/${encodeURIComponent(USER)}/channels/${id}`)).statusCode, 404)
    assert.ok(await env.gateway.notifications.expireChannels() >= 1)
    const subs = await env.gateway.store.subscriptions.list(USER)
    assert.ok(!subs.some((s) => s.notifyURL === channel.callbackURL), 'its subscription is gone')
    assert.equal(await env.gateway.store.channels.get(USER, id), undefined)
    const gone = await on(env.gateway, 'POST', new URL(channel.channelData.channelURL).pathname, { longPollingRequestParameters: null })
    assert.equal(gone.statusCode, 302)
    assert.equal(gone.headers.location, channel.resourceURL)
  })

  it('creates a new channel for the clientCorrelator of one whose lifetime ended before the expiry job ran', async () => {
    const ask = { notificationChannel: { channelType: 'LongPolling', channelLifetime: 1, clientCorrelator: 'device-7' } }
    const url = `/notificationchannel/v1/${encodeURIComponent(USER)}/channels`
    const first = await on(env.gateway, 'POST', url, ask)
    assert.equal(first.statusCode, 201, first.body)
    const old = (JSON.parse(first.body) as { notificationChannel: Channel }).notificationChannel
    const sub = await on(env.gateway, 'POST', `/nms/v1/base/${encodeURIComponent(USER)}/subscriptions`, { nmsSubscription: { callbackReference: { notifyURL: old.callbackURL } } })
    assert.equal(sub.statusCode, 201, sub.body)
    const retried = await on(env.gateway, 'POST', url, ask)
    assert.equal((JSON.parse(retried.body) as { notificationChannel: Channel }).notificationChannel.resourceURL, old.resourceURL, 'live: the same channel')
    await untilExpired(env.gateway, old)
    const second = await on(env.gateway, 'POST', url, ask)
    assert.equal(second.statusCode, 201, second.body)
    const fresh = (JSON.parse(second.body) as { notificationChannel: Channel }).notificationChannel
    assert.notEqual(fresh.resourceURL, old.resourceURL)
    assert.equal(fresh.clientCorrelator, 'device-7')
    const subs = await env.gateway.store.subscriptions.list(USER)
    assert.ok(!subs.some((s) => s.notifyURL === old.callbackURL), 'the expired channel took its subscription with it')
  })

  it('refuses a subscription to a callbackURL no live channel of the box has', async () => {
    const forged = `https://nms.test.example/notificationchannel/v1/${encodeURIComponent(USER)}/channels/nope/callback`
    const res = await on(env.gateway, 'POST', `/nms/v1/base/${encodeURIComponent(USER)}/subscriptions`, { nmsSubscription: { callbackReference: { notifyURL: forged } } })
    assert.equal(res.statusCode, 400)
    const e = (JSON.parse(res.body) as { requestError: { serviceException: { messageId: string, variables: string[] } } }).requestError.serviceException
    assert.deepEqual([e.messageId, e.variables[0]], ['SVC0002', 'callbackReference.notifyURL'])
  })
})
