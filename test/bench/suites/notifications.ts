/**
 * Change notifications (issues 5 and 6): how soon a change made by another IMAP client reaches a
 * webhook or a long poll of a notification channel, and what a restartToken rewind costs in a
 * small and in a huge folder. The suite provisions boxes of its own; test/bench/env.ts's box and
 * folder are left untouched.
 *
 * **Latency**. Each run is one APPEND by a second IMAP client (not the gateway's), seen from both
 * sides at once (an ObservedCase, test/bench/framework.ts):
 * - webhook rows (box `tel:+15550009101`, subscribed through the HTTP app to a receiver on
 *   127.0.0.1, test/helpers/webhook-sink.ts; one APPEND to INBOX or to the folder `Work`): the
 *   gateway columns run from the APPEND's tagged OK to the webhook request carrying that message
 *   (matched by `correlationId`, the Message-ID without angle brackets) reaching the receiver;
 * - long-poll row (box `tel:+15550009104`, a box of its own so nothing else moves its watch,
 *   outbox or channel; one APPEND to INBOX): a `LongPolling` channel created through the HTTP app
 *   with `maxNotifications` 1, and a subscription whose notifyURL is the channel's callbackURL.
 *   The bench keeps one poll open at a time (`POST` channelURL, `{"longPollingRequestParameters":
 *   null}`, through app.inject, so there is no socket between the poll and the app), starting the
 *   next as soon as the previous answered, as the deployed client does; the gateway columns run
 *   from the APPEND's tagged OK to the poll response carrying that message's correlationId. A
 *   poll that comes back empty (`{"notificationList":[]}` after `notificationChannel.holdSeconds`)
 *   is re-issued and not counted; teardown deletes the channel, which answers the open poll 404;
 * - imapflow columns: from the same OK to the `exists` event of an imapflow client IDLEing on
 *   that folder of that box (IDLE reports only the selected mailbox, so one such client per
 *   folder), which is Dovecot's own IDLE delay, measured in the same run;
 * - median is p50; p95 and p99 over `--iterations` (default 200) changes per row, after at most
 *   5 warm-up changes (the watch is up after the first).
 * A run waits for both before the next APPEND, so each change is measured alone (latency, not
 * throughput). Where the time goes: Dovecot reports a change through a 500 ms timer
 * (NOTIFY_DELAY_MSECS, for IDLE in mailbox-watch.c and for NOTIFY's STATUS of other mailboxes in
 * mailbox-list-notify-index.c) started by the first file change it notices, so its report comes
 * up to about half a second after the APPEND, to the IDLEing client and to the gateway's watch
 * alike; the gateway then waits `tracking.coalesceMs` (30 ms by default) and needs a few
 * milliseconds to sync the box (LIST-STATUS, CHANGEDSINCE, Redis commit), describe the message
 * (FETCH) and queue the list in the subscription's outbox. Only the last leg differs. For a
 * webhook the delivery loop POSTs the list to the receiver (undici, egress check, loopback
 * HTTP): about 2 ms. For the long poll it moves the list into the channel's queue instead (one
 * atomic Redis step, no HTTP hop) and wakes the poll held on this instance (publishing the
 * wake-up on the Redis bus too, for a poll held elsewhere); the poll checks it is still the
 * channel's current one, reads the queue's head and answers the queued JSON: under 1 ms in all
 * (a real client adds its connection's share of the response). So the long-poll row shows the
 * INBOX webhook row's figure, a millisecond or two apart, which is less than Dovecot's report
 * moves between boxes and runs. Sometimes a sync started for something else (the sweep, a
 * duplicate report) catches a change before Dovecot reports it; the watch's own sync for that
 * change then follows its report by `coalesceMs`, and the run waits for that too (not more), or
 * it would catch the next APPEND at once and every later figure would be the loop's rhythm
 * rather than a latency.
 *
 * Without NOTIFY (Dovecot advertises it only with `mailbox_list_index = yes`) the watch IDLEs
 * on INBOX only and a change in `Work` waits for the periodic sweep (`watch.sweepSeconds`);
 * that row then has 10 runs only, and since each APPEND follows the previous sweep closely
 * they show about the whole interval, i.e. the worst case. With NOTIFY, Dovecot 2.3.19 stops
 * reporting other mailboxes to a long-lived session once its `dovecot.list.index.log` rotates
 * (at 64 KiB, about 190 changes to a non-INBOX folder here): from then on those changes too
 * wait for the sweep. The suite prints how many changes took over a second, so such a tail
 * in p95/p99 is explained. The long-poll row changes INBOX of its own box only, so neither
 * applies to it.
 *
 * **Replay** (`tel:+15550009102` with a 1,000-message folder, `tel:+15550009103` with a
 * 100,000-message one, both seeded as maildir files (test/bench/seed.ts), without
 * subscriptions, so no watch syncs behind the bench's back). The tracker takes its baseline,
 * the head position is noted, a second client makes 10 changes (\Flagged added to 5 messages
 * spread over the folder, 5 APPENDs) and the tracker syncs again. Each run then is
 * `tracker.replay` from the noted position to the head plus describing its events
 * (`planEvents`, the FETCH of the 10 changed messages): what a subscription rewound to that
 * restartToken pays before its first list. Replay only reads, so it is repeated
 * `--iterations` times. The gateway columns are that; the imapflow columns the IMAP work it
 * comes down to, on a connection with the folder selected: `UID FETCH 1:* (UID FLAGS)
 * (CHANGEDSINCE m)` and a metadata FETCH of the 10 UIDs it returns. The rows are meant to be
 * read against each other: what grows with the folder is Dovecot's CHANGEDSINCE, which checks
 * every message's MODSEQ in its index (a few milliseconds for 100,000), on both sides alike;
 * the gateway's own share stays the same.
 */
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FetchQueryObject, ImapFlow, MailboxLockObject } from 'imapflow'
import { BOX_PASSWORD, imapUserOf } from '../../helpers/env.js'
import { startWebhookSink, type EventListJson, type WebhookSink } from '../../helpers/webhook-sink.js'
import { objectHeaderFields } from '../../../src/nms/objects/representation.js'
import { planEvents } from '../../../src/sync/plan-events.js'
import type { BenchCase, BenchSuite } from '../framework.js'
import type { BenchEnv } from '../env.js'
import { isMaildir, seedMaildir } from '../seed.js'

