/**
 * POST /objects (nms-spec-digest.md R1; client profile check 22) against the real Dovecot: the
 * message the gateway APPENDs is read back over IMAP (source, flags, internal date, parts).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { imapPaths } from './folders-helpers.js'
import {
  formBody, imapCount, imapMessage, imapPart, postForm, rootFields, smsPart, uidOf, type FormPart, type Json, type Reply
} from './objects-create-helpers.js'

const BOX = 'tel:+15550003001'

describe('create object', () => {
  let env: TestEnv

  before(async () => {
    env = await startTestEnv({
      boxes: [BOX],
      env: { NMS_MAX_BODY_BYTES: '65536' },
      config: {
        folders: { protected: ['/INBOX'], serverOnly: ['/Default'], listMaxEntries: 100 },
        objects: {
          defaultFolderPath: '/Uploads/Default-Drop',
          textContentMaxBytes: 2048,
          messageContextDefault: 'text-message',
          messageContextRules: [],
          headerAttributes: { 'X-Priority-Level': 'Priority' },
          smsCorrelationTag: true,
          maxPayloadParts: 100,
          bulkMaxItems: 5
        }
      }
    })
  })
  after(async () => { await env?.close() })

  async function create (parts: FormPart[], headers?: Record<string, string>): Promise<Reply> {
    return await postForm(env, BOX, '/objects', formBody(parts), headers)
  }

  function expectInvalid (r: Reply, variable: string): void {
    assert.equal(r.status, 400, JSON.stringify(r.body))
    assert.equal(r.body.requestError.serviceException.messageId, 'SVC0002')
    assert.deepEqual(r.body.requestError.serviceException.variables, [variable])
  }

  const sms = {
    object: {
      parentFolderPath: '/INBOX',
      flags: { flag: ['\\Flagged', '\\Seen'] },
      attributes: {
        attribute: [
          { name: 'Date', value: ['2021-03-04T10:11:12Z'] },
          { name: 'Direction', value: ['OUT'] },
          { name: 'To', value: ['+15557654321'] },
          { name: 'From', value: ['+15550003001'] },
          { name: 'Is-CPM-Group', value: ['no'] },
          { name: 'Message-Context', value: ['pager-message'] },
          { name: 'Priority', value: ['high'] }
        ]
      }
    }
  }

  it('stores an SMS as the deployed client sends it: 201, Location, flags, Direction, Date as internal date', async () => {
    const r = await create([rootFields(sms), smsPart('See you at 6')])
    assert.equal(r.status, 201, JSON.stringify(r.body))
    const ref = r.body.reference
    assert.equal(r.headers.location, ref.resourceURL)
    assert.match(ref.resourceURL, /^https:\/\/nms\.test\.example\/nms\/v1\/base\/tel%3A%2B15550003001\/objects\/[A-Za-z0-9_-]+$/)
    assert.equal(ref.path, `/INBOX/${decodeURIComponent(ref.resourceURL.split('/').pop())}`)
    const m = await imapMessage(env, BOX, 'INBOX', uidOf(ref.resourceURL))
    assert.ok(m !== undefined)
    assert.deepEqual([...m.flags].sort(), ['\\Flagged', '\\Seen'])
    assert.equal(m.internalDate.toISOString(), '2021-03-04T10:11:12.000Z')
    assert.match(m.source, /^Date: Thu, 04 Mar 2021 10:11:12 \+0000\r$/m)
    assert.match(m.source, /^Direction: Out\r$/m)
    assert.match(m.source, /^From: \+15550003001\r$/m)
    assert.match(m.source, /^To: \+15557654321\r$/m)
    assert.match(m.source, /^Message-Context: pager-message\r$/m)
    assert.match(m.source, /^Is-CPM-Group: no\r$/m)
    // objects.headerAttributes in reverse: the Priority attribute is stored as X-Priority-Level.
    assert.match(m.source, /^X-Priority-Level: high\r$/m)
    assert.match(m.source, /^Content-Type: text\/plain/m)
    assert.match(m.source, /\r\n\r\nSee you at 6\r\n$/)
  })

  it('stores correlationId as Message-ID, correlationTag as Correlation-Tag, and encodes a non-ASCII Subject', async () => {
    const obj = { parentFolderPath: '/INBOX', correlationId: 'msg-7f3a@example.net', correlationTag: 'tag-42', attributes: { attribute: [{ name: 'Subject', value: ['Grüße aus Köln'] }] } }
    const r = await create([rootFields({ object: obj }), smsPart('x')])
    assert.equal(r.status, 201, JSON.stringify(r.body))
    const m = await imapMessage(env, BOX, 'INBOX', uidOf(r.body.reference.resourceURL))
    assert.match(m?.source ?? '', /^Message-ID: <msg-7f3a@example\.net>\r$/m)
    assert.match(m?.source ?? '', /^Correlation-Tag: tag-42\r$/m)
    assert.match(m?.source ?? '', /^Subject: =\?UTF-8\?Q\?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln\?=\r$/m)
  })

  it('stores an MMS-like multipart/related payload: boundary kept, image bytes round-trip over IMAP', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe, 0x00, 0x01, 0x0a, 0x0d])
    const inner = Buffer.concat([
      Buffer.from('--mms-inner\r\nContent-Type: application/smil\r\nContent-ID: <smil>\r\n\r\n<smil><body><par><img src="cid:img1"/></par></body></smil>\r\n'),
      Buffer.from('--mms-inner\r\nContent-Type: image/png\r\nContent-ID: <img1>\r\nContent-Disposition: attachment;filename="img1.png"\r\n\r\n'),
      png,
      Buffer.from('\r\n--mms-inner--\r\n')
    ])
    const attachments: FormPart = {
      headers: ['Content-Disposition: form-data; name="attachments"', 'Content-Type: multipart/related; boundary="mms-inner"; start="<smil>"; type="application/smil"'],
      body: inner
    }
    const obj = { parentFolderPath: '/INBOX', correlationId: 'mid-0001@mmsc', attributes: { attribute: [{ name: 'Message-Context', value: ['multimedia-message'] }] } }
    const r = await create([rootFields({ object: obj }), attachments])
    assert.equal(r.status, 201, JSON.stringify(r.body))
    const uid = uidOf(r.body.reference.resourceURL)
    const m = await imapMessage(env, BOX, 'INBOX', uid)
    assert.match(m?.source ?? '', /^Content-Type: multipart\/related; boundary=mms-inner;/m)
    assert.ok(!(m?.source ?? '').includes('\u0000'), 'no NUL bytes in the stored message')
    assert.deepEqual(await imapPart(env, BOX, 'INBOX', uid, '2'), png)
    assert.match((await imapPart(env, BOX, 'INBOX', uid, '1')).toString(), /^<smil>/)
  })

  it('creates every missing folder of parentFolderPath (two levels and more)', async () => {
    const r = await create([rootFields({ object: { parentFolderPath: '/Backup/2024/Pictures' } }), smsPart('p')])
    assert.equal(r.status, 201, JSON.stringify(r.body))
    assert.match(r.body.reference.path, /^\/Backup\/2024\/Pictures\/[A-Za-z0-9_-]+$/)
    const paths = await imapPaths(env, BOX)
    for (const p of ['Backup', 'Backup/2024', 'Backup/2024/Pictures']) assert.ok(paths.includes(p), `${p} in ${paths.join(',')}`)
    assert.ok(await imapMessage(env, BOX, 'Backup/2024/Pictures', uidOf(r.body.reference.resourceURL)))
  })

  it('uses objects.defaultFolderPath (created when missing) when no parent is named, and parentFolder URLs', async () => {
    const r = await create([rootFields({ object: {} }), smsPart('d')])
    assert.equal(r.status, 201, JSON.stringify(r.body))
    assert.match(r.body.reference.path, /^\/Uploads\/Default-Drop\/[A-Za-z0-9_-]+$/)
    assert.ok((await imapPaths(env, BOX)).includes('Uploads/Default-Drop'))
    const folderUrl = r.body.reference.resourceURL.replace(/\/objects\/[^/]+$/, '/folders/')
    const pathToId = await env.gateway.app.inject({ method: 'GET', url: `${env.base(BOX)}/folders/operations/pathToId?path=${encodeURIComponent('/Uploads/Default-Drop')}`, headers: await env.auth(BOX) })
    const parentFolder = JSON.parse(pathToId.body).reference.resourceURL as string
    assert.ok(parentFolder.startsWith(folderUrl))
    const byUrl = await create([rootFields({ object: { parentFolder } }), smsPart('u')])
    assert.equal(byUrl.status, 201, JSON.stringify(byUrl.body))
    assert.match(byUrl.body.reference.path, /^\/Uploads\/Default-Drop\//)
  })

  it('accepts the unwrapped Object as root-fields', async () => {
    const r = await create([rootFields(sms.object), smsPart('unwrapped')])
    assert.equal(r.status, 201, JSON.stringify(r.body))
    const m = await imapMessage(env, BOX, 'INBOX', uidOf(r.body.reference.resourceURL))
    assert.match(m?.source ?? '', /\r\n\r\nunwrapped\r\n$/)
  })

  it('reads sloppy Content-Disposition spellings of the entry names (digest R1)', async () => {
    const spellings = [
      'Content-Disposition: multipart/form-data; name="attachments"',
      'Content-Disposition: form-data; name=\u201cattachments\u201d',
      'Content-Disposition: form-data;name=attachments',
      'content-disposition: FORM-DATA; NAME="Attachments"'
    ]
    for (const [i, cd] of spellings.entries()) {
      const root: FormPart = { headers: ['Content-Disposition: multipart/form-data; name=\u201croot-fields\u201d', 'Content-Type: application/json'], body: JSON.stringify(sms) }
      const r = await create([root, { headers: [cd, 'Content-Type: text/plain; charset=UTF-8'], body: `sloppy ${i}` }])
      assert.equal(r.status, 201, `${cd}: ${JSON.stringify(r.body)}`)
      const m = await imapMessage(env, BOX, 'INBOX', uidOf(r.body.reference.resourceURL))
      assert.match(m?.source ?? '', new RegExp(`\\r\\n\\r\\nsloppy ${i}\\r\\n$`), cd)
    }
  })

  it('stores an object without attachments as an empty text/plain message', async () => {
    const r = await create([rootFields({ object: { parentFolderPath: '/INBOX', attributes: { attribute: [{ name: 'Message-Context', value: ['imdn-message'] }] } } })])
    assert.equal(r.status, 201, JSON.stringify(r.body))
    const m = await imapMessage(env, BOX, 'INBOX', uidOf(r.body.reference.resourceURL))
    assert.match(m?.source ?? '', /^Content-Type: text\/plain/m)
    assert.match(m?.source ?? '', /^Message-Context: imdn-message\r$/m)
  })

  it('refuses header injection (CR/LF in a value, bad field names) with 400 and appends nothing', async () => {
    const before = await imapCount(env, BOX, 'INBOX')
    const attack = (attribute: Json[]): FormPart => rootFields({ object: { parentFolderPath: '/INBOX', attributes: { attribute } } })
    expectInvalid(await create([attack([{ name: 'Subject', value: ['hi\r\nBcc: victim@example.com'] }]), smsPart('x')]), 'attribute Subject')
    expectInvalid(await create([attack([{ name: 'X-Evil\r\nBcc', value: ['v'] }]), smsPart('x')]), 'attribute X-Evil\r\nBcc')
    expectInvalid(await create([attack([{ name: 'Bad Name', value: ['v'] }]), smsPart('x')]), 'attribute Bad Name')
    expectInvalid(await create([attack([{ name: 'To', value: ['tel:+1\nBcc: x'] }]), smsPart('x')]), 'attribute To')
    expectInvalid(await create([rootFields({ object: { parentFolderPath: '/INBOX', correlationId: 'a\r\nb' } }), smsPart('x')]), 'correlationId')
    assert.equal(await imapCount(env, BOX, 'INBOX'), before)
  })

  it('refuses bad flags, dates, directions and server-only members with 400, appending nothing', async () => {
    const before = await imapCount(env, BOX, 'INBOX')
    const obj = (extra: Json): FormPart => rootFields({ object: { parentFolderPath: '/INBOX', ...extra } })
    expectInvalid(await create([obj({ flags: { flag: ['\\Recent'] } }), smsPart('x')]), 'object.flags.flag: \\Recent')
    expectInvalid(await create([obj({ flags: { flag: ['bad flag'] } }), smsPart('x')]), 'object.flags.flag: bad flag')
    expectInvalid(await create([obj({ attributes: { attribute: [{ name: 'Date', value: ['yesterday'] }] } }), smsPart('x')]), 'attribute Date')
    expectInvalid(await create([obj({ resourceURL: 'https://x/objects/y' }), smsPart('x')]), 'object.resourceURL')
    expectInvalid(await create([obj({ lastModSeq: 4 }), smsPart('x')]), 'object.lastModSeq')
    expectInvalid(await create([obj({ parentFolder: 'https://nms.test.example/x', parentFolderPath: '/INBOX' }), smsPart('x')]), 'object.parentFolder')
    const dir = await create([obj({ attributes: { attribute: [{ name: 'Direction', value: ['sideways'] }] } }), smsPart('x')])
    assert.equal(dir.status, 400)
    assert.deepEqual(dir.body.requestError.serviceException.variables, ['attribute Direction', 'In, Out'])
    assert.equal(dir.body.requestError.serviceException.messageId, 'SVC0003')
    assert.equal(await imapCount(env, BOX, 'INBOX'), before)
  })

  it('refuses a missing root-fields entry and unparsable root-fields JSON with 400 SVC0002 root-fields', async () => {
    expectInvalid(await create([smsPart('only attachments')]), 'root-fields')
    const broken: FormPart = { headers: ['Content-Disposition: form-data; name="root-fields"', 'Content-Type: application/json'], body: '{"object": {' }
    expectInvalid(await create([broken, smsPart('x')]), 'root-fields')
  })

  it('refuses a user token under a server-only folder (403 POL1031) and accepts the server scope', async () => {
    const r = await create([rootFields({ object: { parentFolderPath: '/Default/tel:+15557654321' } }), smsPart('x')])
    assert.equal(r.status, 403, JSON.stringify(r.body))
    assert.equal(r.body.requestError.policyException.messageId, 'POL1031')
    assert.deepEqual(r.body.requestError.policyException.variables, ['/Default/tel:+15557654321'])
    assert.ok(!(await imapPaths(env, BOX)).includes('Default'), 'nothing created')
    const server = { authorization: `Bearer ${await env.token(undefined, { scope: 'nms:server' })}` }
    const ok = await create([rootFields({ object: { parentFolderPath: '/Default/tel:+15557654321' } }), smsPart('x')], server)
    assert.equal(ok.status, 201, JSON.stringify(ok.body))
    assert.match(ok.body.reference.path, /^\/Default\/tel:\+15557654321\//)
  })

  it('answers 413 POL2004 to a body over NMS_MAX_BODY_BYTES', async () => {
    const big: FormPart = { headers: ['Content-Disposition: form-data; name="attachments"', 'Content-Type: application/octet-stream'], body: Buffer.alloc(70_000, 0x41) }
    const r = await create([rootFields(sms), big])
    assert.equal(r.status, 413, JSON.stringify(r.body))
    assert.equal(r.body.requestError.policyException.messageId, 'POL2004')
  })

  it('keeps 415 for multipart bodies on other routes', async () => {
    const res = await env.gateway.app.inject({
      method: 'POST',
      url: `${env.base(BOX)}/folders`,
      headers: { ...await env.auth(BOX), 'content-type': 'multipart/form-data; boundary=B0undary' },
      payload: formBody([rootFields({ folder: { parentFolderPath: '/INBOX', name: 'x' } })])
    })
    assert.equal(res.statusCode, 415, res.body)
  })
})
