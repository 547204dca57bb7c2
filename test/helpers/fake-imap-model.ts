/**
 * The in-memory mail store behind the fake ImapPort (test/helpers/fake-imap-port.ts): boxes of
 * mailboxes with UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ and messages, and the operations a test
 * scripts changes with. Mod-sequences behave as on a CONDSTORE/QRESYNC server (RFC 7162):
 *
 * - they are per mailbox; every change (APPEND, a STORE that changes flags, an EXPUNGE) takes the
 *   next one, and HIGHESTMODSEQ is the newest (section 3.1.1, 3.1.2);
 * - a STORE that changes nothing takes none (section 3.1.3: the metadata did not change);
 * - the server remembers the mod-sequence of every expunge so `CHANGEDSINCE m VANISHED` can name
 *   the UIDs expunged after `m` (section 3.2.6, VANISHED (EARLIER));
 * - a new mailbox starts at HIGHESTMODSEQ 1, as Dovecot's do;
 * - RENAME keeps UIDVALIDITY, UIDs and mod-sequences, and renames the inferior mailboxes
 *   (RFC 3501 section 6.3.5); a mailbox deleted and created again gets a new UIDVALIDITY.
 */

/** A message as a test describes it; everything is optional. */
export interface FakeMessageSpec {
  subject?: string
  /** `local@domain`, or a `tel:` URI. */
  from?: string
  to?: string[]
  /** With angle brackets, e.g. `<m1@test>`. */
  messageId?: string
  /** The Date header; the internal date too. */
  date?: Date
  flags?: string[]
  /** More header fields (any case), each with its value(s) as sent. */
  headers?: Record<string, string | string[]>
  /** Body of the single text/plain part. */
  text?: string
}

/** One message in a mailbox. */
export interface FakeMessage {
  uid: number
  flags: string[]
  modseq: bigint
  internalDate: Date
  spec: FakeMessageSpec
}

/** One mailbox. */
export interface FakeMailbox {
  path: string
  /** Decimal string, as the port reports it. */
  uidValidity: string
  uidNext: number
  highestModseq: bigint
  /** Ascending by UID. */
  messages: FakeMessage[]
  /** Every expunge with the mod-sequence it took (what VANISHED (EARLIER) answers from). */
  expunged: Array<{ uid: number, modseq: bigint }>
  /** LIST attributes (`\Noselect`, `\Sent`, ...). */
  listFlags: string[]
  selectable: boolean
}

/** Options of {@link FakeBox.create}. */
export interface CreateOptions {
  /** A `\Noselect` mailbox: no UIDVALIDITY, no messages (RFC 3501 section 7.2.2). */
  noselect?: boolean
  /** An RFC 6154 special-use attribute (`\Sent`, `\Trash`, ...). */
  specialUse?: string
}

/** Counters shared by every box of one fake server. */
export interface FakeServerClock {
  /** A UIDVALIDITY never handed out before on this server. */
  nextUidValidity(): string
}

function sameFlags (a: readonly string[], b: readonly string[]): boolean {
  const norm = (f: readonly string[]): string => [...new Set(f.map((x) => x.toLowerCase()))].sort().join(' ')
  return norm(a) === norm(b)
}

/** One box (one IMAP user): its mailboxes, and the scripting operations on them. */
export class FakeBox {
  readonly mailboxes = new Map<string, FakeMailbox>()

  constructor (readonly boxId: string, readonly delimiter: string, private readonly clock: FakeServerClock) {
    this.create('INBOX')
  }

  /** The mailbox at `path`; throws when there is none. */
  mailbox (path: string): FakeMailbox {
    const m = this.mailboxes.get(path)
    if (m === undefined) throw new Error(`fake IMAP: no mailbox ${path} in ${this.boxId}`)
    return m
  }

  /** The message `uid` of `path`; throws when there is none. */
  message (path: string, uid: number): FakeMessage {
    const m = this.mailbox(path).messages.find((x) => x.uid === uid)
    if (m === undefined) throw new Error(`fake IMAP: no UID ${uid} in ${path}`)
    return m
  }

