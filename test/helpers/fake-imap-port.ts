/**
 * A scripted, in-memory ImapPort (src/imap/types.ts) for fast unit tests of what sits above the
 * port (the tracker, the event planner, the feeder, the watch manager): no Dovecot, no sockets,
 * every answer computed from the model in test/helpers/fake-imap-model.ts.
 *
 * Usage:
 *
 * ```ts
 * const imap = new FakeImapPort()                // CONDSTORE + QRESYNC server, delimiter '/'
 * const box = imap.box('tel:+15551234567')       // created with an empty INBOX on first use
 * box.create('Work')
 * const uid = box.append('INBOX', { subject: 'hi', flags: ['\\Seen'] })
 * box.addFlags('INBOX', [uid], ['\\Flagged'])    // takes the next MODSEQ, as RFC 7162 says
 * imap.failNext('scanChanges')                   // the next CHANGEDSINCE fetch fails like a dropped connection
 * imap.intercept('listMailboxes', async () => { box.append('Work') })  // a change landing mid-sync
 * imap.poke(box.boxId)                           // what NOTIFY would tell the open watches
 * imap.callsOf('scanFlags')                      // which commands ran, on which mailbox
 * ```
 *
 * Server profiles: `new FakeImapPort({ qresync: false })` is a CONDSTORE server the gateway
 * tracks by flag snapshots (`tracking.mode: snapshot`); `{ condstore: false }` has no MODSEQ at
 * all (STATUS without HIGHESTMODSEQ, FETCH MODSEQ `0`), hence no QRESYNC either.
 *
 * Answers follow the real port's contract: a missing mailbox, or a UIDVALIDITY other than the
 * caller's, is GW_ERR_NOT_FOUND; `\Recent` is never reported. Operations nobody has needed yet
 * (APPEND of raw bytes, streaming a body) throw a "not scripted" Error naming the method.
 */
import { GatewayError } from '../../src/errors/gateway-error.js'
import type {
  AppendResult, BoxAccess, ChangeScan, CopyResult, FetchOptions, FetchResult, FlagOperation, FlagScan, ImapPort,
  MailboxEntry, MailboxStatus, MessageStream, SearchKey, SearchOptions, SearchResult, StatusItem, StoredFlags,
  TextPart, TrackingMode, UidPage, UidSelection, WatchHint, WatchSession
} from '../../src/imap/types.js'
import { FakeBox, type FakeMailbox, type FakeMessage } from './fake-imap-model.js'
import { matches, toMeta } from './fake-imap-messages.js'

export { FakeBox, type FakeMessageSpec } from './fake-imap-model.js'

/** The port's methods, by name. */
export type PortMethod = Exclude<keyof ImapPort, 'stats'>

/** One call the port received. */
export interface FakeCall {
  method: PortMethod
  /** Absent for `ping` and `close`. */
  boxId?: string
  /** The mailbox the call names, when it names one. */
  path?: string
}

/**
 * Runs when a call arrives, before the model answers: it may throw (the command fails), await
 * (a slow command, or a barrier that makes two calls interleave) or change the model (a change
 * that lands while the caller is between two commands).
 */
export type CallHook = (call: FakeCall) => void | Promise<void>

export interface FakeImapOptions {
  /** The hierarchy delimiter of every box; `/` unless said. */
  delimiter?: string
  /** RFC 7162 CONDSTORE: HIGHESTMODSEQ in STATUS, MODSEQ in FETCH. Default true. */
  condstore?: boolean
  /** RFC 7162 QRESYNC enabled: tracking mode `qresync` and `scanChanges` answers. Default true. */
  qresync?: boolean
}

interface Hook {
  method: PortMethod
  hook: CallHook
  /** Calls left before the hook is dropped; Infinity for a lasting one. */
  remaining: number
}

interface OpenWatch {
  boxId: string
  onChange: (hint: WatchHint) => void
  closed: boolean
}

