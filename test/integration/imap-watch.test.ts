/**
 * The watch session (src/imap/watch-session.ts) against the real Dovecot: RFC 5465 NOTIFY hints
 * for changes anywhere in the box, a 'connected' hint after every (re)connect, recovery from a
 * dropped connection (`doveadm kick`), the IDLE fallback when NOTIFY is refused, and a close()
 * that stops everything promptly. Login refusal and close() during a connect or a backoff wait
 * use a tiny fake IMAP server, which can refuse instantly or never greet.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import pino from 'pino'
import { imapUserOf, startTestEnv, type TestEnv } from '../helpers/env.js'
import { kickUser } from '../helpers/kick.js'
import { eventually } from '../helpers/eventually.js'
import { openWatch, type WatchHint, type WatchSession } from '../../src/imap/watch-session.js'
import type { Config } from '../../src/config/schema.js'

const BOX = { boxId: 'tel:+15550004001' }
const USER = imapUserOf(BOX.boxId)
const MESSAGE = 'From: a@example.com\r\nTo: b@example.com\r\nSubject: watch\r\n\r\nhello\r\n'
/** Every wait for a hint is bounded by this. */
const WAIT_MS = 10_000
/** Dovecot reports a change about 500 ms after it happened: three times that is "nothing comes". */
const QUIET_MS = 1500
const silent = pino({ level: 'silent' })

/** Records the hints of one watch, with their arrival times. */
class Hints {
  readonly seen: Array<{ hint: WatchHint, at: number }> = []
  readonly onChange = (hint: WatchHint): void => { this.seen.push({ hint, at: Date.now() }) }

  count (pred: (h: WatchHint) => boolean): number {
    return this.seen.filter((s) => pred(s.hint)).length
  }

  /** Position after the hints seen so far, for {@link next}. */
  mark (): number {
    return this.seen.length
  }

  /** Waits for a hint matching `pred` among those recorded after `mark`; returns its arrival time. */
  async next (pred: (h: WatchHint) => boolean, mark: number, what: string): Promise<number> {
    const hit = await eventually(`a hint for ${what}`, () =>
      this.seen.slice(mark).find((s) => pred(s.hint)) ?? assert.fail(`got ${JSON.stringify(this.seen.map((s) => s.hint))}`), { timeoutMs: WAIT_MS })
    return hit.at
  }
}

const about = (reason: WatchHint['reason'], path?: string) => (h: WatchHint): boolean =>
  h.reason === reason && (path === undefined || h.path === path)

/** Closes `w`, failing (rather than hanging) if that takes `ms` or longer. */
async function closeWithin (w: WatchSession, ms: number): Promise<void> {
  const t0 = Date.now()
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`close() still pending after ${ms} ms`)) }, ms) })
  try {
    await Promise.race([w.close(), late])
  } finally {
    clearTimeout(timer)
  }
  assert.ok(Date.now() - t0 < ms, `close() took ${Date.now() - t0} ms`)
}

/** Handles that keep the event loop alive (unref'd timers do not count), by type. */
function liveHandles (): Map<string, number> {
  const counts = new Map<string, number>()
  for (const r of process.getActiveResourcesInfo()) {
    if (r === 'Timeout' || r.startsWith('TCP')) counts.set(r, (counts.get(r) ?? 0) + 1)
  }
  return counts
}

/** Waits (bounded) until no more handles are alive than in `before`. */
async function assertNoLeftovers (before: Map<string, number>): Promise<void> {
  const excess = (): string[] => [...liveHandles()].filter(([k, n]) => n > (before.get(k) ?? 0)).map(([k, n]) => `${k}: ${n}`)
  await eventually('timers and sockets to go', () => { assert.deepEqual(excess(), [], 'timers or sockets left behind') }, {
    timeoutMs: 1000,
    intervalMs: 10
  })
}

