/**
 * The watch session of one box: a dedicated, long-lived IMAP connection whose only job is to
 * tell the caller "something changed in this box" as soon as the server says so. The caller
 * re-synchronises the box from its own stored state, so a hint only has to be timely, never
 * exact: duplicates and spurious hints are harmless, silence while the box changes is not.
 *
 * How the server is made to talk:
 * - RFC 5465 NOTIFY (Dovecot 2.3 has it): after EXAMINE INBOX the session sends
 *   `NOTIFY SET (SELECTED (MessageNew MessageExpunge FlagChange))
 *   (PERSONAL (MessageNew MessageExpunge FlagChange MailboxName))`. Changes to the selected
 *   INBOX then arrive as EXISTS / EXPUNGE (VANISHED) / FETCH FLAGS, which imapflow turns into
 *   its 'exists' / 'expunge' / 'flags' events; changes to every other personal mailbox arrive
 *   as unsolicited STATUS (RFC 5465 section 5.1-5.3) and mailbox creation, deletion and
 *   renaming as unsolicited LIST (section 5.4). Those two come outside any command, so they
 *   are caught with global handlers in imapflow's `untaggedHandlers` map.
 * - Without NOTIFY (not advertised, or refused with NO/BAD) the session falls back to plain
 *   RFC 2177 IDLE on INBOX: only INBOX changes are seen, the caller's periodic sweep has to
 *   cover the other folders.
 * - Either way the connection stays in IDLE, restarted every few minutes (`maxIdleTime`):
 *   RFC 2177 section 3 asks clients to re-issue IDLE at least every 29 minutes, and NAT boxes
 *   drop silent flows much sooner. The socket watchdog is longer than that interval, so only a
 *   really dead connection trips it.
 * - QRESYNC (RFC 7162) is enabled, which implies CONDSTORE: expunges come as VANISHED with
 *   UIDs, and NOTIFY's STATUS for a flag change in another mailbox carries the HIGHESTMODSEQ
 *   that changed (without CONDSTORE a flag change elsewhere would have nothing to report).
 *
 * imapflow never reconnects by itself. After 'close' (or 'error', which closes) the session
 * builds a new ImapFlow after an exponential, full-jitter backoff, until close() is called.
 * Every successful (re)connect ends with a 'connected' hint, because the box may have changed
 * while nobody was listening. A connection that dies soon after it was set up counts as a
 * failure, so a server that accepts and then drops every session is not hammered either.
 */
import { ImapFlow, type ImapFlowOptions } from 'imapflow'
import { decodePath } from 'imapflow/lib/tools.js'
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import type { BoxAccess } from './types.js'
import type { WatchHint, WatchSession } from './change-types.js'
import { Backoff } from './backoff.js'
import { authOptions, imapflowLogger, transportOptions } from './client-options.js'
import { imapUserFor } from './imap-user.js'

export type { WatchHint, WatchSession }

/** IDLE is broken and re-issued this often (RFC 2177: < 29 min; common NAT timeouts: ~5 min). */
const MAX_IDLE_MS = 4 * 60_000
/** Socket inactivity watchdog: longer than an IDLE period, so only a dead connection trips it. */
const SOCKET_TIMEOUT_MS = MAX_IDLE_MS + 60_000
/**
 * imapflow re-enters IDLE this long after the last command. Its default (15 s) protects callers
 * running command sequences; this connection runs none after its setup.
 */
const AUTO_IDLE_DELAY_MS = 1000
/** A connection that lived this long was healthy: its loss starts the backoff afresh. */
const STABLE_MS = 60_000
/** close() waits this long for the server to answer LOGOUT before dropping the socket. */
const LOGOUT_TIMEOUT_MS = 2000

/** The NOTIFY events of RFC 5465 section 5 the watcher asks for. */
const MESSAGE_EVENTS = ['MessageNew', 'MessageExpunge', 'FlagChange']