/** A GatewayError as the real port throws for a dropped connection (classify-error.ts). */
export function droppedConnection (method: string): GatewayError {
  return new GatewayError('GW_ERR_IMAP_UNAVAILABLE', {
    variables: ['IMAP'], headers: { 'Retry-After': '1' }, detail: `fake IMAP: connection dropped during ${method}`
  })
}

function notFound (detail: string): GatewayError {
  return new GatewayError('GW_ERR_NOT_FOUND', { variables: ['object'], detail: `fake IMAP: ${detail}` })
}

function notScripted (method: string): Error {
  return new Error(`fake IMAP: ${method} is not scripted; add it to test/helpers/fake-imap-port.ts`)
}

/** `text` cut to at most `maxBytes` UTF-8 bytes. */
function cut (text: string, maxBytes: number): TextPart {
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length <= maxBytes) return { text, truncated: false }
  return { text: bytes.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, ''), truncated: true }
}

export class FakeImapPort implements ImapPort {
  /** Every call, oldest first. */
  readonly calls: FakeCall[] = []
  private readonly boxes = new Map<string, FakeBox>()
  private readonly hooks: Hook[] = []
  private readonly watches: OpenWatch[] = []
  private lastUidValidity = 1000
  private readonly delimiterOf: string
  private readonly condstore: boolean
  private readonly qresync: boolean

  constructor (opts: FakeImapOptions = {}) {
    this.delimiterOf = opts.delimiter ?? '/'
    this.condstore = opts.condstore ?? true
    this.qresync = this.condstore && (opts.qresync ?? true)
  }

  // ---- scripting ----------------------------------------------------------------------------

  /** The model of one box, created with an empty INBOX on first use. */
  box (boxId: string): FakeBox {
    let b = this.boxes.get(boxId)
    if (b === undefined) {
      b = new FakeBox(boxId, this.delimiterOf, { nextUidValidity: () => String(++this.lastUidValidity) })
      this.boxes.set(boxId, b)
    }
    return b
  }

  /** Runs `hook` on the next `times` calls of `method` (every call when `times` is not given). */
  intercept (method: PortMethod, hook: CallHook, opts: { times?: number } = {}): void {
    this.hooks.push({ method, hook, remaining: opts.times ?? Infinity })
  }

  /** The next call of `method` fails with `error` (a dropped connection unless said). */
  failNext (method: PortMethod, error: Error = droppedConnection(method)): void {
    this.intercept(method, () => { throw error }, { times: 1 })
  }

  /** Drops every hook. */
  clearIntercepts (): void {
    this.hooks.length = 0
  }

  /** The calls of `method` so far. */
  callsOf (method: PortMethod): FakeCall[] {
    return this.calls.filter((c) => c.method === method)
  }

  /** Tells every open watch of the box that something changed (as a NOTIFY STATUS would, RFC 5465). */
  poke (boxId: string, hint: WatchHint = { reason: 'notify' }): void {
    for (const w of this.watches) if (!w.closed && w.boxId === boxId) w.onChange(hint)
  }

  /** Watches of the box not closed yet. */
  openWatches (boxId: string): number {
    return this.watches.filter((w) => !w.closed && w.boxId === boxId).length
  }

  // ---- mailboxes ----------------------------------------------------------------------------

  async listMailboxes (box: BoxAccess, status: readonly StatusItem[] = []): Promise<MailboxEntry[]> {
    const b = await this.enter('listMailboxes', box)
    return [...b.mailboxes.values()]
      .sort((x, y) => x.path < y.path ? -1 : x.path > y.path ? 1 : 0)
      .map((m) => this.entryOf(b, m, status))
  }

  async delimiter (box: BoxAccess): Promise<string> {
    return (await this.enter('delimiter', box)).delimiter
  }