const LATENCY_BOX = 'tel:+15550009101'
const LATENCY_FOLDERS = ['INBOX', 'Work']
/** The long-poll row's box: nothing but that row's APPENDs happens in it. */
const LONG_POLL_BOX = 'tel:+15550009104'
const REPLAY = [
  { box: 'tel:+15550009102', messages: 1000 },
  { box: 'tel:+15550009103', messages: 100_000 }
]
const REPLAY_FOLDER = 'Archive'
/** Changes between the noted position and the head: this many flag changes, as many APPENDs. */
const HALF_CHANGES = 5
/** Longest wait for one notification or EXISTS before the suite gives up. */
const WAIT_MS = 15_000
/** Margin after the watch's own sync of a change is due (its report, then `coalesceMs`). */
const SETTLE_MS = 50
/** Longer than Dovecot's report plus the gateway's sync: such a change was found by something else. */
const SLOW_MS = 1000
/** Warm-up changes per latency case, at most. */
const LATENCY_WARMUP = 5
/** Runs of a latency case that waits for the sweep (no NOTIFY), whatever `--iterations` says. */
const SWEEP_BOUND_RUNS = 10
/** Longest wait in teardown for the open poll to end once its channel is deleted. */
const POLL_END_MS = 5000

let opened: ImapFlow[] = []
let locks: MailboxLockObject[] = []
let sink: WebhookSink | undefined
let unsubscribe: (() => Promise<void>) | undefined
/** Ends the long-poll row's polling: deletes its channel (the open poll answers 404) and waits for the poller. */
let stopPolling: (() => Promise<void>) | undefined
/** Per latency row: changes measured, and those that took over {@link SLOW_MS} to reach the gateway's side. */
let slow = new Map<string, { folder: string, to: string, total: number, slow: number }>()
/** The long poll's answers: carrying notifications, empty after the hold time, carrying a change already seen. */
let polls = { answered: 0, empty: 0, repeated: 0 }
let sweepSeconds = 0

/** Moments something happened (performance.now()), by key, and waiters for those not yet seen. */
class Moments {
  private readonly at = new Map<string, number>()
  private readonly waiters = new Map<string, (err?: Error) => void>()
  private failed: Error | undefined

  /** Notes `key` at `t` unless seen already; true when it was new. */
  mark (key: string, t: number): boolean {
    if (this.at.has(key)) return false
    this.at.set(key, t)
    this.waiters.get(key)?.()
    return true
  }

