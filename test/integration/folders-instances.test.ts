/**
 * Folder ids across gateway instances (architecture.md section 8): two instances on one Redis
 * agree on every folderId, also when they first meet a box at the same moment, and accept each
 * other's cursors; the in-process store (no Redis) serves a single instance the same way.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { createGateway, type Gateway } from '../../src/gateway.js'
import { folderClient, imapCreate, type FolderClient, type Json } from './folders-helpers.js'

const BOX = 'tel:+15550001009'
const FRESH = 'tel:+15550001010'
const LAZY = 'tel:+15550001011'

function idsByPath (body: Json): Map<string, string> {
  return new Map((body.folderList.folder as Json[]).map((x) => [x.path, x.resourceURL]))
}

describe('folder ids on two instances sharing Redis', () => {
  let env: TestEnv
  let second: Gateway
  let one: FolderClient
  let two: FolderClient

  before(async () => {
    env = await startTestEnv({ boxes: [BOX, FRESH, LAZY] })
    second = await createGateway(env.makeConfig(), { logger: pino({ level: 'silent' }) })
    one = folderClient(env, BOX)
    two = folderClient({ ...env, gateway: second }, BOX)
    await imapCreate(env, BOX, ['Sent', 'Work', 'Work/A'])
    const many = Array.from({ length: 20 }, (_, i) => `F${i}`)
    await imapCreate(env, FRESH, many)
    await imapCreate(env, LAZY, many)
    // Open FRESH's mailboxes once, so Dovecot has fixed their UIDVALIDITY (see the LAZY case).
    const c = await env.imap(FRESH)
    await c.list({ statusQuery: { uidValidity: true } })
    await c.logout()
  })
  after(async () => {
    await second?.close()
    await env?.close()
  })

  it('sees the same folderIds on both instances, whichever creates them', async () => {
    const a = await one.search({ maxEntries: 100 })
    const b = await two.search({ maxEntries: 100 })
    assert.equal(a.status, 200)
    assert.deepEqual(idsByPath(b.body), idsByPath(a.body))
    const created = await two.create('/Work', 'FromSecond')
    assert.equal(await one.idByPath('/Work/FromSecond'), created)
    const renamed = await one.call('PUT', `/folders/${created}/folderName`, { name: 'Renamed' })
    assert.equal(renamed.status, 200)
    assert.equal(await two.idByPath('/Work/Renamed'), created)
  })

  it('agrees on ids when both instances meet a new box at the same moment', async () => {
    const x = folderClient(env, FRESH)
    const y = folderClient({ ...env, gateway: second }, FRESH)
    const [a, b] = await Promise.all([x.search({ maxEntries: 100 }), y.search({ maxEntries: 100 })])
    assert.equal(a.status, 200)
    assert.equal(b.status, 200)
    assert.equal(a.body.folderList.folder.length, 21)
    assert.deepEqual(idsByPath(b.body), idsByPath(a.body))
    const again = await x.search({ maxEntries: 100 })
    assert.deepEqual(idsByPath(again.body), idsByPath(a.body))
  })

  it('settles on one id per folder when both meet mailboxes Dovecot has not fixed a UIDVALIDITY for yet', async () => {
    // Dovecot fixes a maildir mailbox's UIDVALIDITY when it is first opened; two sessions opening
    // it at once may each report their own value. The instances may disagree on that first
    // answer, but every later request on either instance agrees, with one id per folder.
    const x = folderClient(env, LAZY)
    const y = folderClient({ ...env, gateway: second }, LAZY)
    await Promise.all([x.search({ maxEntries: 100 }), y.search({ maxEntries: 100 })])
    const a = await x.search({ maxEntries: 100 })
    const b = await y.search({ maxEntries: 100 })
    assert.equal(a.body.folderList.folder.length, 21)
    assert.equal(new Set(idsByPath(a.body).values()).size, 21)
    assert.deepEqual(idsByPath(b.body), idsByPath(a.body))
    assert.deepEqual(idsByPath((await x.search({ maxEntries: 100 })).body), idsByPath(a.body))
  })

  it('accepts a cursor made by the other instance', async () => {
    const first = await one.search({ maxEntries: 1 })
    const next = await two.search({ maxEntries: 1, fromCursor: first.body.folderList.cursor })
    assert.equal(next.status, 200, JSON.stringify(next.body))
    assert.notEqual(next.body.folderList.folder[0].path, first.body.folderList.folder[0].path)
  })
})

describe('folder ids with the in-process store', () => {
  let env: TestEnv
  let f: FolderClient

  before(async () => {
    env = await startTestEnv({ boxes: [BOX], noRedis: true })
    f = folderClient(env, BOX)
    await imapCreate(env, BOX, ['Work'])
  })
  after(async () => { await env?.close() })

  it('keeps ids stable across requests, renames and deletes without Redis', async () => {
    assert.equal(env.redis, undefined)
    const work = await f.idByPath('/Work') as string
    assert.equal(await f.idByPath('/Work'), work)
    const child = await f.create('/Work', 'Child')
    assert.equal((await f.call('PUT', `/folders/${work}/folderName`, { name: 'Job' })).status, 200)
    assert.equal(await f.idByPath('/Job'), work)
    assert.equal(await f.idByPath('/Job/Child'), child)
    assert.equal((await f.call('DELETE', `/folders/${work}`)).status, 204)
    assert.equal((await f.get(child)).status, 404)
  })
})
