/**
 * DELETE /folders/{folderId} (nms-spec-digest.md R11): recursive, 204, ids retired and never
 * reused, a re-created folder gets a new id, and protected folders refuse with POL1030.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { folderClient, imapAppend, imapCreate, imapPaths, type FolderClient } from './folders-helpers.js'

const BOX = 'tel:+15550001006'

describe('delete folder', () => {
  let env: TestEnv
  let f: FolderClient

  before(async () => {
    env = await startTestEnv({ boxes: [BOX], config: { folders: { protected: ['/INBOX', '/Vault/Locked'], serverOnly: [], listMaxEntries: 100 } } })
    f = folderClient(env, BOX)
    await imapCreate(env, BOX, ['Tree', 'Tree/A', 'Tree/A/Deep', 'Tree/B', 'Vault', 'Vault/Locked', 'Again'])
    await imapAppend(env, BOX, 'Tree/A/Deep', 2)
    await imapAppend(env, BOX, 'Tree', 1)
  })
  after(async () => { await env?.close() })

  it('deletes the folder and everything below it: 204, then 404, and gone from IMAP', async () => {
    const ids = await Promise.all(['/Tree', '/Tree/A', '/Tree/A/Deep', '/Tree/B'].map(async (p) => await f.idByPath(p) as string))
    const r = await f.call('DELETE', `/folders/${ids[0] as string}`)
    assert.equal(r.status, 204)
    assert.equal(r.body.requestError, undefined)
    for (const id of ids) assert.equal((await f.get(id)).status, 404)
    assert.ok(!(await imapPaths(env, BOX)).some((p) => p === 'Tree' || p.startsWith('Tree/')))
    assert.equal((await f.call('DELETE', `/folders/${ids[0] as string}`)).status, 404)
  })

  it('gives a folder deleted and created again under the same name a new id, through the API or directly', async () => {
    const first = await f.idByPath('/Again') as string
    assert.equal((await f.call('DELETE', `/folders/${first}`)).status, 204)
    const second = await f.create('/Vault', 'Again')
    assert.notEqual(second, first)
    const c = await env.imap(BOX)
    await c.mailboxDelete('Vault/Again')
    await c.mailboxCreate('Vault/Again')
    await c.logout()
    const third = await f.idByPath('/Vault/Again') as string
    assert.ok(third !== undefined && third !== second && third !== first)
    assert.equal((await f.get(first)).status, 404)
    assert.equal((await f.get(second)).status, 404)
  })

  it('refuses deleting INBOX, a configured protected folder, or a folder holding one with 403 POL1030, deleting nothing', async () => {
    for (const path of ['/INBOX', '/Vault/Locked', '/Vault']) {
      const r = await f.call('DELETE', `/folders/${await f.idByPath(path) as string}`)
      assert.equal(r.status, 403, path)
      assert.equal(r.body.requestError.policyException.messageId, 'POL1030')
    }
    const paths = await imapPaths(env, BOX)
    assert.ok(paths.includes('Vault/Locked') && paths.includes('Vault/Again') && paths.includes('INBOX'))
  })

  it('needs the modify scope: a read-only token gets 403 POL2003', async () => {
    const id = await f.idByPath('/Vault/Again') as string
    const r = await f.call('DELETE', `/folders/${id}`, undefined, await env.auth(BOX, { scope: 'oma_rest_nms.read' }))
    assert.equal(r.status, 403)
    assert.equal(r.body.requestError.policyException.messageId, 'POL2003')
    assert.equal((await f.get(id)).status, 200)
  })
})