  async createMailbox (box: BoxAccess, path: string): Promise<MailboxEntry> {
    const b = await this.enter('createMailbox', box, path)
    if (b.mailboxes.has(path)) {
      throw new GatewayError('GW_ERR_IMAP_FAILED', { variables: ['IMAP ALREADYEXISTS'], detail: `[ALREADYEXISTS] ${path}` })
    }
    return this.entryOf(b, b.create(path), ['messages', 'unseen', 'uidNext', 'highestModseq'])
  }

  async deleteMailbox (box: BoxAccess, path: string): Promise<void> {
    this.existing(await this.enter('deleteMailbox', box, path), path)
    this.box(box.boxId).delete(path)
  }

  async renameMailbox (box: BoxAccess, from: string, to: string): Promise<void> {
    this.existing(await this.enter('renameMailbox', box, from), from)
    this.box(box.boxId).rename(from, to)
  }

  async status (box: BoxAccess, path: string, items: readonly StatusItem[]): Promise<MailboxStatus> {
    const m = this.existing(await this.enter('status', box, path), path)
    if (!m.selectable) throw new GatewayError('GW_ERR_IMAP_FAILED', { variables: ['IMAP STATUS'], detail: `${path} is \\Noselect` })
    return this.statusOf(m, items)
  }

  async listUids (box: BoxAccess, path: string, page: { afterUid: number, limit: number }): Promise<UidPage> {
    const m = this.existing(await this.enter('listUids', box, path), path)
    const uids = m.messages.map((x) => x.uid).filter((u) => u > page.afterUid)
    return { uidValidity: m.uidValidity, uids: uids.slice(0, page.limit), more: uids.length > page.limit }
  }

  async ping (): Promise<void> {
    await this.enter('ping', undefined)
  }

  async close (): Promise<void> {
    await this.enter('close', undefined)
    for (const w of this.watches) w.closed = true
  }

  // ---- change tracking ----------------------------------------------------------------------

  async trackingMode (box: BoxAccess): Promise<TrackingMode> {
    await this.enter('trackingMode', box)
    return this.qresync ? 'qresync' : 'snapshot'
  }

  /** `UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE m VANISHED)` (RFC 7162 section 3.2.6). */
  async scanChanges (box: BoxAccess, path: string, opts: { uidValidity: string, sinceModseq: string }): Promise<ChangeScan> {
    const m = this.current(await this.enter('scanChanges', box, path), path, opts.uidValidity)
    if (!this.qresync) throw new GatewayError('GW_ERR_IMAP_FAILED', { variables: ['IMAP QRESYNC'], detail: 'fake IMAP: no QRESYNC' })
    const since = BigInt(opts.sinceModseq)
    return {
      uidValidity: m.uidValidity,
      changed: m.messages.filter((x) => x.modseq > since).map((x) => ({ uid: x.uid, modseq: x.modseq.toString() })),
      vanished: [...new Set(m.expunged.filter((e) => e.modseq > since).map((e) => e.uid))].sort((a, b) => a - b)
    }
  }

  async scanFlags (box: BoxAccess, path: string, opts: { uidValidity: string }): Promise<FlagScan> {
    const m = this.current(await this.enter('scanFlags', box, path), path, opts.uidValidity)
    return { uidValidity: m.uidValidity, messages: m.messages.map((x) => ({ uid: x.uid, flags: [...x.flags] })) }
  }

  /** A watch that is poked by {@link poke}; like the real one it reports `connected` once opened. */
  watch (box: BoxAccess, onChange: (hint: WatchHint) => void): WatchSession {
    this.calls.push({ method: 'watch', boxId: box.boxId })
    const w: OpenWatch = { boxId: box.boxId, onChange, closed: false }
    this.watches.push(w)
    queueMicrotask(() => { if (!w.closed) onChange({ reason: 'connected' }) })
    return {
      mode: 'notify',
      close: async () => { w.closed = true }
    }
  }

  // ---- messages -----------------------------------------------------------------------------