  /** CREATE. */
  create (path: string, opts: CreateOptions = {}): FakeMailbox {
    if (this.mailboxes.has(path)) throw new Error(`fake IMAP: ${path} exists`)
    const selectable = opts.noselect !== true
    const listFlags = [...(selectable ? [] : ['\\Noselect']), ...(opts.specialUse === undefined ? [] : [opts.specialUse])]
    const m: FakeMailbox = {
      path,
      uidValidity: selectable ? this.clock.nextUidValidity() : '0',
      uidNext: 1,
      highestModseq: 1n,
      messages: [],
      expunged: [],
      listFlags,
      selectable
    }
    this.mailboxes.set(path, m)
    return m
  }

  /** APPEND; returns the new UID. */
  append (path: string, spec: FakeMessageSpec = {}): number {
    const m = this.selectable(path)
    const uid = m.uidNext++
    m.messages.push({ uid, flags: [...(spec.flags ?? [])], modseq: ++m.highestModseq, internalDate: spec.date ?? new Date(), spec })
    return uid
  }

  /** UID STORE FLAGS: replaces the flags of `uids`. */
  setFlags (path: string, uids: readonly number[], flags: readonly string[]): void {
    this.store(path, uids, () => [...flags])
  }

  /** UID STORE +FLAGS. */
  addFlags (path: string, uids: readonly number[], flags: readonly string[]): void {
    this.store(path, uids, (old) => [...old, ...flags.filter((f) => !old.some((o) => o.toLowerCase() === f.toLowerCase()))])
  }

  /** UID STORE -FLAGS. */
  removeFlags (path: string, uids: readonly number[], flags: readonly string[]): void {
    const gone = new Set(flags.map((f) => f.toLowerCase()))
    this.store(path, uids, (old) => old.filter((f) => !gone.has(f.toLowerCase())))
  }

  /** UID EXPUNGE of `uids` (RFC 4315); returns the UIDs that existed. One mod-sequence for the command. */
  expunge (path: string, uids: readonly number[]): number[] {
    const m = this.selectable(path)
    const wanted = new Set(uids)
    const gone = m.messages.filter((x) => wanted.has(x.uid)).map((x) => x.uid)
    if (gone.length === 0) return []
    const modseq = ++m.highestModseq
    m.messages = m.messages.filter((x) => !wanted.has(x.uid))
    m.expunged.push(...gone.map((uid) => ({ uid, modseq })))
    return gone
  }

  /** RENAME, inferior mailboxes included (RFC 3501 section 6.3.5). */
  rename (from: string, to: string): void {
    this.mailbox(from)
    if (this.mailboxes.has(to)) throw new Error(`fake IMAP: ${to} exists`)
    const prefix = from + this.delimiter
    for (const m of [...this.mailboxes.values()]) {
      if (m.path !== from && !m.path.startsWith(prefix)) continue
      this.mailboxes.delete(m.path)
      m.path = to + m.path.slice(from.length)
      this.mailboxes.set(m.path, m)
    }
  }

  /** DELETE of one mailbox (its inferiors stay, as RFC 3501 section 6.3.4 allows). */
  delete (path: string): void {
    this.mailbox(path)
    this.mailboxes.delete(path)
  }

  /**
   * A new UIDVALIDITY for `path` (what a server does when it cannot keep its UIDs, RFC 3501
   * section 2.3.1.1): the messages are numbered again from 1 and the expunge history is gone.
   */
  bumpUidValidity (path: string): void {
    const m = this.selectable(path)
    m.uidValidity = this.clock.nextUidValidity()
    m.expunged = []
    m.uidNext = 1
    for (const msg of m.messages) {
      msg.uid = m.uidNext++
      msg.modseq = ++m.highestModseq
    }
  }

  private selectable (path: string): FakeMailbox {
    const m = this.mailbox(path)
    if (!m.selectable) throw new Error(`fake IMAP: ${path} is \\Noselect`)
    return m
  }

  private store (path: string, uids: readonly number[], next: (old: string[]) => string[]): void {
    const m = this.selectable(path)
    const wanted = new Set(uids)
    for (const msg of m.messages) {
      if (!wanted.has(msg.uid)) continue
      const flags = next(msg.flags)
      if (sameFlags(flags, msg.flags)) continue
      msg.flags = flags
      msg.modseq = ++m.highestModseq
    }
  }
}
