/**
 * Message operations of the ImapPort (src/imap/message-types.ts) against the real Dovecot:
 * metadata FETCH, text parts, streamed payloads and parts, STORE, UID EXPUNGE, APPEND and
 * COPY/MOVE, checked through a direct IMAP client (`env.imap`).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import type { ImapFlow } from 'imapflow'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { createImapPort } from '../../src/imap/create-imap-port.js'
import type { ImapPort } from '../../src/imap/types.js'
import { IMAGE, collect, isCode, mmsMessage, plainMessage } from './imap-messages-helpers.js'

const BOX = { boxId: 'tel:+15550005001' }

describe('ImapPort message operations', () => {
  let env: TestEnv
  let port: ImapPort
  let direct: ImapFlow

  /** A fresh mailbox holding `messages`; returns its UIDVALIDITY and the UIDs. */
  async function seed (path: string, messages: string[], flags: string[][] = []): Promise<{ uidValidity: string, uids: number[] }> {
    await direct.mailboxCreate(path)
    // imapflow drops APPEND flags the selected mailbox's PERMANENTFLAGS lack: select read-write.
    await (await direct.getMailboxLock(path)).release()
    const uids: number[] = []
    let uidValidity = ''
    for (const [i, m] of messages.entries()) {
      const res = await direct.append(path, m, flags[i] ?? [])
      assert.ok(res !== false && res.uid !== undefined)
      uids.push(res.uid)
      uidValidity = String(res.uidValidity)
    }
    return { uidValidity, uids }
  }

  async function flagsOf (path: string, uid: number): Promise<string[]> {
    const lock = await direct.getMailboxLock(path, { readOnly: true })
    try {
      const m = await direct.fetchOne(String(uid), { uid: true, flags: true }, { uid: true })
      return m === false || m === undefined ? [] : [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort()
    } finally {
      lock.release()
    }
  }

  async function uidsOf (path: string): Promise<number[]> {
    const lock = await direct.getMailboxLock(path, { readOnly: true })
    try {
      // Another session's expunges reach a mailbox kept selected only at a NOOP (RFC 3501 section 7.4.1).
      await direct.noop()
      return (await direct.search({ all: true }, { uid: true })) || []
    } finally {
      lock.release()
    }
  }

  before(async () => {
    env = await startTestEnv({ boxes: [BOX.boxId], noGateway: true, noRedis: true })
    port = createImapPort(env.makeConfig(), pino({ level: 'silent' }))
    direct = await env.imap(BOX.boxId)
  })
  after(async () => {
    await direct.logout()
    await port.close()
    await env.close()
  })

  it('fetches metadata: flags without \\Recent, MODSEQ, decoded envelope with tel: addresses, header fields, BODYSTRUCTURE', async () => {
    const { uidValidity, uids } = await seed('Meta', [mmsMessage(), plainMessage(2, ['X-Tag: one', 'X-Tag: =?utf-8?q?zw=C3=B6lf?=', ' folded'])], [['\\Seen', '$Foo'], []])
    const res = await port.fetchMessages(BOX, 'Meta', { uids: [...uids, 999] }, { headers: ['Message-Context', 'X-TAG', 'Absent'], uidValidity })
    assert.equal(res.uidValidity, uidValidity)
    assert.equal(res.more, false)
    assert.deepEqual(res.messages.map((m) => m.uid), uids)
    const [mms, plain] = res.messages
    assert.ok(mms !== undefined && plain !== undefined)
    assert.deepEqual([...mms.flags].sort(), ['$Foo', '\\Seen'])
    assert.deepEqual(plain.flags, [])
    assert.match(mms.modseq, /^[1-9][0-9]*$/)
    assert.ok(BigInt(plain.modseq) > BigInt(mms.modseq))
    assert.ok(mms.size > IMAGE.length)
    assert.ok(mms.internalDate instanceof Date && !Number.isNaN(mms.internalDate.getTime()))
    assert.equal(mms.envelope.subject, 'Grüße 日本')
    assert.equal(mms.envelope.messageId, '<mms-1@example.com>')
    assert.equal(mms.envelope.date?.toISOString(), '2026-03-03T09:11:12.000Z')
    assert.deepEqual(mms.envelope.from, [{ name: undefined, address: 'tel:+15557654321' }])
    assert.deepEqual(mms.envelope.to, [{ name: undefined, address: 'tel:+15551234567' }, { name: 'Bob', address: 'tel:+15550001111' }])
    assert.deepEqual(plain.envelope.from, [{ name: undefined, address: 'a@example.com' }])
    assert.deepEqual(mms.headers, { 'message-context': ['multimedia-message'] })
    assert.deepEqual(plain.headers, { 'x-tag': ['one', 'zwölf folded'] })
    // multipart/related: parts 1 and 2, lower-case types, encodings and parameter names.
    assert.equal(mms.bodyStructure.part, undefined)
    assert.equal(mms.bodyStructure.type, 'multipart/related')
    assert.equal(mms.bodyStructure.parameters.boundary, 'b-rel')
    const [text, image] = mms.bodyStructure.childNodes ?? []
    assert.deepEqual({ part: text?.part, type: text?.type, charset: text?.parameters.charset?.toLowerCase(), encoding: text?.encoding, id: text?.id },
      { part: '1', type: 'text/plain', charset: 'iso-8859-1', encoding: 'quoted-printable', id: '<text0>' })
    assert.deepEqual({ part: image?.part, type: image?.type, encoding: image?.encoding, disposition: image?.disposition, name: image?.parameters.name },
      { part: '2', type: 'image/png', encoding: 'base64', disposition: 'attachment', name: 'pic.png' })
    assert.equal(image?.dispositionParameters?.filename, 'pic.png')
    // A single-part message's root is part 1.
    assert.equal(plain.bodyStructure.part, '1')
    assert.equal(plain.bodyStructure.type, 'text/plain')
    assert.equal(plain.bodyStructure.childNodes, undefined)
    // Fetching never sets \Seen (BODY.PEEK).
    assert.deepEqual(await flagsOf('Meta', uids[1] ?? 0), [])
  })

  it('pages with afterUid/limit, including past the highest UID (the n:* quirk)', async () => {
    const { uids } = await seed('Paged', [1, 2, 3, 4, 5].map((n) => plainMessage(n)))
    const p1 = await port.fetchMessages(BOX, 'Paged', { afterUid: 0, limit: 2 }, { headers: [] })
    assert.deepEqual(p1.messages.map((m) => m.uid), uids.slice(0, 2))
    assert.equal(p1.more, true)
    const p3 = await port.fetchMessages(BOX, 'Paged', { afterUid: uids[3] ?? 0, limit: 2 }, { headers: [] })
    assert.deepEqual(p3.messages.map((m) => m.uid), uids.slice(4))
    assert.equal(p3.more, false)
    assert.deepEqual(p3.messages[0]?.envelope.subject, 'm5')
    const past = await port.fetchMessages(BOX, 'Paged', { afterUid: (uids[4] ?? 0) + 10, limit: 2 }, { headers: [] })
    assert.deepEqual(past.messages, [])
  })

  it('answers 404 for a stale UIDVALIDITY or an unknown mailbox on every operation', async () => {
    const { uids } = await seed('Stale', [plainMessage(1)])
    const uid = uids[0] ?? 0
    const stale = '1'
    const nf = isCode('GW_ERR_NOT_FOUND')
    await assert.rejects(port.fetchMessages(BOX, 'Stale', { uids: [uid] }, { headers: [], uidValidity: stale }), nf)
    await assert.rejects(port.fetchText(BOX, 'Stale', uid, '1', 100, stale), nf)
    await assert.rejects(port.openStream(BOX, 'Stale', uid, { kind: 'full' }, stale), nf)
    await assert.rejects(port.storeFlags(BOX, 'Stale', [uid], 'add', ['\\Seen'], stale), nf)
    await assert.rejects(port.expunge(BOX, 'Stale', [uid], stale), nf)
    await assert.rejects(port.copyMessages(BOX, 'Stale', [uid], 'INBOX', stale), nf)
    await assert.rejects(port.moveMessages(BOX, 'Stale', [uid], 'INBOX', stale), nf)
    await assert.rejects(port.fetchMessages(BOX, 'Nope', { uids: [1] }, { headers: [] }), nf)
    await assert.rejects(port.openStream(BOX, 'Nope', 1, { kind: 'full' }), nf)
    await assert.rejects(port.append(BOX, 'Nope', Buffer.from(plainMessage(1)), []), nf)
    await assert.rejects(port.copyMessages(BOX, 'Stale', [uid], 'Nope'), nf)
    await assert.rejects(port.moveMessages(BOX, 'Stale', [uid], 'Nope'), nf)
    // Nothing was touched.
    assert.deepEqual(await uidsOf('Stale'), [uid])
    assert.deepEqual(await flagsOf('Stale', uid), [])
    // The session survived the refusals.
    assert.equal((await port.fetchMessages(BOX, 'Stale', { uids: [uid] }, { headers: [] })).messages.length, 1)
  })

  it('decodes a text part (transfer encoding and charset) and cuts it at maxBytes', async () => {
    const { uidValidity, uids } = await seed('Text', [mmsMessage(), plainMessage(7)])
    const [mms, plain] = uids as [number, number]
    const full = 'Grüße aus München, eine lange Zeile die weich umbrochen wird und noch weitergeht.'
    assert.deepEqual(await port.fetchText(BOX, 'Text', mms, '1', 1000, uidValidity), { text: full, truncated: false })
    const cut = await port.fetchText(BOX, 'Text', mms, '1', 4)
    // "Grü" is 4 UTF-8 bytes; a cut never splits a character.
    assert.deepEqual(cut, { text: 'Grü', truncated: true })
    assert.deepEqual(await port.fetchText(BOX, 'Text', mms, '1', 3), { text: 'Gr', truncated: true })
    assert.deepEqual(await port.fetchText(BOX, 'Text', plain, '1', 1000), { text: 'body 7\r\n', truncated: false })
    assert.equal(await port.fetchText(BOX, 'Text', 999, '1', 1000), null)
    await assert.rejects(port.fetchText(BOX, 'Text', mms, '5', 1000), isCode('GW_ERR_NOT_FOUND'))
  })

  it('streams the full source, the body entity and parts; binary parts round-trip exactly', async () => {
    const source = mmsMessage()
    const { uidValidity, uids } = await seed('Streams', [source, plainMessage(3, ['MIME-Version: 1.0', 'Content-Transfer-Encoding: base64']).replace('body 3', Buffer.from('decoded body').toString('base64'))])
    const [mms, single] = uids as [number, number]
    const full = await port.openStream(BOX, 'Streams', mms, { kind: 'full' }, uidValidity)
    assert.equal(full.size, Buffer.byteLength(source))
    assert.equal((await collect(full.stream)).toString(), source)
    const body = await collect((await port.openStream(BOX, 'Streams', mms, { kind: 'body' })).stream)
    // A multipart body stays raw, boundaries intact, header gone.
    assert.equal(body.toString(), source.slice(source.indexOf('\r\n\r\n') + 4))
    const image = await port.openStream(BOX, 'Streams', mms, { kind: 'part', part: '2' })
    assert.equal(image.size, undefined)
    assert.deepEqual(await collect(image.stream), IMAGE)
    const text = await collect((await port.openStream(BOX, 'Streams', mms, { kind: 'part', part: '1' })).stream)
    // Transfer-decoded only: the charset stays ISO-8859-1 as the part's Content-Type says.
    assert.equal(text.toString('latin1'), 'Grüße aus München, eine lange Zeile die weich umbrochen wird und noch weitergeht.')
    // A single-part message's body is its part 1, transfer-decoded.
    assert.equal((await collect((await port.openStream(BOX, 'Streams', single, { kind: 'body' })).stream)).toString(), 'decoded body')
    await assert.rejects(port.openStream(BOX, 'Streams', mms, { kind: 'part', part: '3' }), isCode('GW_ERR_NOT_FOUND'))
    await assert.rejects(port.openStream(BOX, 'Streams', 999, { kind: 'full' }), isCode('GW_ERR_NOT_FOUND'))
    // Sessions went back to the pool: still within maxPerBox (2), and a later call works.
    assert.ok((port.stats?.().total ?? 0) <= 2)
    assert.equal((await port.fetchMessages(BOX, 'Streams', { uids: [mms] }, { headers: [] })).messages.length, 1)
  })

  it('stores flags on many UIDs in one call: set, add, remove, case-insensitive system flags', async () => {
    const { uidValidity, uids } = await seed('Flags', [plainMessage(1), plainMessage(2), plainMessage(3)], [['$Old'], [], []])
    const [a, b, c] = uids as [number, number, number]
    const before = await port.fetchMessages(BOX, 'Flags', { uids }, { headers: [] })
    const added = await port.storeFlags(BOX, 'Flags', [a, b, 999], 'add', ['\\seen', '$Foo', '\\FLAGGED'], uidValidity)
    assert.deepEqual([...added.keys()], [a, b])
    assert.deepEqual([...(added.get(a)?.flags ?? [])].sort(), ['$Foo', '$Old', '\\Flagged', '\\Seen'])
    assert.ok(BigInt(added.get(a)?.modseq ?? '0') > BigInt(before.messages[0]?.modseq ?? '0'))
    assert.deepEqual(await flagsOf('Flags', b), ['$Foo', '\\Flagged', '\\Seen'])
    assert.deepEqual(await flagsOf('Flags', c), [])
    const removed = await port.storeFlags(BOX, 'Flags', [a, b], 'remove', ['\\Flagged', '$Old'])
    assert.deepEqual([...(removed.get(a)?.flags ?? [])].sort(), ['$Foo', '\\Seen'])
    const set = await port.storeFlags(BOX, 'Flags', [a], 'set', ['\\Answered'])
    assert.deepEqual(set.get(a)?.flags, ['\\Answered'])
    assert.deepEqual(await flagsOf('Flags', a), ['\\Answered'])
    const cleared = await port.storeFlags(BOX, 'Flags', [b], 'set', [])
    assert.deepEqual(cleared.get(b)?.flags, [])
  })

  it('refuses flag names IMAP cannot carry before anything reaches the server', async () => {
    const { uids } = await seed('BadFlags', [plainMessage(1)])
    const uid = uids[0] ?? 0
    for (const bad of ['a b', '\\Recent', '\\Xyz', '(x', 'x)', 'a"b', 'a\\b', 'ü', '', 'a{3}', 'x*', '%', 'a]', 'tab\t', 'nl\r\n']) {
      await assert.rejects(port.storeFlags(BOX, 'BadFlags', [uid], 'add', ['$Ok', bad]), isCode('GW_ERR_INPUT_INVALID'), JSON.stringify(bad))
    }
    await assert.rejects(port.append(BOX, 'BadFlags', Buffer.from(plainMessage(2)), ['bad flag']), isCode('GW_ERR_INPUT_INVALID'))
    assert.deepEqual(await flagsOf('BadFlags', uid), [])
    assert.deepEqual(await uidsOf('BadFlags'), [uid])
  })

  it('expunges exactly the given UIDs, leaving another \\Deleted message alone', async () => {
    const { uidValidity, uids } = await seed('Expunge', [plainMessage(1), plainMessage(2), plainMessage(3)], [[], ['\\Deleted'], []])
    const [a, b, c] = uids as [number, number, number]
    assert.deepEqual(await port.expunge(BOX, 'Expunge', [c, a, 999], uidValidity), [a, c])
    assert.deepEqual(await uidsOf('Expunge'), [b])
    assert.deepEqual(await flagsOf('Expunge', b), ['\\Deleted'])
    assert.deepEqual(await port.expunge(BOX, 'Expunge', [a]), [])
  })

  it('appends with flags and internal date and returns the APPENDUID', async () => {
    await direct.mailboxCreate('Appended')
    const date = new Date('2025-12-24T18:30:00.000Z')
    const res = await port.append(BOX, 'Appended', Buffer.from(mmsMessage()), ['\\seen', '$Sent'], date)
    const status = await direct.status('Appended', { uidValidity: true })
    assert.equal(res.uidValidity, String(status !== false && status.uidValidity))
    const [meta] = (await port.fetchMessages(BOX, 'Appended', { uids: [res.uid] }, { headers: [] })).messages
    assert.equal(meta?.uid, res.uid)
    assert.deepEqual([...(meta?.flags ?? [])].sort(), ['$Sent', '\\Seen'])
    assert.equal(meta?.internalDate.toISOString(), date.toISOString())
    assert.deepEqual(await collect((await port.openStream(BOX, 'Appended', res.uid, { kind: 'part', part: '2' })).stream), IMAGE)
    // After a read-only EXAMINE on the pooled session, flags still arrive (PERMANENTFLAGS of EXAMINE are empty).
    await port.fetchMessages(BOX, 'INBOX', { afterUid: 0, limit: 1 }, { headers: [] })
    const again = await port.append(BOX, 'INBOX', Buffer.from(plainMessage(9)), ['\\Flagged'])
    assert.deepEqual(await flagsOf('INBOX', again.uid), ['\\Flagged'])
  })

  it('copies and moves with the COPYUID map and the destination UIDVALIDITY', async () => {
    const { uidValidity, uids } = await seed('Src', [plainMessage(1), plainMessage(2), plainMessage(3)], [['$Keep'], [], []])
    const [a, b, c] = uids as [number, number, number]
    await direct.mailboxCreate('Dst')
    const dstStatus = await direct.status('Dst', { uidValidity: true })
    const dstValidity = String(dstStatus !== false && dstStatus.uidValidity)
    const copied = await port.copyMessages(BOX, 'Src', [a, b, 999], 'Dst', uidValidity)
    assert.equal(copied.uidValidity, dstValidity)
    assert.deepEqual([...copied.uidMap.keys()], [a, b])
    const copiedA = copied.uidMap.get(a) ?? 0
    assert.deepEqual(await flagsOf('Dst', copiedA), ['$Keep'])
    assert.deepEqual(await uidsOf('Src'), [a, b, c])
    const moved = await port.moveMessages(BOX, 'Src', [c, a], 'Dst', uidValidity)
    assert.equal(moved.uidValidity, dstValidity)
    assert.deepEqual([...moved.uidMap.entries()].sort((x, y) => x[0] - y[0]).map(([k]) => k), [a, c])
    assert.deepEqual(await uidsOf('Src'), [b])
    assert.deepEqual(await uidsOf('Dst'), [...copied.uidMap.values(), ...moved.uidMap.values()].sort((x, y) => x - y))
    const [movedC] = (await port.fetchMessages(BOX, 'Dst', { uids: [moved.uidMap.get(c) ?? 0] }, { headers: [] })).messages
    assert.equal(movedC?.envelope.subject, 'm3')
    const none = await port.copyMessages(BOX, 'Src', [999], 'Dst')
    assert.deepEqual({ v: none.uidValidity, n: none.uidMap.size }, { v: dstValidity, n: 0 })
  })
})