  async fetchMessages (box: BoxAccess, path: string, which: UidSelection, opts: FetchOptions): Promise<FetchResult> {
    const m = this.current(await this.enter('fetchMessages', box, path), path, opts.uidValidity)
    let picked: FakeMessage[]
    let more = false
    if ('uids' in which) {
      const wanted = new Set(which.uids)
      picked = m.messages.filter((x) => wanted.has(x.uid))
    } else {
      const after = m.messages.filter((x) => x.uid > which.afterUid)
      picked = after.slice(0, which.limit)
      more = after.length > which.limit
    }
    return { uidValidity: m.uidValidity, messages: picked.map((x) => toMeta(x, opts.headers, this.condstore)), more }
  }

  async fetchText (
    box: BoxAccess, path: string, uid: number, part: string, maxBytes: number, uidValidity?: string
  ): Promise<TextPart | null> {
    const m = this.current(await this.enter('fetchText', box, path), path, uidValidity)
    const msg = m.messages.find((x) => x.uid === uid)
    return msg === undefined || (part !== '1' && part !== 'TEXT') ? null : cut(msg.spec.text ?? '', maxBytes)
  }

  async fetchTexts (
    box: BoxAccess, path: string, uids: readonly number[], part: string, maxBytes: number, uidValidity?: string
  ): Promise<Map<number, TextPart>> {
    const m = this.current(await this.enter('fetchTexts', box, path), path, uidValidity)
    const wanted = new Set(uids)
    const out = new Map<number, TextPart>()
    if (part !== '1' && part !== 'TEXT') return out
    for (const x of m.messages) if (wanted.has(x.uid)) out.set(x.uid, cut(x.spec.text ?? '', maxBytes))
    return out
  }

  async openStream (box: BoxAccess, path: string): Promise<MessageStream> {
    await this.enter('openStream', box, path)
    throw notScripted('openStream')
  }

  async storeFlags (
    box: BoxAccess, path: string, uids: readonly number[], op: FlagOperation, flags: readonly string[], uidValidity?: string
  ): Promise<Map<number, StoredFlags>> {
    const b = await this.enter('storeFlags', box, path)
    const m = this.current(b, path, uidValidity)
    if (op === 'set') b.setFlags(path, uids, flags)
    else if (op === 'add') b.addFlags(path, uids, flags)
    else b.removeFlags(path, uids, flags)
    const wanted = new Set(uids)
    const out = new Map<number, StoredFlags>()
    for (const x of m.messages) {
      if (wanted.has(x.uid)) out.set(x.uid, { flags: [...x.flags], modseq: this.condstore ? x.modseq.toString() : '0' })
    }
    return out
  }

  async expunge (box: BoxAccess, path: string, uids: readonly number[], uidValidity?: string): Promise<number[]> {
    const b = await this.enter('expunge', box, path)
    this.current(b, path, uidValidity)
    return b.expunge(path, uids)
  }

  async append (box: BoxAccess, path: string): Promise<AppendResult> {
    await this.enter('append', box, path)
    throw notScripted('append (of raw bytes; script messages with box(...).append)')
  }

  async copyMessages (
    box: BoxAccess, path: string, uids: readonly number[], toPath: string, uidValidity?: string
  ): Promise<CopyResult> {
    return this.copy(await this.enter('copyMessages', box, path), path, uids, toPath, uidValidity)
  }

  /** UID MOVE (RFC 6851): a copy, then an expunge of the source messages. */
  async moveMessages (
    box: BoxAccess, path: string, uids: readonly number[], toPath: string, uidValidity?: string
  ): Promise<CopyResult> {
    const b = await this.enter('moveMessages', box, path)
    const result = this.copy(b, path, uids, toPath, uidValidity)
    b.expunge(path, [...result.uidMap.keys()])
    return result
  }

  // ---- search -------------------------------------------------------------------------------