/**
 * Starts watching `box`; `onChange` is called for every hint (exceptions it throws are logged and
 * otherwise ignored). The first connect starts at once; the session keeps reconnecting until
 * {@link WatchSession.close}.
 *
 * @throws GatewayError GW_ERR_INPUT_INVALID when the box id yields no usable IMAP user.
 */
export function openWatch (
  config: Readonly<Config>, logger: Logger, box: BoxAccess,
  onChange: (hint: WatchHint) => void
): WatchSession {
  return new Watch(config, logger, box, onChange)
}

/**
 * A typed view of the imapflow 2.1.2 internals this module needs. Both exist at runtime but are
 * marked internal, so its type declarations omit them; {@link internalsOf} checks for them.
 */
interface ImapFlowInternals {
  /** Queues one command; resolves on OK, rejects on NO/BAD (`responseStatus`) or a lost connection. */
  exec(command: string, attributes: ImapAttribute[], options?: Record<string, unknown>): Promise<{ next: () => void }>
  /** Handlers of untagged responses outside a command's own ones, keyed by upper-case name. */
  untaggedHandlers: Record<string, UntaggedHandler | null | undefined>
}

/** A command argument: an atom, or a parenthesised list of them. */
type ImapAttribute = { type: 'ATOM', value: string } | ImapAttribute[]

/** The parsed untagged response imapflow hands to a handler. */
interface Untagged {
  command: string
  attributes?: unknown[]
}

type UntaggedHandler = (untagged: Untagged) => unknown

function internalsOf (client: ImapFlow): ImapFlowInternals | undefined {
  const c = client as unknown as Partial<Record<keyof ImapFlowInternals, unknown>>
  if (typeof c.exec !== 'function' || typeof c.untaggedHandlers !== 'object' || c.untaggedHandlers === null) return undefined
  return client as unknown as ImapFlowInternals
}

function atom (value: string): ImapAttribute {
  return { type: 'ATOM', value }
}

/** The session's own ImapFlow options: those of pooled sessions, except that this one idles. */
function watchOptions (
  config: Readonly<Config>, logger: Logger, user: string, accessToken: string | undefined
): ImapFlowOptions {
  const imap = config.imap
  const connectMs = imap.connectTimeoutSeconds * 1000
  return {
    ...transportOptions(imap),
    auth: authOptions(imap, user, accessToken),
    logger: imapflowLogger(logger),
    connectionTimeout: connectMs,
    greetingTimeout: connectMs,
    socketTimeout: SOCKET_TIMEOUT_MS,
    maxIdleTime: MAX_IDLE_MS,
    autoIdleDelay: AUTO_IDLE_DELAY_MS,
    qresync: true,
    // As for pooled sessions: the traffic is tiny and the server nearby.
    disableCompression: true,
    clientInfo: { name: 'nms-imap-gateway' },
    maxLockHoldTime: false
  }
}

/** One connection's state, so late events of an old connection cannot act on a newer one. */
interface Connection {
  readonly client: ImapFlow
  /** Resolves on the client's 'close'. */
  readonly gone: Promise<void>
  /** Set once setup is done; hints before that are covered by the 'connected' hint. */
  live: boolean
  mode: 'notify' | 'idle'
}

class Watch implements WatchSession {
  private readonly user: string
  private readonly log: Logger
  private readonly backoff: Backoff
  private current: Connection | undefined
  private stopped = false
  /** Ends the backoff wait in progress, if any. */
  private wake: (() => void) | undefined
  private readonly done: Promise<void>

  constructor (
    private readonly config: Readonly<Config>,
    logger: Logger,
    private readonly box: BoxAccess,
    private readonly onChange: (hint: WatchHint) => void
  ) {
    this.user = imapUserFor(config.imap.userTemplate, box.boxId)
    // The caller names the component (change-port.ts does); the box is what this adds.
    this.log = logger.child({ boxId: box.boxId })
    this.backoff = new Backoff(config.imap.backoff)
    this.done = this.loop()
  }

  get mode (): 'notify' | 'idle' | 'connecting' {
    const c = this.current
    return c !== undefined && c.live ? c.mode : 'connecting'
  }

