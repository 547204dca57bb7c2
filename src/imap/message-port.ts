/**
 * The message operations of the ImapPort (message-types.ts, architecture.md section 3) over
 * pooled imapflow sessions. imapflow facts relied on: CONDSTORE is ENABLEd at login so every
 * FETCH carries MODSEQ; STORE/COPY/MOVE/EXPUNGE answer `false` on NO (hence {@link answered});
 * its flag helpers drop flags the selected mailbox's PERMANENTFLAGS lack, so writes SELECT
 * (read-write) the mailbox first.
 */
import type { FetchQueryObject, ImapFlow, MailboxObject } from 'imapflow'
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import type { RunOptions, SessionLease, SessionPool } from './session-pool.js'
import type { BoxAccess } from './types.js'
import type {
  AppendResult, CopyResult, FetchResult, ImapMessagePort, MessageStream, StoredFlags, StreamSection, TextPart
} from './message-types.js'
import { answered, lockMailbox, notFound, selected, uidSet, withMailbox } from './mailbox-access.js'
import { ADDRESS_HEADERS, findPart, toBodyStructure, toMessageMeta } from './message-mapping.js'
import { imapFlags, storedFlags } from './flag-names.js'
import { decodeTransfer, transferDecoder } from '../shared/mime/transfer-decoding.js'
import { decodeCharset } from './encoded-words.js'
import { sectionStream } from './message-stream.js'
import { classifyImapError, isUnavailableError } from './classify-error.js'

/** RFC 3501 section 2.3.1.1: UIDs are non-zero 32-bit unsigned integers. */
const MAX_UID = 0xffffffff

const read = { idempotent: true }

/** UIDs of `range` that exist in the selected mailbox (UID FETCH of nothing but UID). */
async function existingUids (client: ImapFlow, range: string): Promise<number[]> {
  if (range === '') return []
  const found = await client.fetchAll(range, { uid: true }, { uid: true })
  return found.map((m) => m.uid).sort((a, b) => a - b)
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character. */
function cutUtf8 (text: string, maxBytes: number): TextPart {
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length <= maxBytes) return { text, truncated: false }
  let end = maxBytes
  // Back up over UTF-8 continuation bytes (10xxxxxx) to a character start.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true }
}

/**
 * Opens the stream of one section on a leased session (see {@link sectionStream}); on success the
 * stream owns the lease and the mailbox lock, on failure the lock is released and the caller
 * releases the lease.
 */
async function openOn (
  lease: SessionLease, path: string, uid: number, section: StreamSection, uidValidity: string | undefined
): Promise<MessageStream> {
  const client = lease.client
  const lock = await lockMailbox(client, path, true)
  try {
    const mailbox = selected(client, path)
    if (uidValidity !== undefined && mailbox.uidValidity.toString() !== uidValidity) {
      throw notFound('object', `UIDVALIDITY of ${path} is ${mailbox.uidValidity.toString()}, not ${uidValidity}`)
    }
    const meta = await client.fetchOne(String(uid), { uid: true, size: true, bodyStructure: true }, { uid: true })
    if (meta === false || meta === undefined || meta.bodyStructure === undefined) throw notFound('object', `no UID ${uid} in ${path}`)
    const structure = toBodyStructure(meta.bodyStructure)
    let imapSection: string | undefined
    let encoding: string | undefined
    let size: number | undefined
    switch (section.kind) {
      case 'full':
        size = meta.size
        break
      case 'body':
        // RFC 3501 section 6.4.5: TEXT is the body without the header; a multipart's stays
        // raw so its boundaries parse, a single part's is undone from its transfer encoding.
        imapSection = 'TEXT'
        if (structure.childNodes === undefined) encoding = structure.encoding
        break
      case 'part': {
        const node = findPart(structure, section.part)
        if (node === undefined) throw notFound('part', `UID ${uid} of ${path} has no part ${section.part}`)
        imapSection = section.part
        if (node.childNodes === undefined) encoding = node.encoding
        if (transferDecoder(encoding) === undefined) size = node.size
        break
      }
    }
    const stream = sectionStream({
      client,
      uid,
      section: imapSection,
      done: (broken) => {
        lock.release()
        lease.release(broken)
      }
    }, transferDecoder(encoding))
    return size === undefined ? { stream, structure } : { stream, size, structure }
  } catch (err) {
    lock.release()
    throw err
  }
}

