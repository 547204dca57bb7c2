/**
 * moveToFolder (nms-spec-digest.md R16; architecture.md section 3): objects move with one
 * UID MOVE per source folder and get new ids (documented deviation), folders move by IMAP
 * RENAME keeping their own and their descendants' ids; protected folders (POL1030), moves into
 * the folder itself or below it, unknown targets (404) and server-only targets (POL1031) are
 * refused.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { folderClient, imapAppend, imapCreate, imapPaths, type FolderClient } from './folders-helpers.js'
import { imapMessages, items, lastSegment, messageIdOf, objectUrls, transfer, uidOf, urlOf } from './folders-copy-helpers.js'

const BOX = 'tel:+15550003101'

describe('moveToFolder', () => {
  let env: TestEnv
  let f: FolderClient
  const id: Record<string, string> = {}

  before(async () => {
    env = await startTestEnv({
      boxes: [BOX],
      config: { folders: { protected: ['/INBOX', '/Vault/Keep'], serverOnly: ['/Default'], listMaxEntries: 1000 } }
    })
    f = folderClient(env, BOX)
    await imapCreate(env, BOX, ['A', 'B', 'T', 'P', 'P/C', 'P/C/D', 'Vault', 'Vault/Keep', 'Default', 'Loose'])
    await imapAppend(env, BOX, 'A', 4)
    await imapAppend(env, BOX, 'B', 2)
    await imapAppend(env, BOX, 'P/C', 2)
    for (const p of ['/A', '/B', '/T', '/P', '/P/C', '/P/C/D', '/Vault', '/Vault/Keep', '/Default', '/Loose', '/INBOX']) {
      id[p] = await f.idByPath(p) as string
    }
  })
  after(async () => { await env?.close() })

  const folder = (p: string): string => urlOf(BOX, 'folders', id[p] as string)

  it('moves objects with one UID MOVE per source folder; they get new ids and the old ones name nothing', async () => {
    const a = await objectUrls(f, id['/A'] as string)
    const b = await objectUrls(f, id['/B'] as string)
    const sourcesA = [a[0], a[1], a[3]] as string[]
    const aMessages = await imapMessages(env, BOX, 'A')
    const r = await transfer(f, 'moveToFolder', folder('/T'), { objects: [sourcesA[0] as string, b[0] as string, sourcesA[1] as string, sourcesA[2] as string] })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const list = items(r)
    assert.deepEqual(list.map((i) => i.code), [200, 200, 200, 200])
    const newUrls = list.map((i) => i.success.resourceURL as string)
    assert.ok(newUrls.every((u) => !a.includes(u) && !b.includes(u)), 'moved objects get new ids')
    assert.deepEqual(await objectUrls(f, id['/A'] as string), [a[2]])
    assert.deepEqual(await objectUrls(f, id['/B'] as string), [b[1]])
    assert.deepEqual((await objectUrls(f, id['/T'] as string)).sort(), [...newUrls].sort())

    const t = await imapMessages(env, BOX, 'T')
    const moved = (i: number): { source: string, modseq: string } | undefined => t.get(uidOf(newUrls[i] as string, id['/T'] as string))
    // The content travelled with the id: the first item is the first message of A.
    assert.equal(moved(0)?.source, aMessages.get(uidOf(sourcesA[0] as string, id['/A'] as string))?.source)
    // Dovecot gives every message saved by one command the same MODSEQ: the three from A came
    // in one UID MOVE, the one from B in another.
    const fromA = [moved(0), moved(2), moved(3)].map((m) => m?.modseq)
    assert.equal(new Set(fromA).size, 1, `one MOVE for folder A: ${JSON.stringify(fromA)}`)
    assert.notEqual(moved(1)?.modseq, fromA[0])

    // GET /objects: the old ids are 404, the new ones describe the moved messages.
    const getObject = async (url: string): Promise<number> => (await f.call('GET', `/objects/${encodeURIComponent(lastSegment(url))}`)).status
    assert.equal(await getObject(sourcesA[0] as string), 404)
    assert.equal(await getObject(b[0] as string), 404)
    assert.equal(await getObject(newUrls[0] as string), 200)
    assert.equal(await getObject(newUrls[1] as string), 200)
    // Moving an old id again fails per item, and so the request.
    const again = await transfer(f, 'moveToFolder', folder('/B'), { objects: [sourcesA[0] as string] })
    assert.equal(again.status, 400, JSON.stringify(again.body))
    assert.equal(messageIdOf(items(again)[0]?.failure), 'SVC0002')
    // The new ids work: moving one back to B succeeds.
    const back = await transfer(f, 'moveToFolder', folder('/B'), { objects: [newUrls[1] as string] })
    assert.equal(back.status, 200, JSON.stringify(back.body))
    assert.equal((await objectUrls(f, id['/B'] as string)).length, 2)
  })

  it('moving an object into its own folder changes nothing and keeps its id', async () => {
    const [only] = await objectUrls(f, id['/A'] as string)
    const r = await transfer(f, 'moveToFolder', folder('/A'), { objects: [only as string] })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.equal(items(r)[0]?.success.resourceURL, only)
    assert.deepEqual(await objectUrls(f, id['/A'] as string), [only])
  })

  it('moves a folder with IMAP RENAME: it and its children keep their ids and messages; only it changes lastModSeq', async () => {
    const seqOf = async (fid: string): Promise<number> => (await f.get(fid)).body.folder.lastModSeq
    const [pSeq, cSeq, tSeq] = [await seqOf(id['/P'] as string), await seqOf(id['/P/C'] as string), await seqOf(id['/T'] as string)]
    const cObjects = await objectUrls(f, id['/P/C'] as string)
    const r = await transfer(f, 'moveToFolder', folder('/T'), { folders: [folder('/P')] })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.deepEqual(items(r), [{ code: 200, reason: 'OK', success: { resourceURL: folder('/P'), path: '/T/P' } }])
    assert.equal(await f.idByPath('/T/P'), id['/P'])
    assert.equal(await f.idByPath('/T/P/C'), id['/P/C'])
    assert.equal(await f.idByPath('/T/P/C/D'), id['/P/C/D'])
    assert.equal(await f.idByPath('/P'), undefined)
    const paths = await imapPaths(env, BOX)
    assert.ok(paths.includes('T/P/C/D') && !paths.includes('P'), JSON.stringify(paths))
    assert.deepEqual(await objectUrls(f, id['/P/C'] as string), cObjects, 'object ids inside a moved folder stay valid')
    assert.equal((await f.get(id['/P/C'] as string, '?path=Yes')).body.folder.path, '/T/P/C')
    assert.ok(await seqOf(id['/P'] as string) > pSeq)
    assert.equal(await seqOf(id['/P/C'] as string), cSeq)
    assert.equal(await seqOf(id['/T'] as string), tSeq)
  })

  it('refuses to move a folder into itself or below itself (400 SVC0002) and leaves it in place', async () => {
    for (const target of ['/P', '/P/C/D']) {
      const r = await transfer(f, 'moveToFolder', folder(target), { folders: [folder('/P')] })
      assert.equal(r.status, 400, `${target}: ${JSON.stringify(r.body)}`)
      const [item] = items(r)
      assert.equal(messageIdOf(item?.failure), 'SVC0002')
      assert.deepEqual(item?.failure.serviceException.variables, [folder('/P')])
    }
    assert.equal(await f.idByPath('/T/P/C/D'), id['/P/C/D'])
  })

  it('refuses to move a protected folder or one holding a protected folder (403 POL1030) while other items succeed', async () => {
    const r = await transfer(f, 'moveToFolder', folder('/Loose'), { folders: [folder('/INBOX'), folder('/Vault'), folder('/B')] })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const list = items(r)
    assert.deepEqual(list.map((i) => i.code), [403, 403, 200])
    assert.equal(list[0]?.failure.policyException.messageId, 'POL1030')
    assert.equal(list[1]?.failure.policyException.messageId, 'POL1030')
    assert.equal(list[2]?.success.path, '/Loose/B')
    assert.equal(await f.idByPath('/Vault/Keep'), id['/Vault/Keep'])
    const only = await transfer(f, 'moveToFolder', folder('/Loose'), { folders: [folder('/Vault/Keep')] })
    assert.equal(only.status, 403, 'every item failed: the first failure\'s status')
    assert.equal(items(only)[0]?.failure.policyException.messageId, 'POL1030')
  })

  it('answers 404 SVC0004 for an unknown target and 403 POL1031 for a server-only target with a user token', async () => {
    const unknown = await transfer(f, 'moveToFolder', urlOf(BOX, 'folders', 'nope'), { folders: [folder('/A')] })
    assert.equal(unknown.status, 404, JSON.stringify(unknown.body))
    assert.equal(messageIdOf(unknown.body.requestError), 'SVC0004')
    const denied = await transfer(f, 'moveToFolder', folder('/Default'), { folders: [folder('/A')] })
    assert.equal(denied.status, 403, JSON.stringify(denied.body))
    assert.equal(denied.body.requestError.policyException.messageId, 'POL1031')
    assert.equal(await f.idByPath('/A'), id['/A'], 'nothing moved')
  })

  it('keeps request order across failing and succeeding folders and objects', async () => {
    const [obj] = await objectUrls(f, id['/A'] as string)
    const r = await transfer(f, 'moveToFolder', folder('/Default'), {
      folders: [folder('/A'), urlOf(BOX, 'folders', 'gone')],
      objects: [urlOf(BOX, 'objects', 'x'.repeat(20)), obj as string]
    }, { authorization: `Bearer ${await env.token(undefined, { scope: 'nms:server' })}` })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const list = items(r)
    assert.deepEqual(list.map((i) => i.code), [200, 400, 400, 200])
    assert.deepEqual(list[0]?.success, { resourceURL: folder('/A'), path: '/Default/A' })
    // The object's folder moved first in the same request; the object was still found.
    assert.equal(list[3]?.success.path, `/Default/${lastSegment(list[3]?.success.resourceURL)}`)
    assert.equal((await imapMessages(env, BOX, 'Default')).size, 1)
    assert.equal((await imapMessages(env, BOX, 'Default/A')).size, 0)
  })
})
