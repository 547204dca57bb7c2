/**
 * folderName GET/PUT (nms-spec-digest.md R12) and folderId stability (architecture.md
 * section 3): a rename through the API or by another IMAP client keeps every id; only the
 * renamed folder's lastModSeq moves; protected folders refuse with POL1030.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { folderClient, imapCreate, imapPaths, type FolderClient, type Json } from './folders-helpers.js'

const BOX = 'tel:+15550001005'

describe('rename folder', () => {
  let env: TestEnv
  let f: FolderClient

  before(async () => {
    env = await startTestEnv({ boxes: [BOX], config: { folders: { protected: ['/INBOX', '/Archive/Keep'], serverOnly: [], listMaxEntries: 100 } } })
    f = folderClient(env, BOX)
    await imapCreate(env, BOX, ['Projects', 'Projects/Alpha', 'Projects/Alpha/Docs', 'Projects/Beta', 'Archive', 'Archive/Keep', 'Outside'])
  })
  after(async () => { await env?.close() })

  async function seqOf (id: string): Promise<number> {
    const r = await f.get(id)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    return r.body.folder.lastModSeq
  }

  async function rename (id: string, name: unknown): Promise<{ status: number, body: Json }> {
    return await f.call('PUT', `/folders/${id}/folderName`, { name })
  }

  it('reads the name with GET folderName', async () => {
    const r = await f.call('GET', `/folders/${await f.idByPath('/Projects/Alpha') as string}/folderName`)
    assert.equal(r.status, 200)
    assert.deepEqual(r.body, { name: 'Alpha' })
    assert.equal((await f.call('GET', '/folders/unknown/folderName')).status, 404)
  })

  it('renames through the API keeping the folder\'s and its children\'s ids; only the folder\'s lastModSeq moves', async () => {
    const alpha = await f.idByPath('/Projects/Alpha') as string
    const docs = await f.idByPath('/Projects/Alpha/Docs') as string
    const beta = await f.idByPath('/Projects/Beta') as string
    const [alphaSeq, docsSeq, betaSeq] = [await seqOf(alpha), await seqOf(docs), await seqOf(beta)]
    const r = await rename(alpha, 'Gamma')
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.deepEqual(r.body, { name: 'Gamma' })
    assert.equal(await f.idByPath('/Projects/Gamma'), alpha)
    assert.equal(await f.idByPath('/Projects/Gamma/Docs'), docs)
    assert.equal(await f.idByPath('/Projects/Alpha'), undefined)
    assert.equal((await f.get(docs, '?path=Yes')).body.folder.path, '/Projects/Gamma/Docs')
    const paths = await imapPaths(env, BOX)
    assert.ok(paths.includes('Projects/Gamma/Docs') && !paths.includes('Projects/Alpha'))
    assert.ok(await seqOf(alpha) > alphaSeq)
    assert.equal(await seqOf(docs), docsSeq)
    assert.equal(await seqOf(beta), betaSeq)
  })

  it('treats renaming to the current name as a no-op without a lastModSeq bump', async () => {
    const beta = await f.idByPath('/Projects/Beta') as string
    const seq = await seqOf(beta)
    const r = await rename(beta, 'Beta')
    assert.equal(r.status, 200)
    assert.deepEqual(r.body, { name: 'Beta' })
    assert.equal(await seqOf(beta), seq)
  })

  it('refuses a sibling\'s name and names IMAP cannot hold with 400 SVC0002 name', async () => {
    const beta = await f.idByPath('/Projects/Beta') as string
    for (const name of ['Gamma', '', 'a/b', 'x*', 'x%', '..', ' padded', 'cr\rlf']) {
      const r = await rename(beta, name)
      assert.equal(r.status, 400, `${JSON.stringify(name)}: ${JSON.stringify(r.body)}`)
      assert.deepEqual(r.body.requestError.serviceException.variables, ['name'])
    }
    assert.ok((await imapPaths(env, BOX)).includes('Projects/Beta'))
  })

  it('keeps the ids when another IMAP client renames the folder; its lastModSeq moves, its child\'s does not', async () => {
    const outside = await f.idByPath('/Outside') as string
    const c0 = await f.create('/Outside', 'Inner')
    const [outsideSeq, innerSeq] = [await seqOf(outside), await seqOf(c0)]
    const c = await env.imap(BOX)
    await c.mailboxRename('Outside', 'Moved')
    await c.logout()
    assert.equal(await f.idByPath('/Moved'), outside)
    assert.equal(await f.idByPath('/Moved/Inner'), c0)
    assert.equal(await f.idByPath('/Outside'), undefined)
    assert.ok(await seqOf(outside) > outsideSeq)
    assert.equal(await seqOf(c0), innerSeq)
  })

  it('refuses renaming INBOX, a configured protected folder, or a folder holding one with 403 POL1030', async () => {
    for (const path of ['/INBOX', '/Archive/Keep', '/Archive']) {
      const r = await rename(await f.idByPath(path) as string, 'Renamed')
      assert.equal(r.status, 403, path)
      assert.deepEqual(r.body.requestError.policyException, { messageId: 'POL1030', text: 'Folder cannot be modified, moved or deleted', variables: [] })
    }
    const paths = await imapPaths(env, BOX)
    assert.ok(paths.includes('Archive/Keep') && paths.includes('INBOX') && !paths.includes('Renamed'))
  })

  it('answers 405 with Allow: GET, PUT for POST and DELETE on folderName', async () => {
    const id = await f.idByPath('/Projects') as string
    for (const method of ['POST', 'DELETE']) {
      const r = await f.call(method, `/folders/${id}/folderName`, method === 'POST' ? {} : undefined)
      assert.equal(r.status, 405)
      assert.equal(r.headers.allow, 'GET, PUT')
    }
  })
})