  /** The source of the moments broke: every wait, current and later, fails with `err`. */
  fail (err: Error): void {
    this.failed ??= err
    for (const w of [...this.waiters.values()]) w(err)
  }

  /** When `key` happened; waits for it at most `WAIT_MS`. */
  async when (key: string, what: string): Promise<number> {
    const seen = this.at.get(key)
    if (seen !== undefined) return seen
    if (this.failed !== undefined) throw this.failed
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key)
        reject(new Error(`notifications bench: no ${what} within ${WAIT_MS} ms`))
      }, WAIT_MS)
      this.waiters.set(key, (err) => {
        clearTimeout(timer)
        this.waiters.delete(key)
        if (err === undefined) resolve()
        else reject(err)
      })
    })
    return this.at.get(key) as number
  }
}

/** A small message whose Message-ID is `<id>` (so its correlationId is `id`). */
function latencyMessage (id: string, i: number): string {
  return [
    `Date: ${new Date(Date.UTC(2024, 5, 1) + i * 60_000).toUTCString().replace('GMT', '+0000')}`,
    'From: "Alice" <alice@example.com>',
    'To: bob@example.com',
    `Subject: latency ${i}`,
    `Message-ID: <${id}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Change ${i}.`,
    ''
  ].join('\r\n')
}

async function connect (b: BenchEnv, box: string): Promise<ImapFlow> {
  const c = await b.env.imap(box)
  opened.push(c)
  return c
}

/** Subscribes `box` to the receiver through the HTTP app; returns how to unsubscribe. */
async function subscribe (b: BenchEnv, box: string, notifyURL: string): Promise<() => Promise<void>> {
  const res = await b.env.gateway.app.inject({
    method: 'POST',
    url: `${b.env.base(box)}/subscriptions`,
    headers: { ...await b.env.auth(box), 'content-type': 'application/json' },
    payload: { nmsSubscription: { callbackReference: { notifyURL, callbackData: 'bench' }, duration: 3600 } }
  })
  if (res.statusCode !== 201) throw new Error(`subscribe: ${res.statusCode} ${res.body}`)
  const url = String((JSON.parse(res.body) as { nmsSubscription: { resourceURL: string } }).nmsSubscription.resourceURL)
  const id = decodeURIComponent(url.split('/subscriptions/')[1] ?? '')
  return async () => {
    const del = await b.env.gateway.app.inject({
      method: 'DELETE', url: `${b.env.base(box)}/subscriptions/${encodeURIComponent(id)}`, headers: await b.env.auth(box)
    })
    if (del.statusCode >= 300 && del.statusCode !== 404) throw new Error(`unsubscribe: ${del.statusCode} ${del.body}`)
  }
}

/**
 * Adds the suite's boxes as Dovecot users. Dovecot's auth process looks at its passwd-file at
 * most once a second (db-passwd-file.c: not again within the second of the last look), so a
 * login right after the file grew may not see the new user yet; waiting into the next second
 * (less than one) makes the next look come after the addition.
 */
async function provision (b: BenchEnv, boxes: readonly string[]): Promise<void> {
  for (const box of boxes) await b.env.dovecot.addUser({ name: imapUserOf(box), password: BOX_PASSWORD })
  await sleep(1000 - (Date.now() % 1000) + 20)
}

/**
 * An imapflow client IDLEing on `folder` of `box`: the Dovecot side of a latency row. Its
 * moments are keyed by the message's sequence number; `initial` is the folder's count when
 * selected.
 */
async function idleOn (b: BenchEnv, box: string, folder: string): Promise<{ exists: Moments, initial: number }> {
  const idler = await connect(b, box)
  const mailbox = await idler.mailboxOpen(folder)
  const exists = new Moments()
  idler.on('exists', (d: { count: number, prevCount: number }) => {
    const now = performance.now()
    for (let n = d.prevCount + 1; n <= d.count; n++) exists.mark(String(n), now)
  })
  idler.idle().catch(() => {})
  return { exists, initial: mailbox.exists }
}

/** One latency row's two sides. */
interface LatencyTarget {
  /** Row key of the slow-change count. */
  key: string
  folder: string
  /** Where the gateway's side is seen, for messages: `webhook`, `long poll`. */
  to: string
  /** Start of the Message-IDs' local part. */
  prefix: string
  /** The second IMAP client, logged in to the row's box. */
  appender: ImapFlow
  /** When the gateway's notification carrying each correlationId arrived. */
  delivered: Moments
  /** The IDLEing client on `folder` ({@link idleOn}). */
  idle: { exists: Moments, initial: number }
}

