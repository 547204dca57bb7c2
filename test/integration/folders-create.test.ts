/**
 * POST /folders (nms-spec-digest.md R10): by parentFolder and by parentFolderPath, nested,
 * generated names, attributes, parent errors, sibling clashes and the server-only policy.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { folderClient, imapCreate, imapPaths, type FolderClient, type Json } from './folders-helpers.js'

const BOX = 'tel:+15550001003'
const OTHER = 'tel:+15550001004'

describe('create folder', () => {
  let env: TestEnv
  let f: FolderClient
  let workUrl: string

  before(async () => {
    env = await startTestEnv({ boxes: [BOX, OTHER], config: { folders: { protected: ['/INBOX'], serverOnly: ['/Default'], listMaxEntries: 100 } } })
    f = folderClient(env, BOX)
    await imapCreate(env, BOX, ['Work', 'Default'])
    workUrl = (await f.get(await f.idByPath('/Work') as string)).body.folder.resourceURL
  })
  after(async () => { await env?.close() })

  function expectInvalid (r: { status: number, body: Json }, variable: string): void {
    assert.equal(r.status, 400, JSON.stringify(r.body))
    assert.deepEqual(r.body.requestError.serviceException, { messageId: 'SVC0002', text: 'Invalid input value for message part %1', variables: [variable] })
  }

  it('creates under parentFolder: 201, Location = resourceURL, and the mailbox exists in IMAP', async () => {
    const r = await f.call('POST', '/folders', { folder: { parentFolder: workUrl, name: 'ByUrl' } })
    assert.equal(r.status, 201, JSON.stringify(r.body))
    assert.equal(r.headers.location, r.body.reference.resourceURL)
    assert.match(r.body.reference.resourceURL, /^https:\/\/nms\.test\.example\/nms\/v1\/base\/tel%3A%2B15550001003\/folders\/[A-Za-z0-9_-]{22}$/)
    assert.equal(r.body.reference.path, '/Work/ByUrl')
    assert.ok((await imapPaths(env, BOX)).includes('Work/ByUrl'))
    const got = await f.get(f.idOf(r.body.reference.resourceURL), '?path=Yes')
    assert.equal(got.body.folder.parentFolder, workUrl)
    assert.equal(got.body.folder.path, '/Work/ByUrl')
  })

  it('creates under parentFolderPath, and nested under a folder it just created', async () => {
    const id = await f.create('/Work', 'ByPath')
    const r = await f.call('POST', '/folders', { folder: { parentFolder: (await f.get(id)).body.folder.resourceURL, name: 'Nested' } })
    assert.equal(r.status, 201)
    assert.equal(r.body.reference.path, '/Work/ByPath/Nested')
    const paths = await imapPaths(env, BOX)
    assert.ok(paths.includes('Work/ByPath') && paths.includes('Work/ByPath/Nested'))
  })

  it('refuses a request with neither or both parents with 400 SVC0002 parentFolder', async () => {
    expectInvalid(await f.call('POST', '/folders', { folder: { name: 'Orphan' } }), 'parentFolder')
    expectInvalid(await f.call('POST', '/folders', { folder: { name: 'Twice', parentFolder: workUrl, parentFolderPath: '/Work' } }), 'parentFolder')
  })

  it('refuses an unknown or malformed parent with 400 SVC0002 naming it, creating nothing', async () => {
    expectInvalid(await f.call('POST', '/folders', { folder: { parentFolderPath: '/Work/Missing', name: 'X' } }), '/Work/Missing')
    expectInvalid(await f.call('POST', '/folders', { folder: { parentFolderPath: 'Work', name: 'X' } }), 'Work')
    const unknownUrl = workUrl.replace(/[^/]+$/, 'unknownId')
    expectInvalid(await f.call('POST', '/folders', { folder: { parentFolder: unknownUrl, name: 'X' } }), unknownUrl)
    // A folder URL of another box is not a parent in this one.
    const otherUrl = workUrl.replace('tel%3A%2B15550001003', 'tel%3A%2B15550001004')
    expectInvalid(await f.call('POST', '/folders', { folder: { parentFolder: otherUrl, name: 'X' } }), otherUrl)
    assert.ok(!(await imapPaths(env, BOX)).some((p) => p.endsWith('/X') || p === 'Work/Missing'))
  })

  it('generates a unique name when none is given', async () => {
    const a = await f.call('POST', '/folders', { folder: { parentFolderPath: '/Work' } })
    const b = await f.call('POST', '/folders', { folder: { parentFolderPath: '/Work', attributes: { attribute: [] } } })
    assert.equal(a.status, 201)
    assert.equal(b.status, 201)
    assert.notEqual(a.body.reference.path, b.body.reference.path)
    const paths = await imapPaths(env, BOX)
    for (const r of [a, b]) assert.ok(paths.includes(r.body.reference.path.slice(1)))
  })

  it('refuses an existing sibling name with 400 SVC0002 folder.name', async () => {
    await f.create('/Work', 'Dup')
    expectInvalid(await f.call('POST', '/folders', { folder: { parentFolderPath: '/Work', name: 'Dup' } }), 'folder.name')
  })

  it('answers two simultaneous creations of one name with one 201 and one 400 folder.name', async () => {
    const body = { folder: { parentFolderPath: '/Work', name: 'Racy' } }
    const results = await Promise.all([f.call('POST', '/folders', body), f.call('POST', '/folders', body)])
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 400])
    expectInvalid(results.find((r) => r.status === 400) as { status: number, body: Json }, 'folder.name')
    assert.equal((await imapPaths(env, BOX)).filter((p) => p === 'Work/Racy').length, 1)
  })

  it('keeps client attributes, returns them and finds the folder by them', async () => {
    const id = await f.create('/Work', 'Conv', { attributes: { attribute: [{ name: 'Conversation-ID', value: ['c-42'] }] } })
    const attrs = (await f.get(id)).body.folder.attributes.attribute as Json[]
    assert.deepEqual(attrs.find((a) => a.name === 'Conversation-ID'), { name: 'Conversation-ID', value: ['c-42'] })
    const s = await f.search({ maxEntries: 5, searchCriteria: { criterion: [{ type: 'Attribute', name: 'conversation-id', value: 'c-42' }] } })
    assert.deepEqual(s.body.folderList.folder.map((x: Json) => x.path), ['/Work/Conv'])
  })

  it('refuses server-maintained attributes and members a client may not send', async () => {
    expectInvalid(await f.call('POST', '/folders', { folder: { parentFolderPath: '/Work', name: 'N1', attributes: { attribute: [{ name: 'Name', value: ['x'] }] } } }), 'folder.attributes')
    expectInvalid(await f.call('POST', '/folders', { folder: { parentFolderPath: '/Work', name: 'N2', resourceURL: 'https://x/y' } }), 'folder.resourceURL')
  })

  it('gives a new folder a lastModSeq above every existing one', async () => {
    const before = await f.search({ maxEntries: 100 })
    const max = Math.max(...before.body.folderList.folder.map((x: Json) => x.lastModSeq))
    const id = await f.create('/Work', 'Newest')
    assert.ok((await f.get(id)).body.folder.lastModSeq > max)
  })

  it('refuses creation under a server-only folder with a user token (403 POL1031) and allows it with the server scope', async () => {
    const r = await f.call('POST', '/folders', { folder: { parentFolderPath: '/Default', name: 'Mine' } })
    assert.equal(r.status, 403)
    assert.deepEqual(r.body.requestError.policyException, { messageId: 'POL1031', text: 'Attempt to create objects or folders under %1 is prohibited', variables: ['/Default'] })
    const server = { authorization: `Bearer ${await env.token(undefined, { scope: 'nms:server' })}` }
    const ok = await f.call('POST', '/folders', { folder: { parentFolderPath: '/Default', name: 'Conv1' } }, server)
    assert.equal(ok.status, 201, JSON.stringify(ok.body))
    const deeper = await f.call('POST', '/folders', { folder: { parentFolderPath: '/Default/Conv1', name: 'Mine' } })
    assert.equal(deeper.status, 403)
    assert.deepEqual(deeper.body.requestError.policyException.variables, ['/Default/Conv1'])
    assert.ok(!(await imapPaths(env, BOX)).some((p) => p.endsWith('/Mine')))
  })

  it('needs the modify scope: a read-only token gets 403 POL2003', async () => {
    const r = await f.call('POST', '/folders', { folder: { parentFolderPath: '/Work', name: 'RO' } }, await env.auth(BOX, { scope: 'oma_rest_nms.read' }))
    assert.equal(r.status, 403)
    assert.equal(r.body.requestError.policyException.messageId, 'POL2003')
  })
})
