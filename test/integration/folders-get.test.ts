/**
 * GET /folders/{folderId} (nms-spec-digest.md R11): listFilter, path=Yes, attrFilter counts,
 * paging with maxEntries / fromCursor across subfolders and objects, and the errors.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { decodeObjectId } from '../../src/nms/ids/object-id.js'
import { folderClient, imapAppend, imapCreate, type FolderClient, type Json } from './folders-helpers.js'

const BOX = 'tel:+15550001002'

describe('GET folder', () => {
  let env: TestEnv
  let f: FolderClient
  let work: string
  let child: string
  let big: string

  before(async () => {
    env = await startTestEnv({ boxes: [BOX] })
    f = folderClient(env, BOX)
    await imapCreate(env, BOX, ['Work', 'Work/Child', 'Big'])
    await imapAppend(env, BOX, 'Work', 4)
    await imapAppend(env, BOX, 'Work/Child', 3)
    await imapAppend(env, BOX, 'Big', 25)
    for (let i = 1; i <= 5; i++) await imapCreate(env, BOX, [`Big/sub${i}`])
    work = await f.idByPath('/Work') as string
    child = await f.idByPath('/Work/Child') as string
    big = await f.idByPath('/Big') as string
  })
  after(async () => { await env?.close() })

  it('returns the folder without lists, path or costly attributes by default', async () => {
    const r = await f.get(child)
    assert.equal(r.status, 200)
    const folder = r.body.folder
    assert.equal(folder.name, 'Child')
    assert.equal(folder.resourceURL, `https://nms.test.example/nms/v1/base/tel%3A%2B15550001002/folders/${child}`)
    assert.equal(folder.parentFolder, `https://nms.test.example/nms/v1/base/tel%3A%2B15550001002/folders/${work}`)
    assert.equal(typeof folder.lastModSeq, 'number')
    assert.deepEqual(folder.attributes.attribute.map((a: Json) => a.name), ['Name', 'Date'])
    for (const absent of ['path', 'subFolders', 'objects', 'cursor']) assert.equal(folder[absent], undefined, absent)
  })

  it('includes path only with path=Yes', async () => {
    assert.equal((await f.get(child, '?path=Yes')).body.folder.path, '/Work/Child')
  })

  it('returns the lists listFilter asks for', async () => {
    const sub = (await f.get(work, '?listFilter=Subfolders')).body.folder
    assert.deepEqual(sub.subFolders.folderReference, [{ resourceURL: `https://nms.test.example/nms/v1/base/tel%3A%2B15550001002/folders/${child}`, path: '/Work/Child' }])
    assert.equal(sub.objects, undefined)
    const obj = (await f.get(work, '?listFilter=Objects')).body.folder
    assert.equal(obj.subFolders, undefined)
    assert.equal(obj.objects.objectReference.length, 4)
    const all = (await f.get(work, '?listFilter=All')).body.folder
    assert.equal(all.subFolders.folderReference.length, 1)
    assert.equal(all.objects.objectReference.length, 4)
  })

  it('gives objects ids that encode the folder, UIDVALIDITY and UID, with the folder path before the id', async () => {
    const c = await env.imap(BOX)
    const status = await c.status('Work', { uidValidity: true })
    await c.logout()
    assert.ok(status !== false)
    const refs = (await f.get(work, '?listFilter=Objects')).body.folder.objects.objectReference as Json[]
    const uids = refs.map((ref) => {
      const id = decodeURIComponent(ref.resourceURL.replace(/^.*\/objects\//, ''))
      assert.equal(ref.path, `/Work/${id}`)
      const parts = decodeObjectId(id)
      assert.ok(parts !== null)
      assert.equal(parts.folderId, work)
      assert.equal(parts.uidValidity, String(status.uidValidity))
      return parts.uid
    })
    assert.deepEqual(uids, [1, 2, 3, 4])
  })

  it('returns count attributes only when attrFilter names them, matching the messages appended', async () => {
    const r = await f.get(work, '?attrFilter=MsgCount&attrFilter=unreadmsgcount&attrFilter=Size&attrFilter=SubtreeMsgCount&attrFilter=SubtreeUnreadMsgCount&attrFilter=SubtreeSize')
    assert.equal(r.status, 200)
    const attrs = new Map((r.body.folder.attributes.attribute as Json[]).map((a) => [a.name, a.value[0]]))
    assert.equal(attrs.get('MsgCount'), '4')
    assert.equal(attrs.get('UnreadMsgCount'), '2')
    assert.equal(attrs.get('SubtreeMsgCount'), '7')
    assert.equal(attrs.get('SubtreeUnreadMsgCount'), '3')
    assert.ok(Number(attrs.get('Size')) > 0)
    assert.ok(Number(attrs.get('SubtreeSize')) > Number(attrs.get('Size')))
    const one = await f.get(work, '?attrFilter=MsgCount')
    assert.deepEqual((one.body.folder.attributes.attribute as Json[]).map((a) => a.name), ['Name', 'Root', 'Date', 'MsgCount'])
  })

  it('pages 5 subfolders and 25 objects in pages of 7 with nothing left out or repeated', async () => {
    const full = (await f.get(big, '?listFilter=All&maxEntries=100')).body.folder
    const expected = [...full.subFolders.folderReference, ...full.objects.objectReference].map((x: Json) => x.resourceURL)
    assert.equal(expected.length, 30)
    const got: string[] = []
    const sizes: number[] = []
    let cursor: string | undefined
    do {
      const q = `?listFilter=All&maxEntries=7${cursor === undefined ? '' : `&fromCursor=${encodeURIComponent(cursor)}`}`
      const r = await f.get(big, q)
      assert.equal(r.status, 200, JSON.stringify(r.body))
      const page = [...r.body.folder.subFolders.folderReference, ...r.body.folder.objects.objectReference].map((x: Json) => x.resourceURL)
      sizes.push(page.length)
      got.push(...page)
      cursor = r.body.folder.cursor
    } while (cursor !== undefined && sizes.length < 10)
    assert.deepEqual(sizes, [7, 7, 7, 7, 2])
    assert.equal(new Set(got).size, got.length, 'no duplicates')
    assert.deepEqual(new Set(got), new Set(expected))
  })

  it('caps maxEntries at folders.listMaxEntries', async () => {
    const small = await startTestEnv({ boxes: [BOX], config: { folders: { protected: ['/INBOX'], serverOnly: [], listMaxEntries: 3 } } })
    try {
      await imapAppend(small, BOX, 'INBOX', 5)
      const s = folderClient(small, BOX)
      const r = await s.get(await s.idByPath('/INBOX') as string, '?listFilter=Objects&maxEntries=50')
      assert.equal(r.body.folder.objects.objectReference.length, 3)
      assert.equal(typeof r.body.folder.cursor, 'string')
    } finally {
      await small.close()
    }
  })

  it('refuses a cursor of another folder, another listFilter, or a tampered one with 400 SVC0002 fromCursor', async () => {
    const cursor = (await f.get(big, '?listFilter=All&maxEntries=2')).body.folder.cursor as string
    for (const [id, q] of [[work, `?listFilter=All&fromCursor=${encodeURIComponent(cursor)}`], [big, `?listFilter=Objects&fromCursor=${encodeURIComponent(cursor)}`], [big, `?listFilter=All&fromCursor=${encodeURIComponent(cursor)}x`]] as const) {
      const r = await f.get(id, q)
      assert.equal(r.status, 400)
      assert.deepEqual(r.body.requestError.serviceException.variables, ['fromCursor'])
    }
  })

  it('refuses an unknown listFilter with 400 SVC0003 listing the valid ones', async () => {
    const r = await f.get(work, '?listFilter=Everything')
    assert.equal(r.status, 400)
    assert.deepEqual(r.body.requestError.serviceException.variables, ['listFilter', 'Subfolders, Objects, All'])
  })

  it('answers an unknown folder with 404 SVC0004 and a folder link', async () => {
    for (const id of ['doesNotExist', 'operations']) {
      const r = await f.get(id)
      assert.equal(r.status, 404)
      assert.deepEqual(r.body.requestError, {
        link: [{ rel: 'folder', href: `https://nms.test.example/nms/v1/base/tel%3A%2B15550001002/folders/${id}` }],
        serviceException: { messageId: 'SVC0004', text: 'No valid addresses provided in message part %1', variables: ['Request-URI'] }
      })
    }
  })

  it('answers 405 with Allow: DELETE, GET for PUT and POST on a folder', async () => {
    for (const method of ['PUT', 'POST']) {
      const r = await f.call(method, `/folders/${work}`, {})
      assert.equal(r.status, 405)
      assert.equal(r.headers.allow, 'DELETE, GET')
    }
  })

  it('is readable with a read-only OMA scope', async () => {
    const r = await f.call('GET', `/folders/${work}`, undefined, await env.auth(BOX, { scope: 'oma_rest_nms.read' }))
    assert.equal(r.status, 200)
  })
})
