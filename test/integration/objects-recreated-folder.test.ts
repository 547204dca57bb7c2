/**
 * A mailbox deleted and recreated by another IMAP client while a pooled gateway session still
 * has the old one selected: the gateway must see the new UIDVALIDITY at once, give the folder
 * a new id, answer 404 for the old object ids and serve the new ones (RFC 3501 section 2.3.1.1).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'

const BOX = 'tel:+15550004001'
let env: TestEnv

before(async () => { env = await startTestEnv({ boxes: [BOX] }) })
after(async () => { await env.close() })

async function get (url: string): Promise<{ statusCode: number, json: Record<string, any> }> {
  const res = await env.gateway.app.inject({ method: 'GET', url, headers: await env.auth(BOX) })
  return { statusCode: res.statusCode, json: res.body === '' ? {} : JSON.parse(res.body) }
}

async function onlyObject (folderId: string): Promise<string> {
  const folder = await get(`${env.base(BOX)}/folders/${folderId}?listFilter=Objects`)
  assert.equal(folder.statusCode, 200)
  const refs = folder.json.folder.objects.objectReference as Array<{ resourceURL: string }>
  assert.equal(refs.length, 1)
  return new URL(refs[0]!.resourceURL).pathname.split('/').pop() as string
}

describe('mailbox deleted and recreated behind the gateway', () => {
  it('gives the new mailbox a new id and serves its objects at once', async () => {
    const direct = await env.imap(BOX)
    try {
      await direct.mailboxCreate('Cycle')
      await direct.append('Cycle', 'Subject: first\r\nMessage-ID: <a@x>\r\n\r\nold body\r\n')
      const before = await get(`${env.base(BOX)}/folders/operations/pathToId?path=/Cycle`)
      const oldFolderId = new URL(before.json.reference.resourceURL).pathname.split('/').pop() as string
      const oldObject = await onlyObject(oldFolderId)
      // The pooled session now has Cycle selected (GET object selects it).
      assert.equal((await get(`${env.base(BOX)}/objects/${oldObject}`)).statusCode, 200)

      await direct.mailboxDelete('Cycle')
      await direct.mailboxCreate('Cycle')
      await direct.append('Cycle', 'Subject: second\r\nMessage-ID: <b@x>\r\n\r\nnew body\r\n')

      const after = await get(`${env.base(BOX)}/folders/operations/pathToId?path=/Cycle`)
      assert.equal(after.statusCode, 200)
      const newFolderId = new URL(after.json.reference.resourceURL).pathname.split('/').pop() as string
      assert.notEqual(newFolderId, oldFolderId, 'a recreated mailbox is a new folder')
      assert.equal((await get(`${env.base(BOX)}/objects/${oldObject}`)).statusCode, 404)
      const newObject = await onlyObject(newFolderId)
      const obj = await get(`${env.base(BOX)}/objects/${newObject}`)
      assert.equal(obj.statusCode, 200)
      assert.equal(obj.json.object.correlationId, 'b@x')
    } finally {
      await direct.logout()
    }
  })

  it('follows a mailbox renamed by another client right after the object was read', async () => {
    const direct = await env.imap(BOX)
    try {
      await direct.mailboxCreate('Before')
      await direct.append('Before', 'Subject: moving\r\nMessage-ID: <r@x>\r\n\r\nbody\r\n')
      const ref = await get(`${env.base(BOX)}/folders/operations/pathToId?path=/Before`)
      const folderId = new URL(ref.json.reference.resourceURL).pathname.split('/').pop() as string
      const objectId = await onlyObject(folderId)
      assert.equal((await get(`${env.base(BOX)}/objects/${objectId}`)).statusCode, 200)

      await direct.mailboxRename('Before', 'After')
      // Within the cache's lifetime: the cached tree still says /Before, IMAP says otherwise.
      const obj = await get(`${env.base(BOX)}/objects/${objectId}`)
      assert.equal(obj.statusCode, 200)
      assert.match(obj.json.object.path, /^\/After\//)
      const flag = await env.gateway.app.inject({ method: 'PUT', url: `${env.base(BOX)}/objects/${objectId}/flags/%5CFlagged`, headers: await env.auth(BOX) })
      assert.equal(flag.statusCode, 201)
    } finally {
      await direct.logout()
    }
  })
})
