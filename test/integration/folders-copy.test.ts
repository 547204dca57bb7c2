/**
 * copyToFolder (nms-spec-digest.md R15): objects get new ids in the target while the originals
 * stay, folders are copied with their whole subtree under new ids, and each source succeeds or
 * fails on its own; the target is judged for the whole request (404 SVC0004, 403 POL1031).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { folderClient, imapAppend, imapCreate, imapPaths, type FolderClient } from './folders-helpers.js'
import { imapMessages, items, lastSegment, messageIdOf, objectUrls, transfer, uidOf, urlOf } from './folders-copy-helpers.js'

const BOX = 'tel:+15550003001'
const OTHER_BOX = 'tel:+15550003002'

describe('copyToFolder', () => {
  let env: TestEnv
  let f: FolderClient
  const id: Record<string, string> = {}

  before(async () => {
    env = await startTestEnv({
      boxes: [BOX, OTHER_BOX],
      config: { folders: { protected: ['/INBOX'], serverOnly: ['/Default'], listMaxEntries: 1000 } }
    })
    f = folderClient(env, BOX)
    await imapCreate(env, BOX, ['Src', 'Src/Sub', 'Src/Sub/Deep', 'Src/Empty', 'Dst', 'Other', 'Default', 'Mixed'])
    await imapAppend(env, BOX, 'Src', 3)
    await imapAppend(env, BOX, 'Src/Sub', 2)
    await imapAppend(env, BOX, 'Src/Sub/Deep', 1)
    await imapAppend(env, BOX, 'Other', 2)
    for (const p of ['/Src', '/Src/Sub', '/Src/Sub/Deep', '/Src/Empty', '/Dst', '/Other', '/Default', '/Mixed', '/INBOX']) {
      id[p] = await f.idByPath(p) as string
    }
  })
  after(async () => { await env?.close() })

  const folder = (p: string): string => urlOf(BOX, 'folders', id[p] as string)

  it('copies objects from several folders: new ids in the target, originals kept, identical content', async () => {
    const src = await objectUrls(f, id['/Src'] as string)
    const other = await objectUrls(f, id['/Other'] as string)
    assert.equal(src.length, 3)
    const sources = [src[0] as string, other[1] as string, src[2] as string]
    const r = await transfer(f, 'copyToFolder', folder('/Dst'), { objects: sources })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const list = items(r)
    assert.equal(list.length, 3)
    const before = new Map([...await imapMessages(env, BOX, 'Src'), ...[...await imapMessages(env, BOX, 'Other')].map(([u, m]) => [u + 1000, m] as const)])
    const dst = await imapMessages(env, BOX, 'Dst')
    const listed = await objectUrls(f, id['/Dst'] as string)
    list.forEach((item, i) => {
      assert.equal(item.code, 200)
      assert.equal(item.reason, 'OK')
      const newUrl = item.success.resourceURL as string
      assert.notEqual(newUrl, sources[i])
      assert.equal(item.success.path, `/Dst/${lastSegment(newUrl)}`)
      assert.ok(listed.includes(newUrl), 'the new object is listed in the target')
      const fromOther = i === 1
      const oldUid = uidOf(sources[i] as string, id[fromOther ? '/Other' : '/Src'] as string)
      const original = before.get(fromOther ? oldUid + 1000 : oldUid)
      const copy = dst.get(uidOf(newUrl, id['/Dst'] as string))
      assert.ok(original !== undefined && copy !== undefined)
      assert.equal(copy.source, original.source)
    })
    for (const url of [...sources, ...list.map((i) => i.success.resourceURL as string)]) {
      const got = await f.call('GET', `/objects/${encodeURIComponent(lastSegment(url))}`)
      assert.equal(got.status, 200, `${url}: ${JSON.stringify(got.body)}`)
      assert.equal(got.body.object.resourceURL, url)
    }
    assert.deepEqual(await objectUrls(f, id['/Src'] as string), src, 'the originals stay')
    assert.deepEqual(await objectUrls(f, id['/Other'] as string), other)
  })

  it('copies a folder recursively: subfolders and messages under the target, all with new ids', async () => {
    const r = await transfer(f, 'copyToFolder', folder('/Dst'), { folders: [folder('/Src')] })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const list = items(r)
    assert.equal(list.length, 1, 'only the directly copied folder is listed')
    const copyId = lastSegment(list[0]?.success.resourceURL)
    assert.equal(list[0]?.success.path, '/Dst/Src')
    assert.notEqual(copyId, id['/Src'])
    assert.equal(await f.idByPath('/Dst/Src'), copyId)
    for (const p of ['/Sub', '/Sub/Deep', '/Empty']) {
      const copied = await f.idByPath(`/Dst/Src${p}`)
      assert.ok(copied !== undefined, `/Dst/Src${p} exists`)
      assert.notEqual(copied, id[`/Src${p}`])
    }
    const counts = async (prefix: string): Promise<number[]> => await Promise.all(
      ['', '/Sub', '/Sub/Deep', '/Empty'].map(async (p) => (await imapMessages(env, BOX, `${prefix}${p}`)).size))
    assert.deepEqual(await counts('Dst/Src'), [3, 2, 1, 0])
    assert.deepEqual(await counts('Src'), [3, 2, 1, 0], 'the source subtree is unchanged')
    const deep = [...(await imapMessages(env, BOX, 'Dst/Src/Sub/Deep')).values()][0]
    assert.equal(deep?.source, [...(await imapMessages(env, BOX, 'Src/Sub/Deep')).values()][0]?.source)
    // The copies are working folders: their object listings name the new folder.
    const copiedDeep = await f.idByPath('/Dst/Src/Sub/Deep') as string
    const deepObjects = await objectUrls(f, copiedDeep)
    assert.equal(deepObjects.length, 1)
    uidOf(deepObjects[0] as string, copiedDeep)
  })

  it('refuses a name the target already has: 400 SVC0002, and the whole answer is 400 when nothing succeeded', async () => {
    const r = await transfer(f, 'copyToFolder', folder('/Dst'), { folders: [folder('/Src')] })
    assert.equal(r.status, 400, JSON.stringify(r.body))
    const [item] = items(r)
    assert.equal(item?.code, 400)
    assert.equal(messageIdOf(item?.failure), 'SVC0002')
    assert.deepEqual(item?.failure.serviceException.variables, [folder('/Src')])
    assert.equal((await imapPaths(env, BOX)).filter((p) => p === 'Dst/Src').length, 1)
  })

  it('keeps request order with folders first, failing bad sources alone (400 SVC0002)', async () => {
    const good = (await objectUrls(f, id['/Other'] as string))[0] as string
    const foreignBox = good.replace(encodeURIComponent(BOX), encodeURIComponent(OTHER_BOX))
    const r = await transfer(f, 'copyToFolder', folder('/Mixed'), {
      folders: [urlOf(BOX, 'folders', 'no-such-folder'), folder('/Other')],
      objects: ['garbage', good, foreignBox, urlOf(BOX, 'objects', 'AQ' + 'A'.repeat(20))]
    })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const list = items(r)
    assert.deepEqual(list.map((i) => i.code), [400, 200, 400, 200, 400, 400])
    assert.equal(list[1]?.success.path, '/Mixed/Other')
    assert.equal(list[3]?.success.path, `/Mixed/${lastSegment(list[3]?.success.resourceURL)}`)
    for (const i of [0, 2, 4, 5]) assert.equal(messageIdOf(list[i]?.failure), 'SVC0002')
    assert.deepEqual(list[2]?.failure.serviceException.variables, ['garbage'])
    assert.deepEqual(list[4]?.failure.serviceException.variables, [foreignBox])
    assert.deepEqual((await imapPaths(env, BOX)).filter((p) => p.startsWith('Mixed/')).sort(), ['Mixed/Other'])
    assert.equal((await imapMessages(env, BOX, 'Mixed')).size, 1)
  })

  it('accepts the bare TargetSourceRef and refuses a request without sources', async () => {
    const src = (await objectUrls(f, id['/Src'] as string))[1] as string
    const bare = await f.call('POST', '/folders/operations/copyToFolder', {
      targetRef: { resourceURL: folder('/Other') },
      sourceRefs: { folders: { folderReference: [] }, objects: { objectReference: [{ resourceURL: src }] } }
    })
    assert.equal(bare.status, 200, JSON.stringify(bare.body))
    assert.equal(items(bare)[0]?.code, 200)
    const none = await transfer(f, 'copyToFolder', folder('/Other'), {})
    assert.equal(none.status, 400)
    assert.equal(messageIdOf(none.body.requestError), 'SVC0002')
    const missing = await f.call('POST', '/folders/operations/copyToFolder', { targetSourceRef: { targetRef: { resourceURL: folder('/Other') } } })
    assert.equal(missing.status, 400)
    const get = await f.call('GET', '/folders/operations/copyToFolder')
    assert.equal(get.status, 405)
    assert.equal(get.headers.allow, 'POST')
  })

  it('answers 404 SVC0004 for an unknown target and 403 POL1031 for a server-only one with a user token', async () => {
    const src = (await objectUrls(f, id['/Src'] as string))[0] as string
    const unknown = await transfer(f, 'copyToFolder', urlOf(BOX, 'folders', 'no-such-folder'), { objects: [src] })
    assert.equal(unknown.status, 404, JSON.stringify(unknown.body))
    assert.equal(messageIdOf(unknown.body.requestError), 'SVC0004')
    const before = (await imapMessages(env, BOX, 'Default')).size
    const denied = await transfer(f, 'copyToFolder', folder('/Default'), { objects: [src], folders: [folder('/Src/Empty')] })
    assert.equal(denied.status, 403, JSON.stringify(denied.body))
    assert.equal(denied.body.requestError.policyException.messageId, 'POL1031')
    assert.deepEqual(denied.body.requestError.policyException.variables, [folder('/Default')])
    assert.equal((await imapMessages(env, BOX, 'Default')).size, before)
    const server = { authorization: `Bearer ${await env.token(undefined, { scope: 'nms:server' })}` }
    const allowed = await transfer(f, 'copyToFolder', folder('/Default'), { objects: [src] }, server)
    assert.equal(allowed.status, 200, JSON.stringify(allowed.body))
    assert.equal((await imapMessages(env, BOX, 'Default')).size, before + 1)
  })

  it('copies a protected folder (copying does not modify it) and needs the modify scope', async () => {
    const r = await transfer(f, 'copyToFolder', folder('/Other'), { folders: [folder('/INBOX')] })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.equal(items(r)[0]?.success.path, '/Other/INBOX')
    const readOnly = await env.auth(BOX, { scope: 'oma_rest_nms.read' })
    const refused = await transfer(f, 'copyToFolder', folder('/Other'), { folders: [folder('/Src/Empty')] }, readOnly)
    assert.equal(refused.status, 403)
  })
})