/** One run of a latency row: an APPEND, and its notification's and its EXISTS's delays after the APPEND's OK. */
function latencyRun (b: BenchEnv, t: LatencyTarget): (i: number) => Promise<{ gateway: number, imapflow: number }> {
  const tag = Date.now().toString(36)
  const coalesceMs = b.env.config.tracking.coalesceMs
  let appended = 0
  return async (i) => {
    const id = `${t.prefix}-${i}.${tag}@bench.example`
    const n = t.idle.initial + ++appended
    const res = await t.appender.append(t.folder, latencyMessage(id, i), [])
    const t0 = performance.now()
    if (res === false) throw new Error(`APPEND to ${t.folder} failed`)
    const [hook, seen] = await Promise.all([
      t.delivered.when(id, `${t.to} for ${id}`),
      t.idle.exists.when(String(n), `EXISTS for ${id} in ${t.folder}`)
    ])
    // Delivered before the IDLEing client heard of the change (a sync started for something
    // else caught it, or NOTIFY's STATUS came first): the watch's own report of this change may
    // still be on its way, and its sync follows `coalesceMs` later. Left running, that sync
    // would catch the next APPEND at once and the next figure would be the loop's rhythm, not a
    // latency; so the run ends after it.
    if (hook < seen) {
      const quiet = seen + coalesceMs + SETTLE_MS - performance.now()
      if (quiet > 0) await sleep(quiet)
    }
    const count = slow.get(t.key) ?? { folder: t.folder, to: t.to, total: 0, slow: 0 }
    slow.set(t.key, { ...count, total: count.total + 1, slow: count.slow + (hook - t0 > SLOW_MS ? 1 : 0) })
    return { gateway: hook - t0, imapflow: seen - t0 }
  }
}

/** Marks the correlationIds of the changedObject events of `lists` at `t`; answers how many were new and how many seen before. */
function markEvents (lists: ReadonlyArray<EventListJson | undefined>, into: Moments, t: number): { fresh: number, repeated: number } {
  let fresh = 0
  let repeated = 0
  for (const l of lists) {
    for (const e of l?.nmsEventList.nmsEvent ?? []) {
      const id = e.changedObject?.correlationId
      if (typeof id !== 'string') continue
      if (into.mark(id, t)) fresh++
      else repeated++
    }
  }
  return { fresh, repeated }
}

async function latencyCases (b: BenchEnv): Promise<BenchCase[]> {
  const box = LATENCY_BOX
  const appender = await connect(b, box)
  await appender.mailboxCreate('Work')

  const hooks = new Moments()
  const receiver = await startWebhookSink()
  sink = receiver
  receiver.respond = (req) => {
    markEvents([req.json as EventListJson | undefined], hooks, performance.now())
    return { status: 204 }
  }

  // One IDLEing client per folder: the Dovecot side of the comparison.
  const idles = new Map<string, { exists: Moments, initial: number }>()
  for (const folder of LATENCY_FOLDERS) idles.set(folder, await idleOn(b, box, folder))
  unsubscribe = await subscribe(b, box, receiver.url)

  // Without NOTIFY the gateway's watch IDLEs on INBOX only (src/imap/watch-session.ts), and a
  // change elsewhere waits for the periodic sweep: every run takes that long, so few are made.
  const notify = appender.capabilities.has('NOTIFY')
  const sweep = b.env.config.watch.sweepSeconds
  sweepSeconds = sweep
  return LATENCY_FOLDERS.map((folder): BenchCase => {
    const sweepBound = folder !== 'INBOX' && !notify
    const idle = idles.get(folder) as { exists: Moments, initial: number }
    const target = { key: `${folder} webhook`, folder, to: 'webhook', prefix: `latency-${folder.toLowerCase()}`, appender, delivered: hooks, idle }
    return {
      operation: `APPEND to ${folder} -> webhook | IDLE EXISTS${sweepBound ? ` (no NOTIFY: ${sweep} s sweep, ${SWEEP_BOUND_RUNS} runs)` : ''}`,
      observe: latencyRun(b, target),
      p99: true,
      // The watch is up after the first change; each further warm-up change costs half a second.
      limit: sweepBound ? { warmup: 1, iterations: SWEEP_BOUND_RUNS } : { warmup: LATENCY_WARMUP }
    }
  })
}