  async close (): Promise<void> {
    if (!this.stopped) {
      this.stopped = true
      this.wake?.()
      const c = this.current
      if (c !== undefined) await this.logout(c)
    }
    await this.done
  }

  /** Connects, waits for the connection to end, backs off, again; until close(). */
  private async loop (): Promise<void> {
    while (!this.stopped) {
      let upSince: number | undefined
      let failure: unknown
      try {
        const c = await this.connect()
        upSince = Date.now()
        this.poke(c, { reason: 'connected' })
        await c.gone
      } catch (err) {
        failure = err
      } finally {
        this.current?.client.close()
        this.current = undefined
      }
      if (this.stopped) break
      const now = Date.now()
      if (upSince !== undefined && now - upSince >= STABLE_MS) this.backoff.succeed()
      const retryInMs = this.backoff.fail(now)
      const failures = this.backoff.failureCount
      const upMs = upSince === undefined ? undefined : now - upSince
      const fields = { user: this.user, failures, retryInMs, upMs, ...describe(failure) }
      // One lost connection is routine (server restart, kick); several in a row are worth a look.
      if (failures >= 2) this.log.warn(fields, 'IMAP watch connection failing repeatedly; backing off')
      else this.log.debug(fields, upSince === undefined ? 'IMAP watch connect failed; backing off' : 'IMAP watch connection lost; reconnecting')
      await this.sleep(retryInMs)
    }
    this.log.debug({ user: this.user }, 'IMAP watch stopped')
  }

  /** Opens one connection and sets up NOTIFY (or IDLE); resolves once hints flow. */
  private async connect (): Promise<Connection> {
    const client = new ImapFlow(watchOptions(this.config, this.log, this.user, this.box.accessToken))
    const gone = new Promise<void>((resolve) => { client.once('close', () => { resolve() }) })
    const c: Connection = { client, gone, live: false, mode: 'idle' }
    this.current = c
    // Without an 'error' listener a dropped socket would crash the process (EventEmitter rule);
    // imapflow closes the connection after 'error', and the loop reconnects on 'close'.
    client.on('error', (err: unknown) => { this.log.debug({ user: this.user, ...describe(err) }, 'IMAP watch connection error') })
    for (const event of ['exists', 'expunge', 'flags']) {
      client.on(event, () => { this.poke(c, { reason: c.mode, path: 'INBOX' }) })
    }
    await client.connect()
    if (this.stopped) throw new Error('watch closed while connecting')
    // IDLE needs a selected mailbox, NOTIFY's SELECTED group reports on it; EXAMINE (RFC 3501
    // section 6.3.2) because the watcher never changes anything, not even \Recent.
    await client.mailboxOpen('INBOX', { readOnly: true })
    c.mode = await this.setUpNotify(c) ? 'notify' : 'idle'
    if (this.stopped) throw new Error('watch closed while connecting')
    c.live = true
    this.log.debug({ user: this.user, mode: c.mode }, 'IMAP watch connected')
    // Returns when IDLE ends for good (the connection closes); imapflow's auto-IDLE re-enters
    // it after anything else breaks it (socket-timeout NOOP, restart after maxIdleTime).
    client.idle().catch((err: unknown) => { this.log.debug({ user: this.user, ...describe(err) }, 'IMAP watch IDLE ended') })
    return c
  }

  /**
   * Sends NOTIFY SET when the server has it; false when it does not or refuses it (NO/BAD), so
   * the caller falls back to IDLE. A lost connection still rejects.
   */
  private async setUpNotify (c: Connection): Promise<boolean> {
    const internals = internalsOf(c.client)
    if (!c.client.capabilities.has('NOTIFY') || internals === undefined) return false
    // Installed first: the server may report a change as soon as it has accepted NOTIFY.
    this.chainUntagged(c, internals, 'STATUS', (attrs) => attrs[0])
    // mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
    this.chainUntagged(c, internals, 'LIST', (attrs) => attrs[2])
    try {
      const { next } = await internals.exec('NOTIFY', [
        atom('SET'),
        [atom('SELECTED'), MESSAGE_EVENTS.map(atom)],
        [atom('PERSONAL'), [...MESSAGE_EVENTS, 'MailboxName'].map(atom)]
      ])
      next()
      return true
    } catch (err) {
      const status = (err as { responseStatus?: unknown }).responseStatus
      if (status !== 'NO' && status !== 'BAD') throw err
      this.log.info({ user: this.user, status }, 'IMAP server refused NOTIFY; watching INBOX with IDLE only')
      return false
    }
  }

