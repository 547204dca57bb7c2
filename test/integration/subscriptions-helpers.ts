/**
 * Shared steps of the subscription tests: a gateway allowed to call back to loopback, a local
 * receiver, subscribing through the real HTTP app, and waiting for events.
 */
import assert from 'node:assert/strict'
import type { ImapFlow } from 'imapflow'
import type { TrackerHead } from '../../src/store/tracker-store.js'
import { startTestEnv, type TestEnv, type TestEnvOptions } from '../helpers/env.js'
import { eventually } from '../helpers/eventually.js'
import { deliveredLists, startWebhookSink, type EventListJson, type WebhookSink } from '../helpers/webhook-sink.js'

export type EventList = EventListJson['nmsEventList']
export type NmsEvent = EventList['nmsEvent'][number]

/** A test environment whose gateway may call back to 127.0.0.1 and syncs quickly. */
export async function startNotifyEnv (opts: TestEnvOptions = {}): Promise<TestEnv> {
  return await startTestEnv({
    ...opts,
    env: { NMS_CALLBACK_ALLOW_PRIVATE: 'true', NMS_WATCH_SWEEP_SECONDS: '2', ...opts.env },
    config: {
      // Dovecot 2.3.19's mailbox list index can leave a long-lived session's LIST stale after a
      // DELETE raced a LIST (src/imap/session-pool.ts, `retired`): fresh sessions see the truth.
      imap: { pool: { maxSessionAgeSeconds: 2 } },
      tracking: { mode: 'auto', coalesceMs: 20, snapshotEvery: 50, describeChunk: 200 },
      notifications: { maxEventsPerList: 100, attemptTimeoutSeconds: 5, retryInitialMs: 100, retryMaxMs: 1000, refusedAttempts: 3 },
      ...opts.config
    }
  })
}

/** A notify environment with a second IMAP client for the box and receivers made on demand. */
export interface NotifyFixture {
  env: TestEnv
  /** Logged in as the box's user, not through the gateway. */
  imap: ImapFlow
  /** A new local receiver, closed with the fixture. */
  sink(): Promise<WebhookSink>
  close(): Promise<void>
}

export async function startNotifyFixture (box: string, opts: TestEnvOptions = {}): Promise<NotifyFixture> {
  const env = await startNotifyEnv({ boxes: [box], ...opts, ...(opts.boxes === undefined ? {} : { boxes: [box, ...opts.boxes] }) })
  const imap = await env.imap(box)
  const sinks: WebhookSink[] = []
  return {
    env,
    imap,
    async sink () {
      const s = await startWebhookSink()
      sinks.push(s)
      return s
    },
    async close () {
      await imap.logout().catch(() => {})
      await env.close()
      await Promise.all(sinks.map(async (s) => { await s.close() }))
    }
  }
}

export interface Subscribed {
  id: string
  url: string
  body: Record<string, unknown>
  restartToken: string
}

/** POST /subscriptions; asserts 201 with a Location. */
export async function subscribe (
  env: TestEnv, box: string, notifyURL: string, extra: Record<string, unknown> = {}
): Promise<Subscribed> {
  const res = await env.gateway.app.inject({
    method: 'POST',
    url: `${env.base(box)}/subscriptions`,
    headers: { ...await env.auth(box), 'content-type': 'application/json' },
    payload: { nmsSubscription: { callbackReference: { notifyURL, callbackData: 'cb-1' }, duration: 3600, ...extra } }
  })
  assert.equal(res.statusCode, 201, res.body)
  const body = (JSON.parse(res.body) as { nmsSubscription: Record<string, unknown> }).nmsSubscription
  const url = String(body.resourceURL)
  assert.equal(res.headers.location, url)
  return { id: decodeURIComponent(url.split('/subscriptions/')[1] ?? ''), url, body, restartToken: String(body.restartToken) }
}

/** Every event delivered so far, with the index of the list that carried it. */
export function deliveredEvents (sink: WebhookSink): Array<{ index: number, event: NmsEvent }> {
  return deliveredLists(sink).flatMap((l) => l.nmsEvent.map((event) => ({ index: l.index, event })))
}

/** Waits until a delivered event satisfies `match`; returns it with its list index. */
export async function waitForEvent (
  sink: WebhookSink, what: string, match: (e: NmsEvent) => boolean, timeoutMs = 15000
): Promise<{ index: number, event: NmsEvent }> {
  await sink.waitFor(() => deliveredEvents(sink).some((d) => match(d.event)), timeoutMs, what)
  const found = deliveredEvents(sink).find((d) => match(d.event))
  assert.ok(found !== undefined)
  return found
}

/**
 * Waits until the tracker has committed a state of the box for which `holds` is true, the
 * subscription has been fed up to that state and its outbox is empty (every list queued for it
 * was answered by its receiver). From then on, an event the subscription should have been sent
 * for that state would be in its sink already: what the sink lacks was not sent.
 */
export async function waitFedAndDelivered (
  env: TestEnv, box: string, id: string, what: string, holds: (head: TrackerHead) => boolean, timeoutMs = 15000
): Promise<void> {
  const { store } = env.gateway
  const seq = await eventually(`the tracked state with ${what}`, async () => {
    const head = await store.tracker.head(box)
    return head !== undefined && holds(head) ? head.seq : false
  }, { timeoutMs })
  await eventually(`subscription ${id} fed up to ${what}, its outbox empty`, async () => {
    const rec = await store.subscriptions.get(box, id)
    return rec !== undefined && rec.position >= seq && await store.subscriptions.outboxLength(box, id) === 0
  }, { timeoutMs })
}

/** A head predicate: the folder at `path` has seen the message with this UID (its UIDNEXT is past it). */
export function hasUid (path: string, uid: number): (head: TrackerHead) => boolean {
  return (head) => head.folders.some((f) => f.path === path && f.uidNext > uid)
}

/** The flags of a changedObject event (none for other events). */
export function flagsOf (e: NmsEvent): string[] {
  return (e.changedObject?.flags as { flag?: string[] } | undefined)?.flag ?? []
}

/** The objectId at the end of an object URL. */
export function idOfUrl (url: unknown): string {
  return decodeURIComponent(String(url).split('/').pop() ?? '')
}

/** Asserts the delivered lists have the indexes 1..n with no gap and no repeat. */
export function assertContiguous (sink: WebhookSink, first = 1): void {
  const indexes = deliveredLists(sink).map((l) => l.index)
  assert.deepEqual(indexes, indexes.map((_, i) => i + first), `indexes ${indexes.join(',')}`)
}

/** A small RFC 5322 message. */
export function message (subject: string, extra = ''): Buffer {
  return Buffer.from(`From: alice@example.com\r\nTo: bob@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@test>\r\n${extra}\r\nhello ${subject}\r\n`)
}