/**
 * A fake IMAP server: `refuse` greets and answers every command with NO [AUTHENTICATIONFAILED]
 * at once (no 2 s auth_failure_delay as in Dovecot), `silent` accepts and never greets.
 */
async function fakeServer (mode: 'refuse' | 'silent'): Promise<{ port: number, connections: number[], close: () => Promise<void> }> {
  const connections: number[] = []
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    connections.push(Date.now())
    sockets.add(socket)
    socket.on('close', () => { sockets.delete(socket) })
    socket.on('error', () => {})
    if (mode === 'silent') return
    socket.write('* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] fake ready\r\n')
    let buffered = ''
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1')
      let eol: number
      while ((eol = buffered.indexOf('\r\n')) >= 0) {
        const tag = buffered.slice(0, eol).split(' ')[0] ?? '*'
        buffered = buffered.slice(eol + 2)
        socket.write(`${tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n`)
      }
    })
  })
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
  const port = (server.address() as net.AddressInfo).port
  return {
    port,
    connections,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => { server.close(() => { resolve() }) })
    }
  }
}

/**
 * A TCP proxy to Dovecot that renames the client's NOTIFY command, so Dovecot answers BAD
 * (unknown command) although it advertises NOTIFY: the "refused" fallback path.
 */
async function notifyBreakingProxy (host: string, port: number): Promise<{ port: number, close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>()
  const track = (s: net.Socket): void => {
    sockets.add(s)
    s.on('close', () => { sockets.delete(s) })
    s.on('error', () => { s.destroy() })
  }
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host)
    track(client)
    track(upstream)
    client.on('data', (d: Buffer) => { upstream.write(Buffer.from(d.toString('latin1').replace(/ NOTIFY SET /g, ' XNOTIFY SET '), 'latin1')) })
    upstream.pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => { server.close(() => { resolve() }) })
    }
  }
}

/** A pino logger writing JSON lines into `lines`. */
function capturingLogger (lines: string[]): pino.Logger {
  return pino({ level: 'debug' }, { write: (s: string) => { lines.push(s) } })
}

