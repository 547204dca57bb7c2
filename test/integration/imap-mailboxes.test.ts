/**
 * Mailbox operations of the ImapPort against the real Dovecot, checked through a direct IMAP
 * client (`env.imap`): CREATE / RENAME / DELETE / STATUS / LIST with LIST-STATUS, names that
 * need modified UTF-7 and quoting (RFC 3501 sections 5.1.3 and 4.3), and UID paging.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { createImapPort } from '../../src/imap/create-imap-port.js'
import type { ImapPort } from '../../src/imap/types.js'
import { isGatewayError } from '../../src/errors/gateway-error.js'

const BOX = { boxId: 'tel:+15550004001' }
const ODD = 'Fötter "quoted" \\back\\slash 日本'

function message (n: number): string {
  return `From: a@example.com\r\nTo: b@example.com\r\nSubject: m${n}\r\nMessage-ID: <m${n}@example.com>\r\n\r\nbody ${n}\r\n`
}

function isCode (code: string, detail?: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(isGatewayError(err), `expected a GatewayError, got ${String(err)}`)
    assert.equal(err.code, code)
    if (detail !== undefined) assert.match(err.detail ?? '', detail)
    return true
  }
}

describe('ImapPort mailbox operations', () => {
  let env: TestEnv
  let port: ImapPort

  before(async () => {
    env = await startTestEnv({ boxes: [BOX.boxId], noGateway: true, noRedis: true })
    port = createImapPort(env.makeConfig(), pino({ level: 'silent' }))
  })
  after(async () => {
    await port.close()
    await env.close()
  })

  it('reports the delimiter and lists INBOX with uidValidity and the asked STATUS items', async () => {
    assert.equal(await port.delimiter(BOX), '/')
    const [inbox, ...rest] = await port.listMailboxes(BOX, ['messages', 'uidNext', 'unseen', 'highestModseq', 'size'])
    assert.deepEqual(rest, [])
    assert.ok(inbox !== undefined)
    assert.equal(inbox.path, 'INBOX')
    assert.deepEqual(inbox.segments, ['INBOX'])
    assert.equal(inbox.selectable, true)
    assert.match(inbox.status?.uidValidity ?? '', /^[1-9][0-9]*$/)
    assert.deepEqual({ ...inbox.status, uidValidity: 'x' }, { uidValidity: 'x', messages: 0, uidNext: 1, unseen: 0, highestModseq: '1', size: 0 })
    // Without items, still the UIDVALIDITY (folder ids depend on it).
    const [bare] = await port.listMailboxes(BOX)
    assert.deepEqual(Object.keys(bare?.status ?? {}), ['uidValidity'])
  })

  it('creates a mailbox whose name needs modified UTF-7 and quoting, as Dovecot stores it', async () => {
    const created = await port.createMailbox(BOX, ODD)
    assert.equal(created.path, ODD)
    assert.deepEqual(created.segments, [ODD])
    assert.equal(created.selectable, true)
    assert.match(created.status?.uidValidity ?? '', /^[1-9][0-9]*$/)
    assert.equal(created.status?.messages, 0)
    const direct = await env.imap(BOX.boxId)
    try {
      const found = (await direct.list()).find((m) => m.path === ODD)
      assert.ok(found !== undefined, 'the direct client sees the same Unicode name')
      // RFC 3501 section 5.1.3: non-ASCII travels as modified UTF-7 on the wire.
      assert.equal(found.pathAsListed, 'F&APY-tter "quoted" \\back\\slash &ZeVnLA-')
      const status = await direct.status(ODD, { uidValidity: true })
      assert.ok(status !== false)
      assert.equal(status.uidValidity?.toString(), created.status?.uidValidity)
    } finally {
      await direct.logout()
    }
    const listed = (await port.listMailboxes(BOX)).find((m) => m.path === ODD)
    assert.equal(listed?.status?.uidValidity, created.status?.uidValidity)
  })

  it('refuses to create an existing mailbox, keeping [ALREADYEXISTS] in detail', async () => {
    await assert.rejects(port.createMailbox(BOX, ODD), isCode('GW_ERR_IMAP_FAILED', /\[ALREADYEXISTS\]/))
  })

  it('creates hierarchies, reports server special use, and renames with inferiors keeping UIDVALIDITY', async () => {
    const child = await port.createMailbox(BOX, 'Parent/Child')
    assert.deepEqual(child.segments, ['Parent', 'Child'])
    const sent = await port.createMailbox(BOX, 'Sent')
    assert.equal(sent.specialUse, '\\Sent')
    await port.renameMailbox(BOX, 'Parent', 'Renamed')
    const list = await port.listMailboxes(BOX)
    const paths = list.map((m) => m.path)
    assert.ok(paths.includes('Renamed/Child') && !paths.includes('Parent/Child'), paths.join(','))
    const moved = list.find((m) => m.path === 'Renamed/Child')
    // RFC 3501 section 6.3.5 lets a server keep UIDVALIDITY on rename; Dovecot does, and folder ids rely on it.
    assert.equal(moved?.status?.uidValidity, child.status?.uidValidity)
    assert.equal(list.find((m) => m.path === 'Sent')?.specialUse, '\\Sent')
    assert.equal(list.find((m) => m.path === 'INBOX')?.specialUse, undefined)
  })

  it('maps missing mailboxes to 404 and other refusals to 502 with the response code in detail', async () => {
    await assert.rejects(port.deleteMailbox(BOX, 'Nope'), isCode('GW_ERR_NOT_FOUND', /\[NONEXISTENT\]/))
    await assert.rejects(port.renameMailbox(BOX, 'Nope', 'Nope2'), isCode('GW_ERR_NOT_FOUND'))
    await assert.rejects(port.status(BOX, 'Nope', ['messages']), isCode('GW_ERR_NOT_FOUND'))
    await assert.rejects(port.listUids(BOX, 'Nope', { afterUid: 0, limit: 5 }), isCode('GW_ERR_NOT_FOUND'))
    await assert.rejects(port.renameMailbox(BOX, 'Sent', ODD), isCode('GW_ERR_IMAP_FAILED', /\[ALREADYEXISTS\]/))
  })

  it('deletes a mailbox (children first) and the direct client no longer sees it', async () => {
    await port.deleteMailbox(BOX, 'Renamed/Child')
    await port.deleteMailbox(BOX, 'Renamed')
    await port.deleteMailbox(BOX, ODD)
    const direct = await env.imap(BOX.boxId)
    try {
      const paths = (await direct.list()).map((m) => m.path).sort()
      assert.deepEqual(paths, ['INBOX', 'Sent'])
    } finally {
      await direct.logout()
    }
  })

  it('STATUS counts messages appended behind the gateway\'s back', async () => {
    await port.createMailbox(BOX, 'Counted')
    const direct = await env.imap(BOX.boxId)
    try {
      await direct.append('Counted', message(1), ['\\Seen'])
      await direct.append('Counted', message(2))
    } finally {
      await direct.logout()
    }
    const s = await port.status(BOX, 'Counted', ['messages', 'unseen', 'uidNext', 'size', 'highestModseq'])
    assert.equal(s.messages, 2)
    assert.equal(s.unseen, 1)
    assert.equal(s.uidNext, 3)
    assert.ok((s.size ?? 0) > 100)
    assert.match(s.highestModseq ?? '', /^[1-9][0-9]*$/)
  })

  it('pages UIDs in ascending order across gaps, never returning the highest UID for a range past it', async () => {
    await port.createMailbox(BOX, 'Paged')
    const direct = await env.imap(BOX.boxId)
    try {
      for (let i = 1; i <= 6; i++) await direct.append('Paged', message(i))
      const lock = await direct.getMailboxLock('Paged')
      try {
        // Expunge a middle UID and the highest one, so UIDNEXT (7) is past the last UID (5).
        await direct.messageDelete('2,6', { uid: true })
      } finally {
        lock.release()
      }
    } finally {
      await direct.logout()
    }
    const page = async (afterUid: number, limit: number): Promise<[number[], boolean]> => {
      const p = await port.listUids(BOX, 'Paged', { afterUid, limit })
      assert.match(p.uidValidity, /^[1-9][0-9]*$/)
      return [p.uids, p.more]
    }
    assert.deepEqual(await page(0, 2), [[1, 3], true])
    assert.deepEqual(await page(3, 2), [[4, 5], false])
    assert.deepEqual(await page(4, 10), [[5], false])
    // `UID SEARCH UID 6:*` matches UID 5 (`*` is the highest UID); it must not come back.
    assert.deepEqual(await page(5, 10), [[], false])
    assert.deepEqual(await page(100, 10), [[], false])
    assert.deepEqual(await page(0, 100), [[1, 3, 4, 5], false])
    const empty = await port.listUids(BOX, 'Sent', { afterUid: 0, limit: 10 })
    assert.deepEqual(empty.uids, [])
    assert.equal(empty.more, false)
  })
})
