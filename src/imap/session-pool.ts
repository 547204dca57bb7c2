/**
 * The IMAP session pool (architecture.md sections 2 and 7): logged-in ImapFlow sessions per box,
 * bounded per box (`imap.pool.maxPerBox`) and overall (`imap.pool.maxTotal`). Callers beyond a
 * bound wait in FIFO order for up to `acquireTimeoutSeconds`, then get 503. Idle sessions are
 * logged out after `idleSeconds`. imapflow never reconnects by itself, so a session that emits
 * 'close' or 'error' is dropped and the next acquire builds a new one; after a failed connect
 * the box backs off (exponential, full jitter) and acquires fail fast with 503 + Retry-After.
 *
 * Sessions are keyed by IMAP user. In `oauthbearer` mode a session opened with one caller's token
 * serves later callers of the same box too: the gateway has verified their tokens already, and
 * a session's login is fixed once it is made (RFC 7628 has no re-authentication).
 */
import { ImapFlow } from 'imapflow'
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import type { BoxAccess, ImapPoolStats } from './types.js'
import { Backoff, retryAfterSeconds } from './backoff.js'
import { classifyImapError, isUnavailableError } from './classify-error.js'
import { imapUserFor } from './imap-user.js'
import { sessionOptions } from './client-options.js'
import { isEmptyAnswer, settlesDead } from './mailbox-access.js'

interface Session {
  readonly client: ImapFlow
  readonly user: string
  busy: boolean
  /** Set once the socket is gone (or we closed it); never handed out again. */
  dead: boolean
  idleTimer: NodeJS.Timeout | undefined
  lastUsed: number
  /** When it logged in; it retires after `imap.pool.maxSessionAgeSeconds`. */
  readonly createdAt: number
}

interface Waiter {
  readonly user: string
  readonly box: BoxAccess
  readonly resolve: (s: Session) => void
  readonly reject: (err: unknown) => void
  readonly timer: NodeJS.Timeout
}

/** Options of one {@link SessionPool.run}. */
export interface RunOptions {
  /** Safe to repeat on a fresh session when a reused one turns out to be dead (reads). */
  idempotent?: boolean
}

/** A session leased by {@link SessionPool.lease}. */
export interface SessionLease {
  readonly client: ImapFlow
  /** Gives the session back; `broken` closes it instead. Idempotent. */
  release(broken?: boolean): void
}

export class SessionPool {
  private readonly sessions = new Map<string, Set<Session>>()
  /** Sessions being connected, by user: they count against the bounds. */
  private readonly connecting = new Map<string, number>()
  private readonly backoffs = new Map<string, Backoff>()
  private waiters: Waiter[] = []
  private total = 0
  private closed = false
  private dispatching = false
  private dispatchAgain = false

  constructor (private readonly config: Readonly<Config>, private readonly logger: Logger) {}

  /**
   * Runs `fn` with a logged-in session of the box. Errors come back classified (GatewayError).
   * A session whose command ran past `commandTimeoutSeconds` is closed and the call fails 503.
   */
  async run<T>(box: BoxAccess, fn: (client: ImapFlow) => Promise<T>, opts: RunOptions = {}): Promise<T> {
    const ctx = { mode: this.config.imap.auth, boxId: box.boxId }
    const user = imapUserFor(this.config.imap.userTemplate, box.boxId)
    for (let attempt = 0; ; attempt++) {
      const session = await this.acquire(user, box)
      const reused = session.lastUsed !== 0
      try {
        return await this.withCommandTimeout(session, fn)
      } catch (caught) {
        let err = caught
        // An empty answer may be a session dying under the command (its BYE read a moment later).
        if (isEmptyAnswer(err) && await settlesDead(session.client)) {
          err = Object.assign(new Error('IMAP session closed during the command'), { code: 'NoConnection', cause: caught })
        }
        if (isUnavailableError(err)) this.kill(session)
        // A pooled session can die unnoticed (server restart): one retry on a fresh session.
        if (opts.idempotent === true && reused && attempt === 0 && isUnavailableError(err)) continue
        throw classifyImapError(err, ctx)
      } finally {
        this.release(session)
      }
    }
  }