  async searchUids (box: BoxAccess, path: string, query: SearchKey, opts: SearchOptions): Promise<SearchResult> {
    const m = this.current(await this.enter('searchUids', box, path), path, opts.uidValidity)
    const found = m.messages.filter((x) => matches(x, query))
    if (opts.order === 'arrival') found.sort((a, b) => a.internalDate.getTime() - b.internalDate.getTime() || a.uid - b.uid)
    return { uidValidity: m.uidValidity, uids: found.map((x) => x.uid), serverSorted: false }
  }

  // ---- internals ----------------------------------------------------------------------------

  /** Records the call and runs its hooks; the box it names. */
  private async enter (method: PortMethod, box: BoxAccess, path?: string): Promise<FakeBox>
  private async enter (method: PortMethod, box: undefined): Promise<undefined>
  private async enter (method: PortMethod, box: BoxAccess | undefined, path?: string): Promise<FakeBox | undefined> {
    const call: FakeCall = { method }
    if (box !== undefined) call.boxId = box.boxId
    if (path !== undefined) call.path = path
    this.calls.push(call)
    for (const h of [...this.hooks]) {
      if (h.method !== method) continue
      if (--h.remaining <= 0) this.hooks.splice(this.hooks.indexOf(h), 1)
      await h.hook(call)
    }
    return box === undefined ? undefined : this.box(box.boxId)
  }

  private existing (b: FakeBox, path: string): FakeMailbox {
    const m = b.mailboxes.get(path)
    if (m === undefined) throw notFound(`no mailbox ${path}`)
    return m
  }

  /** The selectable mailbox at `path`, which must still have `uidValidity` when one is given. */
  private current (b: FakeBox, path: string, uidValidity: string | undefined): FakeMailbox {
    const m = this.existing(b, path)
    if (!m.selectable) throw notFound(`${path} is \\Noselect`)
    if (uidValidity !== undefined && uidValidity !== m.uidValidity) {
      throw notFound(`UIDVALIDITY of ${path} is ${m.uidValidity}, not ${uidValidity}`)
    }
    return m
  }

  private statusOf (m: FakeMailbox, items: readonly StatusItem[]): MailboxStatus {
    const s: MailboxStatus = { uidValidity: m.uidValidity }
    for (const item of items) {
      if (item === 'messages') s.messages = m.messages.length
      else if (item === 'uidNext') s.uidNext = m.uidNext
      else if (item === 'unseen') s.unseen = m.messages.filter((x) => !x.flags.some((f) => f.toLowerCase() === '\\seen')).length
      else if (item === 'size') s.size = m.messages.reduce((n, x) => n + toMeta(x, [], false).size, 0)
      else if (item === 'highestModseq' && this.condstore) s.highestModseq = m.highestModseq.toString()
    }
    return s
  }

  private entryOf (b: FakeBox, m: FakeMailbox, status: readonly StatusItem[]): MailboxEntry {
    const specialUse = m.listFlags.find((f) => f.toLowerCase() !== '\\noselect')
    return {
      path: m.path,
      delimiter: b.delimiter,
      segments: m.path.split(b.delimiter),
      specialUse,
      flags: [...m.listFlags],
      selectable: m.selectable,
      status: m.selectable ? this.statusOf(m, status) : undefined
    }
  }

  private copy (
    b: FakeBox, path: string, uids: readonly number[], toPath: string, uidValidity: string | undefined
  ): CopyResult {
    const from = this.current(b, path, uidValidity)
    const to = this.current(b, toPath, undefined)
    const wanted = new Set(uids)
    const uidMap = new Map<number, number>()
    for (const x of from.messages) {
      if (!wanted.has(x.uid)) continue
      uidMap.set(x.uid, b.append(toPath, { ...x.spec, flags: [...x.flags], date: x.internalDate }))
    }
    return { uidValidity: to.uidValidity, uidMap }
  }
}
