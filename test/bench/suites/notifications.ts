/**
 * Change notifications (issue 5): how soon a change made by another IMAP client reaches a
 * webhook, and what a restartToken rewind costs in a small and in a huge folder. The suite
 * provisions boxes of its own; test/bench/env.ts's box and folder are left untouched.
 *
 * **Latency** (box `tel:+15550009101`, subscribed through the HTTP app to a receiver on
 * 127.0.0.1, test/helpers/webhook-sink.ts). Each run is one APPEND to INBOX or to the folder
 * `Work` by a second IMAP client (not the gateway's), seen from both sides at once (an
 * ObservedCase, test/bench/framework.ts):
 * - gateway columns: from the APPEND's tagged OK to the webhook request carrying that message
 *   (matched by `correlationId`, the Message-ID without angle brackets) reaching the receiver;
 * - imapflow columns: from the same OK to the `exists` event of an imapflow client IDLEing on
 *   that folder (IDLE reports only the selected mailbox, so one such client per folder), which
 *   is Dovecot's own IDLE delay;
 * - median is p50; p95 and p99 over `--iterations` (default 200) changes per folder, after at
 *   most 5 warm-up changes (the watch is up after the first).
 * A run waits for both before the next APPEND, so each change is measured alone (latency, not
 * throughput). Where the time goes: Dovecot reports a change through a 500 ms timer
 * (NOTIFY_DELAY_MSECS, for IDLE in mailbox-watch.c and for NOTIFY's STATUS of other mailboxes in
 * mailbox-list-notify-index.c) started by the first file change it notices, so its report comes
 * up to about half a second after the APPEND, to the IDLEing client and to the gateway's watch
 * alike; the gateway then waits `tracking.coalesceMs` (30 ms by default) and needs a few
 * milliseconds to sync the box (LIST-STATUS, CHANGEDSINCE, Redis commit), describe the message
 * (FETCH), queue the list and POST it. Sometimes a sync started for something else (the
 * sweep, a duplicate report) catches a change before Dovecot reports it; the watch's own sync
 * for that change then follows its report by `coalesceMs`, and the run waits for that too (not
 * more), or it would catch the next APPEND at once and every later figure would be the loop's
 * rhythm rather than a latency.
 *
 * Without NOTIFY (Dovecot advertises it only with `mailbox_list_index = yes`) the watch IDLEs
 * on INBOX only and a change in `Work` waits for the periodic sweep (`watch.sweepSeconds`);
 * that row then has 10 runs only, and since each APPEND follows the previous sweep closely
 * they show about the whole interval, i.e. the worst case. With NOTIFY, Dovecot 2.3.19 stops
 * reporting other mailboxes to a long-lived session once its `dovecot.list.index.log` rotates
 * (at 64 KiB, about 190 changes to a non-INBOX folder here): from then on those changes too
 * wait for the sweep. The suite prints how many changes took over a second, so such a tail
 * in p95/p99 is explained.
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

let opened: ImapFlow[] = []
let locks: MailboxLockObject[] = []
let sink: WebhookSink | undefined
let unsubscribe: (() => Promise<void>) | undefined
/** Per latency folder: changes measured, and those that took over {@link SLOW_MS} to the webhook. */
let slow = new Map<string, { total: number, slow: number }>()
let sweepSeconds = 0

/** Moments something happened (performance.now()), by key, and waiters for those not yet seen. */
class Moments {
  private readonly at = new Map<string, number>()
  private readonly waiters = new Map<string, () => void>()

  mark (key: string, t: number): void {
    if (this.at.has(key)) return
    this.at.set(key, t)
    this.waiters.get(key)?.()
  }