/**
 * The long-poll row: a LongPolling channel of {@link LONG_POLL_BOX} (maxNotifications 1), a
 * subscription to its callbackURL, and a poller keeping one poll open at a time from now until
 * teardown ({@link stopPolling}).
 */
async function longPollCase (b: BenchEnv): Promise<BenchCase> {
  const box = LONG_POLL_BOX
  const { gateway } = b.env
  const appender = await connect(b, box)
  const idle = await idleOn(b, box, 'INBOX')

  const created = await gateway.app.inject({
    method: 'POST',
    url: `/notificationchannel/v1/${encodeURIComponent(box)}/channels`,
    headers: { ...await b.env.auth(box), 'content-type': 'application/json' },
    payload: { notificationChannel: { channelType: 'LongPolling', channelData: { maxNotifications: 1 }, channelLifetime: 3600 } }
  })
  if (created.statusCode !== 201) throw new Error(`create channel: ${created.statusCode} ${created.body}`)
  const channel = (JSON.parse(created.body) as {
    notificationChannel: { channelData: { channelURL: string, maxNotifications: number }, callbackURL: string, resourceURL: string }
  }).notificationChannel
  if (channel.channelData.maxNotifications !== 1) throw new Error(`channel granted maxNotifications ${channel.channelData.maxNotifications}, not 1`)
  const pollPath = new URL(channel.channelData.channelURL).pathname
  // Deleting the channel ends its open poll (404) and takes its subscription with it.
  const remove = async (): Promise<void> => {
    const del = await gateway.app.inject({ method: 'DELETE', url: new URL(channel.resourceURL).pathname, headers: await b.env.auth(box) })
    if (del.statusCode !== 204 && del.statusCode !== 404) throw new Error(`delete channel: ${del.statusCode} ${del.body}`)
  }
  stopPolling = remove
  await subscribe(b, box, channel.callbackURL)

  const answers = new Moments()
  let stopping = false
  polls = { answered: 0, empty: 0, repeated: 0 }
  // One poll open at a time, the next as soon as the previous answered. A token each time: the
  // bench's tokens last 5 minutes, the poller runs for the rest of the suite.
  const poller = (async () => {
    for (;;) {
      const res = await gateway.app.inject({
        method: 'POST',
        url: pollPath,
        headers: { ...await b.env.auth(box), 'content-type': 'application/json' },
        payload: '{"longPollingRequestParameters":null}'
      })
      const now = performance.now()
      if (stopping) return
      if (res.statusCode !== 200) throw new Error(`long poll: ${res.statusCode} ${res.body}`)
      const lists = (JSON.parse(res.body) as { notificationList: EventListJson[] }).notificationList
      if (lists.length === 0) {
        // The hold time ran out: ask again, count nothing.
        polls.empty++
        continue
      }
      polls.answered++
      polls.repeated += markEvents(lists, answers, now).repeated
    }
  })().catch((err: unknown) => { answers.fail(err instanceof Error ? err : new Error(String(err))) })
  stopPolling = async () => {
    stopping = true
    await remove()
    const limit = new AbortController()
    await Promise.race([poller, sleep(POLL_END_MS, undefined, { signal: limit.signal }).catch(() => {})])
    limit.abort()
  }

  return {
    operation: 'APPEND to INBOX -> long poll | IDLE EXISTS',
    observe: latencyRun(b, { key: 'INBOX long poll', folder: 'INBOX', to: 'long poll', prefix: 'longpoll-inbox', appender, delivered: answers, idle }),
    p99: true,
    limit: { warmup: LATENCY_WARMUP }
  }
}