  /** Reports every untagged `name` response as a hint for the mailbox `pick` finds, then runs the previous handler. */
  private chainUntagged (
    c: Connection, internals: ImapFlowInternals, name: string, pick: (attrs: unknown[]) => unknown
  ): void {
    const previous = internals.untaggedHandlers[name]
    internals.untaggedHandlers[name] = async (untagged: Untagged) => {
      const path = mailboxName(c.client, pick(untagged.attributes ?? []))
      this.poke(c, path === undefined ? { reason: 'notify' } : { reason: 'notify', path })
      if (typeof previous === 'function') await previous(untagged)
    }
  }

  /** Hands a hint to the caller, if it comes from the live connection; a throwing callback is only logged. */
  private poke (c: Connection, hint: WatchHint): void {
    if (this.stopped || this.current !== c || (!c.live && hint.reason !== 'connected')) return
    this.log.debug({ hint }, 'IMAP watch hint')
    try {
      this.onChange(hint)
    } catch (err) {
      this.log.warn({ err, hint }, 'IMAP watch onChange threw; ignored')
    }
  }

  /** LOGOUT (bounded), then drop the socket whatever happened. */
  private async logout (c: Connection): Promise<void> {
    if (c.live && c.client.usable) {
      let timer: NodeJS.Timeout | undefined
      try {
        await Promise.race([
          c.client.logout(),
          new Promise<void>((resolve) => { timer = setTimeout(resolve, LOGOUT_TIMEOUT_MS) })
        ])
      } catch {
        // The socket is gone already; close() below is what matters.
      } finally {
        clearTimeout(timer)
      }
    }
    // Also aborts a connect or setup in progress: the pending command rejects at once.
    c.client.close()
  }

  private async sleep (ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      // Not unref'd: a running watch is meant to keep the process alive; close() clears it.
      const timer = setTimeout(resolve, ms)
      this.wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
    this.wake = undefined
  }
}

/**
 * The decoded mailbox name of a STATUS/LIST attribute (atom, quoted string or literal). Dovecot
 * 2.3 sends NOTIFY's names as raw UTF-8 even without UTF8=ACCEPT (RFC 6855), where RFC 3501
 * section 5.1.3 wants modified UTF-7; so only names that are well-formed modified UTF-7 are
 * decoded, anything else is taken as sent.
 */
function mailboxName (client: ImapFlow, attr: unknown): string | undefined {
  if (typeof attr !== 'object' || attr === null) return undefined
  const value = (attr as { value?: unknown }).value
  const name = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : undefined
  if (name === undefined || name === '') return undefined
  return MODIFIED_UTF7.test(name) ? decodePath(client, name) : name
}

/** Printable ASCII where every `&` opens a base64 run closed by `-` (RFC 3501 section 5.1.3). */
const MODIFIED_UTF7 = /^(?:[\x20-\x25\x27-\x7e]|&[A-Za-z0-9+,]*-)*$/

/** Loggable facts of an error: code and message, never the object (it may hold the command). */
function describe (err: unknown): { code?: string, reason?: string } {
  if (typeof err !== 'object' || err === null) return {}
  const e = err as { code?: unknown, serverResponseCode?: unknown, message?: unknown }
  const code = typeof e.serverResponseCode === 'string'
    ? e.serverResponseCode
    : typeof e.code === 'string' ? e.code : undefined
  return {
    ...(code === undefined ? {} : { code }),
    ...(typeof e.message === 'string' ? { reason: e.message } : {})
  }
}
