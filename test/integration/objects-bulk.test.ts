/**
 * bulkCreation, bulkUpdate and bulkDelete (nms-spec-digest.md R9; client profile checks 24-26)
 * against the real Dovecot: one response per item in request order, 200 when any item
 * succeeded, the full list with a 4xx when none did, and the effect verified over IMAP.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import {
  formBody, imapCount, imapMessage, postForm, rootFields, sendJson, smsPart, uidOf, type FormPart, type Json
} from './objects-create-helpers.js'

const BOX = 'tel:+15550003101'
const OTHER = 'tel:+15550003102'

describe('bulk operations on objects', () => {
  let env: TestEnv

  before(async () => {
    env = await startTestEnv({
      boxes: [BOX, OTHER],
      config: {
        objects: {
          defaultFolderPath: '/INBOX',
          textContentMaxBytes: 2048,
          messageContextDefault: 'text-message',
          messageContextRules: [],
          headerAttributes: {},
          smsCorrelationTag: true,
          maxPayloadParts: 100,
          bulkMaxItems: 4
        }
      }
    })
  })
  after(async () => { await env?.close() })

  const emptyPart: FormPart = { headers: ['Content-Disposition: form-data; name="attachments"', 'Content-Length: 0'], body: '' }

  function smsObject (folder: string, text: string): Json {
    return { parentFolderPath: folder, attributes: { attribute: [{ name: 'Message-Context', value: ['pager-message'] }, { name: 'Subject', value: [text] }] } }
  }

  /** Creates one object through the gateway; returns its resourceURL. */
  async function createOne (folder: string, text: string): Promise<string> {
    const r = await postForm(env, BOX, '/objects', formBody([rootFields({ object: smsObject(folder, text) }), smsPart(text)]))
    assert.equal(r.status, 201, JSON.stringify(r.body))
    return r.body.reference.resourceURL
  }

  async function flagsOf (folder: string, url: string): Promise<string[]> {
    const m = await imapMessage(env, BOX, folder, uidOf(url))
    assert.ok(m !== undefined, `message of ${url} in ${folder}`)
    return [...m.flags].sort()
  }

  it('bulkCreation: mixes good and bad items, keeps the order, answers 200', async () => {
    const before = await imapCount(env, BOX, 'INBOX')
    const objects = [
      smsObject('/INBOX', 'first'),
      { ...smsObject('/INBOX', 'bad'), attributes: { attribute: [{ name: 'Subject', value: ['a\r\nBcc: x@example.com'] }] } },
      { parentFolderPath: '/INBOX', attributes: { attribute: [{ name: 'Message-Context', value: ['imdn-message'] }] } },
      smsObject('/Bulk/Created', 'fourth')
    ]
    const body = formBody([rootFields({ objectList: { object: objects } }), smsPart('first body'), smsPart('bad body'), emptyPart, smsPart('fourth body')])
    const r = await postForm(env, BOX, '/objects/operations/bulkCreation', body)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const items = r.body.bulkResponseList.response as Json[]
    assert.deepEqual(items.map((i) => i.code), [201, 400, 201, 201])
    assert.equal(items[0]?.reason, 'Created')
    assert.equal(items[1]?.failure.serviceException.messageId, 'SVC0002')
    assert.match(items[3]?.success.path, /^\/Bulk\/Created\//)
    assert.equal(await imapCount(env, BOX, 'INBOX'), before + 2)
    const first = await imapMessage(env, BOX, 'INBOX', uidOf(items[0]?.success.resourceURL))
    assert.match(first?.source ?? '', /\r\n\r\nfirst body\r\n$/)
    // The empty entry without Content-Type is "no payload": an empty text/plain body.
    const third = await imapMessage(env, BOX, 'INBOX', uidOf(items[2]?.success.resourceURL))
    assert.match(third?.source ?? '', /^Message-Context: imdn-message\r$/m)
    assert.ok(uidOf(items[0]?.success.resourceURL) < uidOf(items[2]?.success.resourceURL), 'appended in request order')
    const fourth = await imapMessage(env, BOX, 'Bulk/Created', uidOf(items[3]?.success.resourceURL))
    assert.match(fourth?.source ?? '', /\r\n\r\nfourth body\r\n$/)
  })

  it('bulkCreation: all items failing answer the first failure status with the full list', async () => {
    const objects = [{ parentFolderPath: '/INBOX', lastModSeq: 3 }, { parentFolderPath: '/INBOX', flags: { flag: ['\\Recent'] } }]
    const r = await postForm(env, BOX, '/objects/operations/bulkCreation', formBody([rootFields({ objectList: { object: objects } }), smsPart('a'), smsPart('b')]))
    assert.equal(r.status, 400, JSON.stringify(r.body))
    const items = r.body.bulkResponseList.response as Json[]
    assert.equal(items.length, 2)
    assert.deepEqual(items[0]?.failure.serviceException.variables, ['objectList.object.0.lastModSeq'])
    assert.deepEqual(items[1]?.failure.serviceException.variables, ['objectList.object.1.flags.flag: \\Recent'])
  })

  it('bulkCreation: refuses more than bulkMaxItems (403 POL2008) and misaligned attachments (400)', async () => {
    const five = Array.from({ length: 5 }, (_, i) => smsObject('/INBOX', `n${i}`))
    const tooMany = await postForm(env, BOX, '/objects/operations/bulkCreation', formBody([rootFields({ objectList: { object: five } })]))
    assert.equal(tooMany.status, 403, JSON.stringify(tooMany.body))
    assert.equal(tooMany.body.requestError.policyException.messageId, 'POL2008')
    const two = [smsObject('/INBOX', 'a'), smsObject('/INBOX', 'b')]
    const misaligned = await postForm(env, BOX, '/objects/operations/bulkCreation', formBody([rootFields({ objectList: { object: two } }), smsPart('only one')]))
    assert.equal(misaligned.status, 400)
    assert.deepEqual(misaligned.body.requestError.serviceException.variables, ['attachments'])
  })

  it('bulkUpdate: AddFlag and RemoveFlag across two folders, per-item 200/404/400 in order', async () => {
    const a1 = await createOne('/Flags/A', 'a1')
    const a2 = await createOne('/Flags/A', 'a2')
    const b1 = await createOne('/Flags/B', 'b1')
    const otherBox = a1.replace(encodeURIComponent(BOX), encodeURIComponent(OTHER))
    const forged = a1.replace(/objects\/[^/]+$/, 'objects/AAAAAAAAAAAAAAAAAAAA')
    const refs = [{ resourceURL: a1 }, { resourceURL: forged }, { resourceURL: b1 }, { resourceURL: otherBox }]
    const add = await sendJson(env, BOX, 'POST', '/objects/operations/bulkUpdate', {
      bulkUpdate: { operation: 'AddFlag', flags: { flag: ['\\Seen', '$Label1'] }, objects: { objectReference: refs } }
    })
    assert.equal(add.status, 200, JSON.stringify(add.body))
    const items = add.body.bulkResponseList.response as Json[]
    assert.deepEqual(items.map((i) => i.code), [200, 404, 200, 404])
    assert.deepEqual(items[0]?.success, { resourceURL: a1, path: `/Flags/A/${decodeURIComponent(a1.split('/').pop() as string)}` })
    assert.equal(items[1]?.failure.serviceException.messageId, 'SVC0004')
    assert.deepEqual(await flagsOf('Flags/A', a1), ['$Label1', '\\Seen'])
    assert.deepEqual(await flagsOf('Flags/A', a2), [], 'an unreferenced object keeps its flags')
    assert.deepEqual(await flagsOf('Flags/B', b1), ['$Label1', '\\Seen'])

    const remove = await sendJson(env, BOX, 'POST', '/objects/operations/bulkUpdate', {
      bulkUpdate: { operation: 'RemoveFlag', flags: { flag: ['\\SEEN'] }, objects: { objectReference: [{ resourceURL: b1 }, { nothing: 1 }, { resourceURL: a1 }] } }
    })
    assert.equal(remove.status, 200, JSON.stringify(remove.body))
    assert.deepEqual((remove.body.bulkResponseList.response as Json[]).map((i) => i.code), [200, 400, 200])
    assert.deepEqual(await flagsOf('Flags/A', a1), ['$Label1'])
    assert.deepEqual(await flagsOf('Flags/B', b1), ['$Label1'])
  })

  it('bulkUpdate: refuses a bad operation (SVC0003), bad flags (SVC0002) and selectionCriteria (SVC0003)', async () => {
    const url = await createOne('/INBOX', 'u')
    const objects = { objectReference: [{ resourceURL: url }] }
    const op = await sendJson(env, BOX, 'POST', '/objects/operations/bulkUpdate', { bulkUpdate: { operation: 'Toggle', flags: { flag: ['\\Seen'] }, objects } })
    assert.equal(op.status, 400)
    assert.deepEqual(op.body.requestError.serviceException, { messageId: 'SVC0003', text: 'Invalid input value for message part %1, valid values are %2', variables: ['bulkUpdate.operation', 'AddFlag, RemoveFlag'] })
    const flag = await sendJson(env, BOX, 'POST', '/objects/operations/bulkUpdate', { bulkUpdate: { operation: 'AddFlag', flags: { flag: ['no good'] }, objects } })
    assert.equal(flag.status, 400)
    assert.equal(flag.body.requestError.serviceException.messageId, 'SVC0002')
    const sel = await sendJson(env, BOX, 'POST', '/objects/operations/bulkUpdate', { bulkUpdate: { operation: 'AddFlag', flags: { flag: ['\\Seen'] }, selectionCriteria: { maxEntries: 1 } } })
    assert.equal(sel.status, 400)
    assert.equal(sel.body.requestError.serviceException.messageId, 'SVC0003')
    assert.deepEqual(await flagsOf('INBOX', url), [])
  })

  it('bulkDelete as DELETE with a JSON body: existing, unknown and forged references, in order', async () => {
    const d1 = await createOne('/Del/A', 'd1')
    const d2 = await createOne('/Del/B', 'd2')
    const keep = await createOne('/Del/A', 'keep')
    const forged = d1.replace(/objects\/[^/]+$/, 'objects/not-an-id')
    const otherBox = d2.replace(encodeURIComponent(BOX), encodeURIComponent(OTHER))
    const r = await sendJson(env, BOX, 'DELETE', '/objects/operations/bulkDelete', {
      bulkDelete: { objects: { objectReference: [{ resourceURL: d1 }, { resourceURL: forged }, { resourceURL: d2 }, { resourceURL: otherBox }] } }
    })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const items = r.body.bulkResponseList.response as Json[]
    assert.deepEqual(items.map((i) => i.code), [200, 404, 200, 404])
    assert.equal(items[0]?.success.resourceURL, d1)
    assert.equal(await imapMessage(env, BOX, 'Del/A', uidOf(d1)), undefined)
    assert.equal(await imapMessage(env, BOX, 'Del/B', uidOf(d2)), undefined)
    assert.ok(await imapMessage(env, BOX, 'Del/A', uidOf(keep)), 'only the referenced UIDs are expunged')

    // Deleting them again: nothing succeeds, so the first failure's status with the full list.
    const again = await sendJson(env, BOX, 'DELETE', '/objects/operations/bulkDelete', { bulkDelete: { objects: { objectReference: [{ resourceURL: d1 }, { resourceURL: d2 }] } } })
    assert.equal(again.status, 404, JSON.stringify(again.body))
    assert.deepEqual((again.body.bulkResponseList.response as Json[]).map((i) => i.code), [404, 404])
  })

  it('bulkDelete as POST works the same, and refuses selectionCriteria', async () => {
    const p1 = await createOne('/Del/Post', 'p1')
    const unknown = p1.replace(/objects\/[^/]+$/, `objects/${encodeURIComponent('AQsA')}`)
    const r = await sendJson(env, BOX, 'POST', '/objects/operations/bulkDelete', { bulkDelete: { objects: { objectReference: [{ resourceURL: unknown }, { resourceURL: p1 }] } } })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.deepEqual((r.body.bulkResponseList.response as Json[]).map((i) => i.code), [404, 200])
    assert.equal(await imapMessage(env, BOX, 'Del/Post', uidOf(p1)), undefined)
    const sel = await sendJson(env, BOX, 'POST', '/objects/operations/bulkDelete', { bulkDelete: { selectionCriteria: { maxEntries: 1 } } })
    assert.equal(sel.status, 400)
    assert.equal(sel.body.requestError.serviceException.messageId, 'SVC0003')
  })
})