async function replayCase (b: BenchEnv, box: string, messages: number, query: FetchQueryObject): Promise<BenchCase> {
  const { config, gateway } = b.env
  const client = await connect(b, box)
  await client.mailboxCreate(REPLAY_FOLDER)
  const dir = path.join(b.env.dovecot.dir, 'mail', imapUserOf(box), 'Maildir', REPLAY_FOLDER)
  if (!await isMaildir(dir)) throw new Error(`the notifications suite seeds maildir files; ${dir} is not a maildir`)
  await seedMaildir(dir, messages)
  const status = await client.status(REPLAY_FOLDER, { messages: true, highestModseq: true })
  if (status === false || status.messages !== messages || status.highestModseq === undefined) {
    throw new Error(`replay folder holds ${String(status !== false && status.messages)} of ${messages}`)
  }

  const tracker = gateway.notifications.tracker
  const baseline = await tracker.sync(box)
  if (baseline.live !== undefined) throw new Error(`${box} was tracked already; expected a baseline`)
  const from = baseline.head.seq

  const lock = await client.getMailboxLock(REPLAY_FOLDER)
  try {
    for (let k = 0; k < HALF_CHANGES; k++) {
      await client.messageFlagsAdd(String(1 + k * Math.floor(messages / HALF_CHANGES)), ['\\Flagged'], { uid: true })
    }
  } finally {
    lock.release()
  }
  for (let k = 0; k < HALF_CHANGES; k++) {
    if (await client.append(REPLAY_FOLDER, latencyMessage(`replay-${messages}-${k}@bench.example`, k), []) === false) throw new Error('APPEND failed')
  }
  const outcome = await tracker.sync(box)
  const changes = 2 * HALF_CHANGES
  const live = outcome.live?.objects.reduce((n, o) => n + o.uids.length, 0)
  if (outcome.head.seq <= from || live !== changes) throw new Error(`sync after the changes saw ${String(live)} of ${changes} (seq ${from} -> ${outcome.head.seq})`)

  const ctx = tracker.context(box)
  const opts = { chunk: config.tracking.describeChunk, batch: config.notifications.maxEventsPerList }
  const raw = await connect(b, box)
  locks.push(await raw.getMailboxLock(REPLAY_FOLDER, { readOnly: true }))
  const since = status.highestModseq
  const label = messages.toLocaleString('en-US')

  return {
    operation: `replay after ${changes} changes, ${label}-message folder`,
    gateway: async () => {
      const plan = await tracker.replay(box, from, outcome)
      let described = 0
      for await (const batch of planEvents(ctx, plan, outcome.tree, opts)) {
        for (const e of batch) {
          if (e.type !== 'changedObject') throw new Error(`replay yielded ${e.type}`)
          described++
        }
      }
      if (described !== changes) throw new Error(`replay described ${described} of ${changes}`)
    },
    imapflow: async () => {
      const uids: number[] = []
      for await (const m of raw.fetch('1:*', { uid: true, flags: true }, { uid: true, changedSince: since })) uids.push(m.uid)
      if (uids.length !== changes) throw new Error(`CHANGEDSINCE returned ${uids.length} of ${changes}`)
      const metas = await raw.fetchAll(uids.join(','), query, { uid: true })
      if (metas.length !== changes) throw new Error(`imapflow fetched ${metas.length} of ${changes}`)
    }
  }
}

export const notificationsSuite: BenchSuite = {
  name: 'notifications',
  async setup (b: BenchEnv): Promise<BenchCase[]> {
    const query: FetchQueryObject = {
      uid: true, flags: true, internalDate: true, size: true, envelope: true, bodyStructure: true, headers: objectHeaderFields(b.env.config)
    }
    await provision(b, [LATENCY_BOX, LONG_POLL_BOX, ...REPLAY.map((r) => r.box)])
    const t0 = Date.now()
    const replays: BenchCase[] = []
    for (const r of REPLAY) replays.push(await replayCase(b, r.box, r.messages, query))
    console.log(`notifications: replay folders of ${REPLAY.map((r) => r.messages).join(' and ')} messages seeded and tracked in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    const latency = await latencyCases(b)
    return [...latency, await longPollCase(b), ...replays]
  },
  async teardown (): Promise<void> {
    for (const c of slow.values()) {
      if (c.slow > 0) {
        console.log(`notifications: ${c.slow} of ${c.total} changes to ${c.folder} took over ${SLOW_MS / 1000} s to reach the ${c.to} ` +
          `(not reported by Dovecot to the gateway's watch, found by the ${sweepSeconds} s sweep; see suites/notifications.ts)`)
      }
    }
    slow = new Map()
    if (stopPolling !== undefined) {
      console.log(`notifications: long poll answered ${polls.answered} times with notifications` +
        `${polls.repeated > 0 ? ` (${polls.repeated} changes carried again)` : ''}, ${polls.empty} times empty at the end of the hold time (re-issued, not counted)`)
    }
    await stopPolling?.().catch((err: unknown) => { console.error('notifications: long poll not ended:', err) })
    stopPolling = undefined
    await unsubscribe?.().catch(() => {})
    unsubscribe = undefined
    for (const l of locks) l.release()
    locks = []
    await Promise.all(opened.map(async (c) => { await c.logout().catch(() => {}) }))
    opened = []
    await sink?.close()
    sink = undefined
  }
}
