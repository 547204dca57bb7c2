/**
 * GET / DELETE /objects/{objectId} (nms-spec-digest.md R2; issue 3 items 1, 2) against the real
 * Dovecot: a received SMS in INBOX (TextContent, Direction In, client correlationTag), a sent
 * SMS in the \Sent folder (Direction Out), an MMS-like multipart/related message (payloadPart
 * list), an e-mail with an RFC 2047 subject, DELETE 204 then 404, forged and stale ids.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { encodeObjectId } from '../../src/nms/ids/object-id.js'
import { call, mailboxes, mms, seed, sms } from './objects-read-helpers.js'

const BOX = 'tel:+15550003101'
const BASE = 'https://nms.test.example/nms/v1/base/tel%3A%2B15550003101'

/** The deployed-client tag, recomputed here from its definition (client profile 3.1). */
function clientTag (input: string): string {
  return createHash('md5').update(input).digest().subarray(0, 8).toString('hex').replace(/^0+/, '')
}

function attr (o: any, name: string): string[] | undefined {
  return (o.attributes.attribute as Array<{ name: string, value: string[] }>).find((a) => a.name === name)?.value
}

describe('GET and DELETE an object', () => {
  let env: TestEnv

  before(async () => {
    env = await startTestEnv({ boxes: [BOX] })
    await mailboxes(env, BOX, ['Sent', 'Work'])
  })
  after(async () => { await env?.close() })

  it('describes a received SMS with TextContent, Direction In and the client correlationTag', async () => {
    const s = await seed(env, BOX, 'INBOX', sms('tel:+15557654321', `<${BOX}>`, 'Grüße, see you at 6'), ['\\Seen'])
    const r = await call(env, BOX, 'GET', `/objects/${s.id}`)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const o = r.body.object
    assert.deepEqual(Object.keys(o), ['parentFolder', 'attributes', 'flags', 'resourceURL', 'path', 'lastModSeq', 'correlationTag'])
    assert.equal(o.resourceURL, `${BASE}/objects/${s.id}`)
    assert.equal(o.parentFolder, `${BASE}/folders/${s.folderId}`)
    assert.equal(o.path, `/INBOX/${s.id}`)
    assert.deepEqual(o.flags, { flag: ['\\Seen'], resourceURL: `${BASE}/objects/${s.id}/flags` })
    assert.equal(typeof o.lastModSeq, 'number')
    assert.ok(o.lastModSeq > 0)
    assert.deepEqual(attr(o, 'TextContent'), ['Grüße, see you at 6'])
    assert.deepEqual(attr(o, 'Message-Context'), ['pager-message'])
    assert.deepEqual(attr(o, 'Direction'), ['In'])
    assert.deepEqual(attr(o, 'From'), ['tel:+15557654321'])
    assert.deepEqual(attr(o, 'To'), [BOX])
    assert.deepEqual(attr(o, 'Date'), ['2024-03-04T09:11:12+0000'])
    assert.equal(o.correlationTag, clientTag(':::+15557654321::Grüße, see you at 6'))
    for (const a of o.attributes.attribute) assert.ok(Array.isArray(a.value) && a.value.length > 0, a.name)
  })

  it('describes a sent SMS in the \\Sent folder as Direction Out, tagged with the recipient', async () => {
    const s = await seed(env, BOX, 'Sent', sms('tel:+15550009999', 'tel:5557654321', 'on my way'))
    const r = await call(env, BOX, 'GET', `/objects/${s.id}`)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.deepEqual(attr(r.body.object, 'Direction'), ['Out'])
    assert.equal(r.body.object.path, `/Sent/${s.id}`)
    assert.equal(r.body.object.correlationTag, clientTag('+15557654321:::::on my way'))
    // Sent by the box itself, outside \Sent: Out as well.
    const own = await seed(env, BOX, 'Work', sms(BOX, 'tel:+15557654321', 'mine'))
    const w = await call(env, BOX, 'GET', `/objects/${own.id}`)
    assert.deepEqual(attr(w.body.object, 'Direction'), ['Out'])
  })

  it('describes an MMS-like multipart/related message with its first-level parts', async () => {
    const s = await seed(env, BOX, 'INBOX', mms('tel:+15557654321', BOX))
    const r = await call(env, BOX, 'GET', `/objects/${s.id}`)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const o = r.body.object
    const url = `${BASE}/objects/${s.id}`
    assert.equal(o.payloadURL, `${url}/payload`)
    assert.equal(o.correlationId, 'mms-1@mmsc.example')
    assert.equal(o.correlationTag, undefined)
    assert.deepEqual(attr(o, 'Message-Context'), ['multimedia-message'])
    assert.deepEqual(attr(o, 'Message-ID'), ['<mms-1@mmsc.example>'])
    assert.deepEqual(attr(o, 'Subject'), ['picture'])
    assert.deepEqual(attr(o, 'Content-Type'), ['multipart/related; boundary="=_b1 x"; type="text/plain"'])
    assert.equal(attr(o, 'TextContent'), undefined)
    assert.equal(o.payloadPart.length, 2)
    assert.deepEqual(o.payloadPart[0], { contentType: 'text/plain', contentId: 't1', size: o.payloadPart[0].size, href: `${url}/payloadParts/1` })
    assert.equal(o.payloadPart[1].contentType, 'image/png')
    assert.equal(o.payloadPart[1].contentId, 'img1')
    assert.equal(o.payloadPart[1].contentLocation, 'pic.png')
    assert.equal(o.payloadPart[1].href, `${url}/payloadParts/2`)
    assert.ok(o.payloadPart[1].size > 900)
  })

  it('decodes an RFC 2047 subject and names of an e-mail', async () => {
    const raw = 'From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <jm@example.com>\r\nTo: a@example.com, "B, C" <bc@example.com>\r\n' +
      'Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4g4pyT?=\r\nMessage-ID: <e1@example.com>\r\n' +
      'Date: Tue, 05 Mar 2024 23:30:00 -0200\r\n\r\nHello there\r\n'
    const s = await seed(env, BOX, 'INBOX', raw)
    const r = await call(env, BOX, 'GET', `/objects/${s.id}`)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const o = r.body.object
    assert.deepEqual(attr(o, 'Subject'), ['Grüße aus Köln ✓'])
    assert.deepEqual(attr(o, 'From'), ['Jörg Müller <jm@example.com>'])
    assert.deepEqual(attr(o, 'To'), ['a@example.com', '"B, C" <bc@example.com>'])
    assert.deepEqual(attr(o, 'Date'), ['2024-03-06T01:30:00+0000'])
    assert.deepEqual(attr(o, 'Message-Context'), ['text-message'])
    assert.deepEqual(attr(o, 'Direction'), ['In'])
    assert.equal(o.correlationId, 'e1@example.com')
    assert.ok(o.payloadURL.endsWith('/payload'))
    assert.deepEqual(o.payloadPart, [{ contentType: 'text/plain', size: o.payloadPart[0].size, href: `${o.resourceURL}/payloadParts/1` }])
  })

  it('deletes exactly one object: 204, then 404; the others stay', async () => {
    const a = await seed(env, BOX, 'Work', sms('tel:+15557654321', BOX, 'a'))
    const b = await seed(env, BOX, 'Work', sms('tel:+15557654321', BOX, 'b'))
    const d = await call(env, BOX, 'DELETE', `/objects/${a.id}`)
    assert.equal(d.status, 204)
    assert.equal(d.raw.length, 0)
    const again = await call(env, BOX, 'DELETE', `/objects/${a.id}`)
    assert.equal(again.status, 404)
    assert.equal(again.body.requestError.serviceException.messageId, 'SVC0004')
    assert.equal((await call(env, BOX, 'GET', `/objects/${a.id}`)).status, 404)
    assert.equal((await call(env, BOX, 'GET', `/objects/${b.id}`)).status, 200)
  })

  it('answers forged and stale ids with 404 SVC0004', async () => {
    for (const id of ['nope', 'AQAAAAAAAAAAAAAAAAAAAAAAAA', `${'A'.repeat(30)}`]) {
      const r = await call(env, BOX, 'GET', `/objects/${id}`)
      assert.equal(r.status, 404, id)
      assert.equal(r.body.requestError.serviceException.messageId, 'SVC0004')
    }
    // Delete and recreate the folder: the old ids name a folder id that no longer exists.
    await mailboxes(env, BOX, ['Tmp'])
    const s = await seed(env, BOX, 'Tmp', sms('tel:+15557654321', BOX, 'x'))
    assert.equal((await call(env, BOX, 'GET', `/objects/${s.id}`)).status, 200)
    const c = await env.imap(BOX)
    try {
      await c.mailboxDelete('Tmp')
      await c.mailboxCreate('Tmp')
    } finally {
      await c.logout()
    }
    for (const method of ['GET', 'DELETE']) {
      const r = await call(env, BOX, method, `/objects/${s.id}`)
      assert.equal(r.status, 404, method)
      assert.equal(r.body.requestError.serviceException.messageId, 'SVC0004')
    }
    // A UID that never existed in a live folder.
    const live = await seed(env, BOX, 'Work', sms('tel:+15557654321', BOX, 'live'))
    const ghost = encodeObjectId({ folderId: live.folderId, uidValidity: live.uidValidity, uid: live.uid + 1000 })
    assert.equal((await call(env, BOX, 'GET', `/objects/${ghost}`)).status, 404)
    assert.equal((await call(env, BOX, 'DELETE', `/objects/${ghost}`)).status, 404)
  })

  it('answers PUT and POST with 405 Allow: DELETE, GET', async () => {
    const s = await seed(env, BOX, 'Work', sms('tel:+15557654321', BOX, 'z'))
    for (const method of ['PUT', 'POST']) {
      const r = await call(env, BOX, method, `/objects/${s.id}`, { payload: {} })
      assert.equal(r.status, 405, method)
      assert.equal(r.headers.allow, 'DELETE, GET')
    }
  })
})