  /**
   * Leases a session beyond one call, for streams that outlive it (openStream). The caller
   * must call `release` exactly once (later calls are ignored), with `broken` when the session
   * may be mid-command (a stream destroyed before its FETCH finished): it is then closed rather
   * than reused. No command timeout applies; imapflow's socket timeout still does.
   */
  async lease (box: BoxAccess): Promise<SessionLease> {
    const user = imapUserFor(this.config.imap.userTemplate, box.boxId)
    let session: Session
    try {
      session = await this.acquire(user, box)
    } catch (err) {
      throw classifyImapError(err, { mode: this.config.imap.auth, boxId: box.boxId })
    }
    let released = false
    return {
      client: session.client,
      release: (broken = false) => {
        if (released) return
        released = true
        if (broken) this.kill(session)
        this.release(session)
      }
    }
  }

  /** Current counts. */
  stats (): ImapPoolStats {
    const perBox: Record<string, number> = {}
    for (const [user, set] of this.sessions) if (set.size > 0) perBox[user] = set.size
    for (const [user, n] of this.connecting) if (n > 0) perBox[user] = (perBox[user] ?? 0) + n
    return { total: this.total, perBox, waiting: this.waiters.length }
  }

  /** Logs out every session and fails every waiter; later acquires fail with 503. */
  async close (): Promise<void> {
    this.closed = true
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) {
      clearTimeout(w.timer)
      w.reject(unavailable(1000, 'IMAP pool closed'))
    }
    const all = [...this.sessions.values()].flatMap((s) => [...s])
    await Promise.all(all.map(async (s) => { await this.logout(s) }))
  }

  private async withCommandTimeout<T>(session: Session, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    const ms = this.config.imap.commandTimeoutSeconds * 1000
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const err = Object.assign(new Error(`IMAP command timed out after ${ms} ms`), { code: 'COMMAND_TIMEOUT' })
        // Closing the socket also rejects the command in flight, so nothing stays pending.
        this.kill(session)
        reject(err)
      }, ms)
    })
    try {
      return await Promise.race([fn(session.client), timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  private async acquire (user: string, box: BoxAccess): Promise<Session> {
    if (this.closed) throw unavailable(1000, 'IMAP pool closed')
    // A live session is usable even while new connects back off.
    const idle = this.takeIdle(user)
    if (idle !== undefined) return idle
    this.failIfBackingOff(user)
    if (this.hasRoom(user)) return await this.open(user, box)
    return await new Promise<Session>((resolve, reject) => {
      const timeoutMs = this.config.imap.pool.acquireTimeoutSeconds * 1000
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter)
        // Sessions free up as soon as the commands ahead finish: retrying soon is reasonable.
        reject(unavailable(1000, `no IMAP session for ${user} within ${timeoutMs} ms (pool exhausted)`))
      }, timeoutMs)
      timer.unref()
      const waiter: Waiter = { user, box, resolve, reject, timer }
      this.waiters.push(waiter)
    })
  }

  private failIfBackingOff (user: string): void {
    const remaining = this.backoffs.get(user)?.remaining(Date.now()) ?? 0
    if (remaining > 0) throw unavailable(remaining, `IMAP connect for ${user} backing off ${remaining} ms`)
  }

  private takeIdle (user: string): Session | undefined {
    for (const s of [...(this.sessions.get(user) ?? [])]) {
      if (!s.busy && this.retired(s)) {
        this.logoutLater(s)
        continue
      }
      if (!s.busy && !s.dead && s.client.usable) {
        s.busy = true
        clearTimeout(s.idleTimer)
        s.idleTimer = undefined
        return s
      }
    }
    return undefined
  }

  private countOf (user: string): number {
    return (this.sessions.get(user)?.size ?? 0) + (this.connecting.get(user) ?? 0)
  }

  /** Room for one more session of `user`, evicting another box's idle session if only the total bound is hit. */
  private hasRoom (user: string): boolean {
    const pool = this.config.imap.pool
    if (this.countOf(user) >= pool.maxPerBox) return false
    if (this.total < pool.maxTotal) return true
    return this.evictOldestIdle()
  }

  private evictOldestIdle (): boolean {
    let oldest: Session | undefined
    for (const set of this.sessions.values()) {
      for (const s of set) if (!s.busy && (oldest === undefined || s.lastUsed < oldest.lastUsed)) oldest = s
    }
    if (oldest === undefined) return false
    this.logoutLater(oldest)
    return true
  }

  /** Connects a new session for `user`; the slot is counted while connecting. */
  private async open (user: string, box: BoxAccess): Promise<Session> {
    this.total++
    this.connecting.set(user, (this.connecting.get(user) ?? 0) + 1)
    let client: ImapFlow
    try {
      client = new ImapFlow(sessionOptions(this.config, this.logger, user, box.accessToken))
    } catch (err) {
      this.endConnecting(user)
      throw err
    }
    const opened: { session?: Session } = {}
    // Without an 'error' listener a dropped socket would crash the process (EventEmitter rule).
    // imapflow never recovers a session after 'error', so it leaves the pool at once.
    client.on('error', (err: unknown) => {
      this.logger.debug({ err, user }, 'IMAP session error')
      if (opened.session !== undefined) this.kill(opened.session)
    })
    try {
      await client.connect()
    } catch (err) {
      this.endConnecting(user)
      client.close()
      let retryAfterMs: number | undefined
      if (isUnavailableError(err)) {
        const backoff = this.backoffOf(user)
        retryAfterMs = backoff.fail(Date.now())
        this.logger.warn({ user, code: (err as { code?: unknown }).code, failures: backoff.failureCount, retryAfterMs }, 'IMAP connect failed; backing off')
      } else {
        this.logger.info({ user, code: (err as { serverResponseCode?: unknown }).serverResponseCode }, 'IMAP login refused')
      }
      this.dispatch()
      throw classifyImapError(err, { mode: this.config.imap.auth, boxId: box.boxId, retryAfterMs })
    }
    this.backoffs.delete(user)
    this.endConnecting(user, false)
    const session: Session = {
      client, user, busy: true, dead: false, idleTimer: undefined, lastUsed: 0, createdAt: Date.now()
    }
    opened.session = session
    let set = this.sessions.get(user)
    if (set === undefined) this.sessions.set(user, set = new Set())
    set.add(session)
    client.once('close', () => {
      this.logger.debug({ user }, 'IMAP session closed')
      this.remove(session)
    })
    if (this.closed) {
      // close() ran while this one was connecting: it must not outlive the pool.
      session.busy = false
      this.logoutLater(session)
      throw unavailable(1000, 'IMAP pool closed')
    }
    return session
  }

  private endConnecting (user: string, freeSlot = true): void {
    const n = (this.connecting.get(user) ?? 1) - 1
    if (n > 0) this.connecting.set(user, n)
    else this.connecting.delete(user)
    if (freeSlot) this.total--
  }

  private backoffOf (user: string): Backoff {
    let b = this.backoffs.get(user)
    if (b === undefined) {
      b = new Backoff(this.config.imap.backoff)
      this.backoffs.set(user, b)
    }
    return b
  }

  /**
   * A session past its age is logged out instead of reused: Dovecot 2.3's mailbox list index can
   * leave a long-lived session's LIST without mailboxes other sessions created (seen after a
   * DELETE racing a LIST), and a new session always lists what is there.
   */
  private retired (session: Session): boolean {
    return Date.now() - session.createdAt > this.config.imap.pool.maxSessionAgeSeconds * 1000
  }

  private release (session: Session): void {
    session.busy = false
    session.lastUsed = Date.now()
    if (session.dead || !session.client.usable) {
      this.remove(session)
      return
    }
    if (this.retired(session)) {
      this.logoutLater(session)
      return
    }
    if (this.handToWaiter(session)) return
    session.idleTimer = setTimeout(() => {
      this.logger.debug({ user: session.user }, 'IMAP session idle; logging out')
      this.logoutLater(session)
    }, this.config.imap.pool.idleSeconds * 1000)
    session.idleTimer.unref()
    // A waiter for another box may be able to use the room this session frees on eviction.
    this.dispatch()
  }

  /** Gives a released session straight to the first waiter of the same box. */
  private handToWaiter (session: Session): boolean {
    const i = this.waiters.findIndex((w) => w.user === session.user)
    if (i < 0) return false
    const [w] = this.waiters.splice(i, 1)
    if (w === undefined) return false
    clearTimeout(w.timer)
    session.busy = true
    w.resolve(session)
    return true
  }

  /**
   * Serves waiters, oldest first, that can now get an idle session or room for a new one.
   * Re-entrant calls (an eviction frees a slot while dispatching) just ask for another pass.
   */
  private dispatch (): void {
    if (this.closed) return
    if (this.dispatching) {
      this.dispatchAgain = true
      return
    }
    this.dispatching = true
    try {
      do {
        this.dispatchAgain = false
        for (const w of [...this.waiters]) {
          if (!this.waiters.includes(w)) continue
          const remaining = this.backoffs.get(w.user)?.remaining(Date.now()) ?? 0
          if (remaining > 0) {
            this.dropWaiter(w)
            w.reject(unavailable(remaining, `IMAP connect for ${w.user} backing off ${remaining} ms`))
            continue
          }
          const idle = this.takeIdle(w.user)
          if (idle !== undefined) {
            this.dropWaiter(w)
            w.resolve(idle)
            continue
          }
          if (this.hasRoom(w.user)) {
            this.dropWaiter(w)
            this.open(w.user, w.box).then(w.resolve, w.reject)
          }
        }
      } while (this.dispatchAgain)
    } finally {
      this.dispatching = false
    }
  }

  private dropWaiter (w: Waiter): void {
    clearTimeout(w.timer)
    this.waiters = this.waiters.filter((x) => x !== w)
  }

  /** Marks a session unusable, takes it out of the pool and drops its socket. */
  private kill (session: Session): void {
    this.remove(session)
    session.client.close()
  }

  /**
   * Takes a session out of the pool. A busy one is only marked dead: its slot stays counted
   * until {@link release}, so the bounds hold even while a dying command unwinds.
   */
  private remove (session: Session): void {
    session.dead = true
    clearTimeout(session.idleTimer)
    session.idleTimer = undefined
    if (session.busy) return
    const set = this.sessions.get(session.user)
    if (set?.delete(session) !== true) return
    if (set.size === 0) this.sessions.delete(session.user)
    this.total--
    this.dispatch()
  }

  /** Logs out in the background (eviction, late connects); failures only mean the socket is gone. */
  private logoutLater (session: Session): void {
    this.logout(session).catch((err: unknown) => { this.logger.debug({ err, user: session.user }, 'IMAP logout failed') })
  }

  private async logout (session: Session): Promise<void> {
    this.remove(session)
    if (session.client.usable) {
      try {
        await session.client.logout()
      } catch {
        // The socket is gone already; close() below is what matters.
      }
    }
    session.client.close()
  }
}

function unavailable (retryMs: number, detail: string): GatewayError {
  return new GatewayError('GW_ERR_IMAP_UNAVAILABLE', {
    variables: ['IMAP'],
    headers: { 'Retry-After': retryAfterSeconds(retryMs) },
    detail
  })
}