describe('IMAP watch session', () => {
  let env: TestEnv
  let config: Readonly<Config>
  const watches: WatchSession[] = []
  const crashes: unknown[] = []
  const onCrash = (err: unknown): void => { crashes.push(err) }
  const watch = (hints: Hints, cfg = config, logger = silent): WatchSession => {
    const w = openWatch(cfg, logger, BOX, hints.onChange)
    watches.push(w)
    return w
  }

  before(async () => {
    process.on('uncaughtException', onCrash)
    // distinctUids: as root every mail user would otherwise share one uid, and with it
    // the kernel's per-uid inotify limit that Dovecot's IDLE and NOTIFY depend on.
    env = await startTestEnv({ boxes: [BOX.boxId], noGateway: true, noRedis: true, dovecot: { distinctUids: true } })
    config = env.makeConfig({ imap: { connectTimeoutSeconds: 2, backoff: { initialMs: 100, maxMs: 400 } } })
  })
  after(async () => {
    const closing = await Promise.allSettled(watches.map(async (w) => { await closeWithin(w, 5000) }))
    await env.close()
    process.off('uncaughtException', onCrash)
    assert.deepEqual(closing.filter((r) => r.status === 'rejected'), [])
    assert.deepEqual(crashes, [])
  })

  it('reports APPEND, flag change and expunge in another folder, CREATE, RENAME and an APPEND to INBOX via NOTIFY', async (t) => {
    const hints = new Hints()
    const w = watch(hints)
    await hints.next(about('connected'), 0, 'the first connect')
    assert.equal(w.mode, 'notify')
    const other = await env.imap(BOX.boxId)
    const latencies: Record<string, number> = {}
    /** Runs `action` and waits for the hint it must cause. */
    const expectHint = async (what: string, path: string, action: () => Promise<unknown>): Promise<void> => {
      const mark = hints.mark()
      const t0 = Date.now()
      await action()
      latencies[what] = await hints.next(about('notify', path), mark, what) - t0
    }
    try {
      await expectHint('CREATE', 'Work', async () => await other.mailboxCreate('Work'))
      await expectHint('APPEND Work', 'Work', async () => await other.append('Work', MESSAGE))
      await other.mailboxOpen('Work')
      await expectHint('flag change in Work', 'Work', async () => await other.messageFlagsAdd('1', ['\\Flagged']))
      await expectHint('expunge in Work', 'Work', async () => await other.messageDelete('1'))
      await other.mailboxClose()
      await expectHint('RENAME Work -> Done', 'Done', async () => await other.mailboxRename('Work', 'Done'))
      await expectHint('APPEND INBOX', 'INBOX', async () => await other.append('INBOX', MESSAGE))
      // Non-ASCII names: Dovecot sends them raw in UTF-8 (not modified UTF-7); either way the hint has the real name.
      await expectHint('CREATE non-ASCII', 'Ablage-\u00e4', async () => await other.mailboxCreate('Ablage-\u00e4'))
    } finally {
      await other.logout()
    }
    t.diagnostic(`change -> hint latency (ms): ${JSON.stringify(latencies)}`)
    t.diagnostic(`hints: ${JSON.stringify(hints.seen.map((s) => s.hint))}`)
    assert.equal(hints.count(about('connected')), 1, 'no reconnect happened')
    assert.equal(w.mode, 'notify')
    await closeWithin(w, 2000)
  })

  it('reconnects by itself after the server drops the connection, says connected again, and keeps reporting', async (t) => {
    const hints = new Hints()
    const w = watch(hints)
    await hints.next(about('connected'), 0, 'the first connect')
    const modeWhenConnected: string[] = []
    for (let round = 1; round <= 2; round++) {
      const t0 = Date.now()
      // doveadm kick: Dovecot sends BYE and closes the session (as on an IMAP process crash).
      await kickUser(env.dovecot, USER)
      await eventually(`reconnect #${round}`, () => hints.count(about('connected')) === round + 1, { timeoutMs: WAIT_MS })
      modeWhenConnected.push(w.mode)
      t.diagnostic(`kick #${round} -> connected again after ${Date.now() - t0} ms`)
      const other = await env.imap(BOX.boxId)
      try {
        const mark = hints.mark()
        await other.append('Done', MESSAGE)
        await hints.next(about('notify', 'Done'), mark, `APPEND after reconnect #${round}`)
      } finally {
        await other.logout()
      }
    }
    assert.deepEqual(modeWhenConnected, ['notify', 'notify'])
    await closeWithin(w, 2000)
  })

  it('close() stops it promptly: no hints afterwards, no connection, no timers', async () => {
    const handles = liveHandles()
    const hints = new Hints()
    const w = watch(hints)
    await hints.next(about('connected'), 0, 'the first connect')
    await closeWithin(w, 1000)
    assert.equal(w.mode, 'connecting')
    await w.close() // idempotent
    const seen = hints.seen.length
    const other = await env.imap(BOX.boxId)
    try {
      await other.append('INBOX', MESSAGE)
      await other.append('Done', MESSAGE)
      await sleep(QUIET_MS)
    } finally {
      await other.logout()
    }
    assert.equal(hints.seen.length, seen, `hints after close: ${JSON.stringify(hints.seen.slice(seen))}`)
    await assertNoLeftovers(handles)
  })

  it('falls back to IDLE on INBOX when NOTIFY is refused, and survives an onChange that throws', async () => {
    const proxy = await notifyBreakingProxy(env.dovecot.host, env.dovecot.port)
    try {
      const hints = new Hints()
      const throwing = (h: WatchHint): void => {
        hints.onChange(h)
        throw new Error('caller bug')
      }
      const w = openWatch(env.makeConfig({}, { NMS_IMAP_PORT: String(proxy.port) }), silent, BOX, throwing)
      watches.push(w)
      await hints.next(about('connected'), 0, 'the first connect')
      assert.equal(w.mode, 'idle')
      const other = await env.imap(BOX.boxId)
      try {
        for (let i = 0; i < 2; i++) {
          const mark = hints.mark()
          await other.append('INBOX', MESSAGE)
          await hints.next(about('idle', 'INBOX'), mark, `APPEND INBOX #${i + 1} under IDLE`)
        }
      } finally {
        await other.logout()
      }
      assert.equal(hints.count(about('notify')), 0)
      assert.equal(hints.count(about('connected')), 1)
      await closeWithin(w, 2000)
    } finally {
      await proxy.close()
    }
  })

  it('a refused login backs off (no hammering), warns, never logs the password, and close() ends the backoff wait', async () => {
    const fake = await fakeServer('refuse')
    const handles = liveHandles()
    const lines: string[] = []
    const cfg = env.makeConfig({ imap: { backoff: { initialMs: 100, maxMs: 400 } } }, { NMS_IMAP_PORT: String(fake.port) })
    try {
      const hints = new Hints()
      const w = watch(hints, cfg, capturingLogger(lines))
      await eventually('five login attempts', () => fake.connections.length >= 5, { timeoutMs: WAIT_MS })
      const gaps = fake.connections.slice(1).map((at, i) => at - (fake.connections[i] ?? at))
      assert.ok(gaps.every((g) => g >= 90), `attempts must be spaced by the backoff (>= initialMs): ${gaps.join(', ')} ms`)
      assert.equal(w.mode, 'connecting')
      assert.equal(hints.seen.length, 0)
      await closeWithin(w, 500)
      const attempts = fake.connections.length
      await sleep(500) // longer than any backoff delay: no attempt after close
      assert.equal(fake.connections.length, attempts)
      const logs = lines.join('')
      assert.match(logs, /IMAP watch connection failing repeatedly/)
      const master = cfg.imap.masterPassword ?? assert.fail('master password expected')
      assert.ok(!logs.includes(master), 'the password must not be logged')
      assert.ok(!logs.includes(Buffer.from(`${USER}\0${cfg.imap.masterUser ?? ''}\0${master}`).toString('base64')), 'nor the SASL PLAIN message')
    } finally {
      await fake.close()
    }
    await assertNoLeftovers(handles)
  })

  it('close() during a connect attempt that hangs (no greeting) ends it at once', async () => {
    const fake = await fakeServer('silent')
    const handles = liveHandles()
    try {
      const hints = new Hints()
      // Greeting timeout 10 s: only close() can end this attempt within the test.
      const w = watch(hints, env.makeConfig({ imap: { connectTimeoutSeconds: 10 } }, { NMS_IMAP_PORT: String(fake.port) }))
      await eventually('the connect attempt', () => fake.connections.length === 1, { timeoutMs: WAIT_MS })
      await closeWithin(w, 500)
      assert.equal(hints.seen.length, 0)
      await assertNoLeftovers(handles)
      assert.equal(fake.connections.length, 1)
    } finally {
      await fake.close()
    }
  })

  it('close() during a backoff wait ends it at once, leaving no timer behind', async () => {
    const fake = await fakeServer('refuse')
    const handles = liveHandles()
    const lines: string[] = []
    try {
      const hints = new Hints()
      // 5 s backoff: a timer still pending after close() would outlive the 1 s leftover check.
      const cfg = env.makeConfig({ imap: { backoff: { initialMs: 5000, maxMs: 5000 } } }, { NMS_IMAP_PORT: String(fake.port) })
      const w = watch(hints, cfg, capturingLogger(lines))
      await eventually('the first refusal', () => lines.some((l) => l.includes('IMAP watch connect failed; backing off')), { timeoutMs: WAIT_MS })
      await closeWithin(w, 500)
      await assertNoLeftovers(handles)
      assert.equal(fake.connections.length, 1)
      assert.equal(hints.seen.length, 0)
    } finally {
      await fake.close()
    }
  })
})