  /** When `key` happened; waits for it at most `WAIT_MS`. */
  async when (key: string, what: string): Promise<number> {
    const seen = this.at.get(key)
    if (seen !== undefined) return seen
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key)
        reject(new Error(`notifications bench: no ${what} within ${WAIT_MS} ms`))
      }, WAIT_MS)
      this.waiters.set(key, () => {
        clearTimeout(timer)
        this.waiters.delete(key)
        resolve()
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

async function latencyCases (b: BenchEnv): Promise<BenchCase[]> {
  const box = LATENCY_BOX
  const appender = await connect(b, box)
  await appender.mailboxCreate('Work')

  const hooks = new Moments()
  const exists = new Moments()
  const receiver = await startWebhookSink()
  sink = receiver
  receiver.respond = (req) => {
    const now = performance.now()
    for (const e of (req.json as EventListJson | undefined)?.nmsEventList.nmsEvent ?? []) {
      const id = e.changedObject?.correlationId
      if (typeof id === 'string') hooks.mark(id, now)
    }
    return { status: 204 }
  }

  // One IDLEing client per folder: the Dovecot side of the comparison.
  const initial = new Map<string, number>()
  for (const folder of LATENCY_FOLDERS) {
    const idler = await connect(b, box)
    const mailbox = await idler.mailboxOpen(folder)
    initial.set(folder, mailbox.exists)
    idler.on('exists', (d: { count: number, prevCount: number }) => {
      const now = performance.now()
      for (let n = d.prevCount + 1; n <= d.count; n++) exists.mark(`${folder}#${n}`, now)
    })
    idler.idle().catch(() => {})
  }
  unsubscribe = await subscribe(b, box, receiver.url)

  const tag = Date.now().toString(36)
  const coalesceMs = b.env.config.tracking.coalesceMs
  const appended = new Map<string, number>()
  /** One APPEND to `folder`; its webhook's and its EXISTS's delays after the APPEND's OK. */
  const change = async (folder: string, i: number): Promise<{ gateway: number, imapflow: number }> => {
    const id = `latency-${folder.toLowerCase()}-${i}.${tag}@bench.example`
    const n = (appended.get(folder) ?? 0) + 1
    appended.set(folder, n)
    const res = await appender.append(folder, latencyMessage(id, i), [])
    const t0 = performance.now()
    if (res === false) throw new Error(`APPEND to ${folder} failed`)
    const [hook, seen] = await Promise.all([
      hooks.when(id, `webhook for ${id}`),
      exists.when(`${folder}#${(initial.get(folder) ?? 0) + n}`, `EXISTS for ${id} in ${folder}`)
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
    const count = slow.get(folder) ?? { total: 0, slow: 0 }
    slow.set(folder, { total: count.total + 1, slow: count.slow + (hook - t0 > SLOW_MS ? 1 : 0) })
    return { gateway: hook - t0, imapflow: seen - t0 }
  }

  // Without NOTIFY the gateway's watch IDLEs on INBOX only (src/imap/watch-session.ts), and a
  // change elsewhere waits for the periodic sweep: every run takes that long, so few are made.
  const notify = appender.capabilities.has('NOTIFY')
  const sweep = b.env.config.watch.sweepSeconds
  sweepSeconds = sweep
  return LATENCY_FOLDERS.map((folder): BenchCase => {
    const sweepBound = folder !== 'INBOX' && !notify
    return {
      operation: `APPEND to ${folder} -> webhook | IDLE EXISTS${sweepBound ? ` (no NOTIFY: ${sweep} s sweep, ${SWEEP_BOUND_RUNS} runs)` : ''}`,
      observe: async (i) => await change(folder, i),
      p99: true,
      // The watch is up after the first change; each further warm-up change costs half a second.
      limit: sweepBound ? { warmup: 1, iterations: SWEEP_BOUND_RUNS } : { warmup: LATENCY_WARMUP }
    }
  })
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
    await provision(b, [LATENCY_BOX, ...REPLAY.map((r) => r.box)])
    const t0 = Date.now()
    const replays: BenchCase[] = []
    for (const r of REPLAY) replays.push(await replayCase(b, r.box, r.messages, query))
    console.log(`notifications: replay folders of ${REPLAY.map((r) => r.messages).join(' and ')} messages seeded and tracked in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    return [...await latencyCases(b), ...replays]
  },
  async teardown (): Promise<void> {
    for (const [folder, c] of slow) {
      if (c.slow > 0) {
        console.log(`notifications: ${c.slow} of ${c.total} changes to ${folder} took over ${SLOW_MS / 1000} s to reach the webhook ` +
          `(not reported by Dovecot to the gateway's watch, found by the ${sweepSeconds} s sweep; see suites/notifications.ts)`)
      }
    }
    slow = new Map()
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