/** The ImapMessagePort over `pool`. */
export function createMessagePort (pool: SessionPool, config: Readonly<Config>): ImapMessagePort {
  /** STATUS UIDVALIDITY of a mailbox that is not selected; NotFound (404) when it does not exist. */
  async function uidValidityOf (client: ImapFlow, path: string): Promise<string> {
    const status = answered(client, await client.status(path, { uidValidity: true }), 'STATUS')
    if (status.uidValidity === undefined) throw new GatewayError('GW_ERR_IMAP_FAILED', { variables: ['IMAP STATUS'], detail: `STATUS ${path} gave no UIDVALIDITY` })
    return status.uidValidity.toString()
  }

  /** Runs `fn` on a pooled session with `path` selected and its UIDVALIDITY checked. */
  async function inMailbox<T> (
    box: BoxAccess, path: string, mode: { readOnly: boolean, uidValidity: string | undefined },
    fn: (client: ImapFlow, mailbox: MailboxObject) => Promise<T>, opts?: RunOptions
  ): Promise<T> {
    const run = async (client: ImapFlow): Promise<T> =>
      await withMailbox(client, path, mode, async (m) => await fn(client, m))
    return await pool.run(box, run, opts)
  }

  async function transfer (
    box: BoxAccess, path: string, uids: readonly number[], toPath: string,
    uidValidity: string | undefined, move: boolean
  ): Promise<CopyResult> {
    return await inMailbox(box, path, { readOnly: !move, uidValidity }, async (client) => {
      const existing = await existingUids(client, uidSet(uids))
      if (existing.length === 0) return { uidValidity: await uidValidityOf(client, toPath), uidMap: new Map() }
      const range = uidSet(existing)
      const res = move
        ? await client.messageMove(range, toPath, { uid: true })
        : await client.messageCopy(range, toPath, { uid: true })
      if (res === false || res === undefined) {
        // imapflow swallows the NO: a missing destination ([TRYCREATE]) is a 404.
        if (client.usable) await uidValidityOf(client, toPath)
        answered(client, res, move ? 'UID MOVE' : 'UID COPY')
      }
      const result = answered(client, res, move ? 'UID MOVE' : 'UID COPY')
      const destValidity = result.uidValidity?.toString() ?? await uidValidityOf(client, toPath)
      return { uidValidity: destValidity, uidMap: new Map(result.uidMap ?? []) }
    })
  }

  return {
    async fetchMessages (box, path, which, opts): Promise<FetchResult> {
      return await inMailbox(box, path, { readOnly: true, uidValidity: opts.uidValidity }, async (client, mailbox) => {
        const uidValidity = mailbox.uidValidity.toString()
        let range: string
        let more = false
        if ('uids' in which) {
          range = uidSet(which.uids)
        } else {
          const afterUid = Math.max(0, Math.floor(which.afterUid))
          const limit = Math.max(0, Math.floor(which.limit))
          if (limit === 0 || mailbox.exists === 0 || afterUid >= MAX_UID || mailbox.uidNext <= afterUid + 1) {
            return { uidValidity, messages: [], more: false }
          }
          // `UID SEARCH UID n:*` also matches the highest UID when it is below n (`n:*` equals
          // `*:n`, RFC 3501 section 6.4.8), hence the filter.
          const found = answered(client, await client.search({ uid: `${afterUid + 1}:*` }, { uid: true }), 'UID SEARCH')
          const uids = found.filter((u) => u > afterUid).sort((a, b) => a - b)
          more = uids.length > limit
          range = uidSet(uids.slice(0, limit))
        }
        if (range === '') return { uidValidity, messages: [], more }
        const query: FetchQueryObject = {
          uid: true,
          flags: true,
          envelope: true,
          internalDate: true,
          size: true,
          bodyStructure: true,
          headers: [...new Set([...opts.headers.map((h) => h.toLowerCase()), ...ADDRESS_HEADERS])]
        }
        // fetchAll collects before returning: no command may run inside a FETCH iteration.
        const fetched = await client.fetchAll(range, query, { uid: true })
        const messages = fetched.map((m) => toMessageMeta(m, opts.headers)).sort((a, b) => a.uid - b.uid)
        return { uidValidity, messages, more }
      }, read)
    },

    async fetchText (box, path, uid, part, maxBytes, uidValidity): Promise<TextPart | null> {
      const max = Math.max(0, Math.floor(maxBytes))
      return await inMailbox(box, path, { readOnly: true, uidValidity }, async (client) => {
        const meta = await client.fetchOne(String(uid), { uid: true, bodyStructure: true }, { uid: true })
        if (meta === false || meta === undefined || meta.bodyStructure === undefined) return null
        const node = findPart(toBodyStructure(meta.bodyStructure), part)
        if (node === undefined || node.childNodes !== undefined) throw notFound('part', `UID ${uid} of ${path} has no leaf part ${part}`)
        // Encoded bytes needed for `max` decoded bytes: quoted-printable takes up to 3 per byte
        // (RFC 2045 section 6.7), base64 4 per 3 plus line breaks; a little more so the cut
        // falls beyond the limit and `truncated` is known.
        const window = max * 3 + 64
        const whole = node.size !== undefined && node.size <= window
        const key = { key: part, start: 0, maxLength: whole ? (node.size ?? 0) + 64 : window }
        const res = await client.fetchOne(String(uid), { uid: true, bodyParts: [key] }, { uid: true })
        if (res === false || res === undefined) return null
        const raw = res.bodyParts?.get(part.toLowerCase()) ?? Buffer.alloc(0)
        const text = decodeCharset(decodeTransfer(raw, node.encoding), node.parameters.charset)
        const cut = cutUtf8(text, max)
        return { text: cut.text, truncated: cut.truncated || raw.length >= key.maxLength }
      }, read)
    },

    async fetchTexts (box, path, uids, part, maxBytes, uidValidity): Promise<Map<number, TextPart>> {
      const max = Math.max(0, Math.floor(maxBytes))
      const out = new Map<number, TextPart>()
      const range = uidSet(uids)
      if (range === '') return out
      return await inMailbox(box, path, { readOnly: true, uidValidity }, async (client) => {
        // As fetchText, with one window for every message: the cut is applied after decoding.
        const key = { key: part, start: 0, maxLength: max * 3 + 64 }
        const query = { uid: true, bodyStructure: true, bodyParts: [key] }
        const fetched = await client.fetchAll(range, query, { uid: true })
        for (const m of fetched) {
          if (m.bodyStructure === undefined) continue
          const node = findPart(toBodyStructure(m.bodyStructure), part)
          if (node === undefined || node.childNodes !== undefined) continue
          const raw = m.bodyParts?.get(part.toLowerCase()) ?? Buffer.alloc(0)
          const cut = cutUtf8(decodeCharset(decodeTransfer(raw, node.encoding), node.parameters.charset), max)
          out.set(m.uid, { text: cut.text, truncated: cut.truncated || raw.length >= key.maxLength })
        }
        return out
      }, read)
    },

    async openStream (box, path, uid, section, uidValidity): Promise<MessageStream> {
      for (let attempt = 0; ; attempt++) {
        const lease = await pool.lease(box)
        try {
          return await openOn(lease, path, uid, section, uidValidity)
        } catch (err) {
          const unavailable = isUnavailableError(err)
          lease.release(unavailable || !lease.client.usable)
          // A pooled session can die unnoticed (server restart): one retry on a fresh one, as for other reads.
          if (unavailable && attempt === 0) continue
          throw classifyImapError(err, { mode: config.imap.auth, boxId: box.boxId })
        }
      }
    },

    async storeFlags (box, path, uids, op, flags, uidValidity): Promise<Map<number, StoredFlags>> {
      const imap = imapFlags(flags)
      return await inMailbox(box, path, { readOnly: false, uidValidity }, async (client) => {
        const range = uidSet(uids)
        const out = new Map<number, StoredFlags>()
        if (range === '') return out
        // One UID STORE for all UIDs (RFC 3501 section 6.4.6); adding or removing nothing is a no-op.
        if (op === 'set' || imap.length > 0) {
          const opts = { uid: true }
          const ok = op === 'set'
            ? await client.messageFlagsSet(range, imap, opts)
            : op === 'add'
              ? await client.messageFlagsAdd(range, imap, opts)
              : await client.messageFlagsRemove(range, imap, opts)
          answered(client, ok || undefined, 'UID STORE')
        }
        // imapflow does not hand back the untagged FETCH answers of STORE: read the result back.
        const after = await client.fetchAll(range, { uid: true, flags: true }, { uid: true })
        for (const m of after.sort((a, b) => a.uid - b.uid)) {
          out.set(m.uid, { flags: storedFlags(m.flags), modseq: (m.modseq ?? 0n).toString() })
        }
        return out
      })
    },

    async expunge (box, path, uids, uidValidity): Promise<number[]> {
      return await inMailbox(box, path, { readOnly: false, uidValidity }, async (client) => {
        // Without UIDPLUS imapflow would send a plain EXPUNGE, removing every \Deleted message
        // of the mailbox, not only these (RFC 4315 section 2.1).
        if (!client.capabilities.has('UIDPLUS')) {
          throw new GatewayError('GW_ERR_IMAP_FAILED', { variables: ['IMAP UIDPLUS'], detail: 'the IMAP server lacks UIDPLUS (RFC 4315): UID EXPUNGE unavailable' })
        }
        const existing = await existingUids(client, uidSet(uids))
        if (existing.length === 0) return []
        // STORE +FLAGS \Deleted, then UID EXPUNGE of exactly these UIDs.
        answered(client, (await client.messageDelete(uidSet(existing), { uid: true })) || undefined, 'UID EXPUNGE')
        return existing
      })
    },

    async append (box, path, message, flags, internalDate): Promise<AppendResult> {
      const imap = imapFlags(flags)
      return await pool.run(box, async (client) => {
        // SELECT first: imapflow drops APPEND flags the selected mailbox's PERMANENTFLAGS lack,
        // and an EXAMINEd mailbox has none. It also turns a missing mailbox into a 404.
        const lock = await lockMailbox(client, path, false)
        try {
          const res = answered(client, await client.append(path, message, imap, internalDate), 'APPEND')
          if (res.uid === undefined || res.uidValidity === undefined) {
            throw new GatewayError('GW_ERR_IMAP_FAILED', { variables: ['IMAP APPENDUID'], detail: `APPEND to ${path} gave no APPENDUID (RFC 4315)` })
          }
          return { uidValidity: res.uidValidity.toString(), uid: res.uid }
        } finally {
          lock.release()
        }
      })
    },

    async copyMessages (box, path, uids, toPath, uidValidity): Promise<CopyResult> {
      return await transfer(box, path, uids, toPath, uidValidity, false)
    },

    async moveMessages (box, path, uids, toPath, uidValidity): Promise<CopyResult> {
      return await transfer(box, path, uids, toPath, uidValidity, true)
    }
  }
}
