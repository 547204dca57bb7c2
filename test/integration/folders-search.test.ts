/**
 * Folder search (nms-spec-digest.md R13, section 4): root discovery with the mandatory child
 * lists, the criterion types, operators, scope, batching with cursors, and the errors.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { folderClient, imapAppend, imapCreate, type FolderClient, type Json } from './folders-helpers.js'

const BOX = 'tel:+15550001001'
const LIST_MAX = 6
const rootCriterion = { criterion: [{ type: 'Attribute', name: 'root', value: 'Yes' }] }

describe('folder search', () => {
  let env: TestEnv
  let f: FolderClient

  before(async () => {
    env = await startTestEnv({ boxes: [BOX], config: { folders: { protected: ['/INBOX'], serverOnly: ['/Default'], listMaxEntries: LIST_MAX } } })
    f = folderClient(env, BOX)
    await imapCreate(env, BOX, ['Drafts', 'Sent', 'Trash', 'Work'])
    await imapAppend(env, BOX, 'INBOX', LIST_MAX + 2)
    await imapAppend(env, BOX, 'Sent', 2)
    await f.create('/Work', 'Projects')
    await f.create('/Work/Projects', 'Alpha')
    await f.create('/Work', 'Receipts')
  })
  after(async () => { await env?.close() })

  async function paths (selectionCriteria: Json): Promise<string[]> {
    const r = await f.search(selectionCriteria)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    return (r.body.folderList.folder as Json[]).map((x) => x.path)
  }

  it('discovers INBOX, Drafts, Sent and Trash as roots with Root=Yes and both child lists', async () => {
    const r = await f.search({ maxEntries: LIST_MAX, searchCriteria: rootCriterion })
    assert.equal(r.status, 200)
    const folders = r.body.folderList.folder as Json[]
    assert.deepEqual(folders.map((x) => x.path), ['/Drafts', '/INBOX', '/Sent', '/Trash', '/Work'])
    for (const root of folders) {
      assert.equal(root.parentFolder, undefined)
      assert.deepEqual(root.attributes.attribute.find((a: Json) => a.name === 'Root'), { name: 'Root', value: ['Yes'] })
      assert.ok(Array.isArray(root.subFolders.folderReference), 'subFolders list present')
      assert.ok(Array.isArray(root.objects.objectReference), 'objects list present')
      assert.match(root.resourceURL, /^https:\/\/nms\.test\.example\/nms\/v1\/base\/tel%3A%2B15550001001\/folders\/[A-Za-z0-9_-]+$/)
      assert.equal(typeof root.lastModSeq, 'number')
    }
    const sent = folders.find((x) => x.path === '/Sent') as Json
    assert.equal(sent.objects.objectReference.length, 2)
    for (const o of sent.objects.objectReference) assert.match(o.resourceURL, /\/tel%3A%2B15550001001\/objects\/[A-Za-z0-9_-]{16,}$/)
    const work = folders.find((x) => x.path === '/Work') as Json
    assert.deepEqual(work.subFolders.folderReference.map((x: Json) => x.path), ['/Work/Projects', '/Work/Receipts'])
  })

  it('bounds a root\'s lists by listMaxEntries and hands out a folder cursor that GET continues', async () => {
    const inbox = (await f.roots()).get('/INBOX') as Json
    assert.equal(inbox.objects.objectReference.length, LIST_MAX)
    assert.equal(typeof inbox.cursor, 'string')
    const rest = await f.get(f.idOf(inbox.resourceURL), `?fromCursor=${encodeURIComponent(inbox.cursor)}`)
    assert.equal(rest.status, 200, JSON.stringify(rest.body))
    assert.equal(rest.body.folder.objects.objectReference.length, 2)
    assert.equal(rest.body.folder.cursor, undefined)
    const all = [...inbox.objects.objectReference, ...rest.body.folder.objects.objectReference].map((o: Json) => o.resourceURL)
    assert.equal(new Set(all).size, LIST_MAX + 2)
  })

  it('matches Attribute Name exactly and case-sensitively, with a case-insensitive attribute name', async () => {
    assert.deepEqual(await paths({ maxEntries: 5, searchCriteria: { criterion: [{ type: 'Attribute', name: 'NAME', value: 'Alpha' }] } }), ['/Work/Projects/Alpha'])
    assert.deepEqual(await paths({ maxEntries: 5, searchCriteria: { criterion: [{ type: 'Attribute', name: 'Name', value: 'alpha' }] } }), [])
  })

  it('matches AllTextAttributes as a case-insensitive substring', async () => {
    assert.deepEqual(await paths({ maxEntries: 5, searchCriteria: { criterion: [{ type: 'AllTextAttributes', value: 'RAF' }] } }), ['/Drafts'])
  })

  it('matches Date with minDate inclusive and maxDate exclusive', async () => {
    const alpha = (await f.get(await f.idByPath('/Work/Projects/Alpha') as string)).body.folder
    const date = alpha.attributes.attribute.find((a: Json) => a.name === 'Date').value[0] as string
    assert.match(date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    const scope = { resourceURL: alpha.resourceURL.replace(/[^/]+$/, await f.idByPath('/Work/Projects') as string) }
    assert.deepEqual(await paths({ maxEntries: 5, searchScope: scope, searchCriteria: { criterion: [{ type: 'Date', value: `minDate=${date}` }] } }), ['/Work/Projects/Alpha'])
    assert.deepEqual(await paths({ maxEntries: 5, searchScope: scope, searchCriteria: { criterion: [{ type: 'Date', value: `maxDate=${date}` }] } }), [])
    // Lenient: no seconds, explicit offset.
    assert.deepEqual(await paths({ maxEntries: 5, searchCriteria: { criterion: [{ type: 'Date', value: 'minDate=2000-01-01T00:00+01:00&maxDate=2001-01-01T00:00Z' }] } }), [])
    const bad = await f.search({ maxEntries: 5, searchCriteria: { criterion: [{ type: 'Date', value: 'minDate=yesterday' }] } })
    assert.equal(bad.status, 400)
    assert.equal(bad.body.requestError.serviceException.messageId, 'SVC0002')
  })

  it('combines criteria with Or and Not', async () => {
    const byName = (v: string): Json => ({ type: 'Attribute', name: 'Name', value: v })
    assert.deepEqual(await paths({ maxEntries: 5, searchCriteria: { operator: 'Or', criterion: [byName('Sent'), byName('Trash')] } }), ['/Sent', '/Trash'])
    assert.deepEqual(await paths({ maxEntries: 5, searchCriteria: { operator: 'Not', criterion: rootCriterion.criterion } }), ['/Work/Projects', '/Work/Projects/Alpha', '/Work/Receipts'])
  })

  it('limits the search to the scope\'s subtree, or its direct children with nonRecursiveScope', async () => {
    const work = (await f.get(await f.idByPath('/Work') as string)).body.folder
    assert.deepEqual(await paths({ maxEntries: 5, searchScope: { resourceURL: work.resourceURL } }), ['/Work/Projects', '/Work/Projects/Alpha', '/Work/Receipts'])
    assert.deepEqual(await paths({ maxEntries: 5, searchScope: { resourceURL: work.resourceURL }, nonRecursiveScope: true }), ['/Work/Projects', '/Work/Receipts'])
    const unknown = await f.search({ maxEntries: 5, searchScope: { resourceURL: work.resourceURL.replace(/[^/]+$/, 'nope') } })
    assert.equal(unknown.status, 400)
    assert.deepEqual(unknown.body.requestError.serviceException.variables, ['searchScope.resourceURL'])
  })

  it('returns batches of maxEntries that join up without omission or duplicate, then no cursor', async () => {
    const seen: string[] = []
    let cursor: string | undefined
    let rounds = 0
    do {
      const r = await f.search({ maxEntries: 2, ...(cursor === undefined ? {} : { fromCursor: cursor }) })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      assert.ok(r.body.folderList.folder.length <= 2)
      seen.push(...r.body.folderList.folder.map((x: Json) => x.path))
      cursor = r.body.folderList.cursor
      rounds++
    } while (cursor !== undefined && rounds < 10)
    assert.deepEqual(seen, ['/Drafts', '/INBOX', '/Sent', '/Trash', '/Work', '/Work/Projects', '/Work/Projects/Alpha', '/Work/Receipts'])
  })

  it('never returns more than listMaxEntries even when maxEntries asks for more', async () => {
    const r = await f.search({ maxEntries: 1000 })
    assert.equal(r.body.folderList.folder.length, LIST_MAX)
    assert.equal(typeof r.body.folderList.cursor, 'string')
  })

  it('refuses a tampered cursor and one from other criteria with 400 SVC0002 fromCursor', async () => {
    const first = await f.search({ maxEntries: 1 })
    const cursor = first.body.folderList.cursor as string
    const tampered = cursor.slice(0, 5) + (cursor[5] === 'A' ? 'B' : 'A') + cursor.slice(6)
    for (const sc of [{ maxEntries: 1, fromCursor: tampered }, { maxEntries: 1, fromCursor: cursor, searchCriteria: rootCriterion }, { maxEntries: 1, fromCursor: 'garbage' }]) {
      const r = await f.search(sc)
      assert.equal(r.status, 400)
      assert.deepEqual(r.body.requestError.serviceException, { messageId: 'SVC0002', text: 'Invalid input value for message part %1', variables: ['fromCursor'] })
    }
  })

  it('refuses Flag with 400 SVC0003 listing the folder types, and presets with 405 POL2006', async () => {
    const r = await f.search({ maxEntries: 5, searchCriteria: { criterion: [{ type: 'Flag', name: '\\Seen', value: 'true' }] } })
    assert.equal(r.status, 400)
    assert.equal(r.body.requestError.serviceException.messageId, 'SVC0003')
    assert.deepEqual(r.body.requestError.serviceException.variables, ['searchCriteria.criterion.type', 'Attribute, AllTextAttributes, Date, WholeWord'])
    const preset = await f.call('POST', '/folders/operations/search', { selectionCriteria: { maxEntries: 5, searchCriteria: { criterion: [{ type: 'PresetSearch', name: 'UPOneDotO', value: '' }] } } })
    assert.equal(preset.status, 405)
    assert.equal(preset.headers.allow, 'POST')
    assert.equal(preset.body.requestError.policyException.messageId, 'POL2006')
  })

  it('matches WholeWord against whole words of folder names', async () => {
    assert.deepEqual(await paths({ maxEntries: 9, searchCriteria: { criterion: [{ type: 'WholeWord', value: 'alpha' }] } }), ['/Work/Projects/Alpha'])
    assert.deepEqual(await paths({ maxEntries: 9, searchCriteria: { criterion: [{ type: 'WholeWord', value: 'alph' }] } }), [])
  })

  it('sorts by an attribute in both spellings and pages a sorted search with its cursor', async () => {
    const byName = ['Alpha', 'Drafts', 'INBOX', 'Projects', 'Receipts', 'Sent', 'Trash', 'Work']
    const names = async (sc: Json): Promise<string[]> => (await paths(sc)).map((p) => p.slice(p.lastIndexOf('/') + 1))
    assert.deepEqual(await names({ maxEntries: LIST_MAX, sortCriterion: { type: 'Attribute', name: 'Name', order: 'Ascending' } }), byName.slice(0, LIST_MAX))
    const down: string[] = []
    let cursor: string | undefined
    do {
      const r = await f.search({ maxEntries: 3, sortCriteria: { criterion: [{ type: 'Attribute', name: 'Name' }] }, ...(cursor === undefined ? {} : { fromCursor: cursor }) })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      down.push(...(r.body.folderList.folder as Json[]).map((x) => String(x.path).slice(String(x.path).lastIndexOf('/') + 1)))
      cursor = r.body.folderList.cursor
    } while (cursor !== undefined && down.length < 20)
    assert.deepEqual(down, [...byName].reverse())
  })

  it('sorts by the folder Date, newest first by default, equal dates by path in the same direction', async () => {
    const scope = { resourceURL: (await f.get(await f.idByPath('/Work') as string)).body.folder.resourceURL }
    const listed = async (sc: Json): Promise<Array<{ path: string, date: string }>> => {
      const r = await f.search({ maxEntries: LIST_MAX, searchScope: scope, ...sc })
      return (r.body.folderList.folder as Json[]).map((x) => ({ path: x.path, date: x.attributes.attribute.find((a: Json) => a.name === 'Date').value[0] as string }))
    }
    const key = (x: { path: string, date: string }): string => `${x.date} ${x.path}`
    const down = await listed({ sortCriterion: { type: 'Date' } })
    assert.equal(down.length, 3)
    assert.deepEqual(down.map((x) => x.path), [...down].sort((a, b) => key(b).localeCompare(key(a))).map((x) => x.path))
    const up = await listed({ sortCriteria: { criterion: [{ type: 'Date', order: 'Ascending' }] } })
    assert.deepEqual(up.map((x) => x.path), [...down].reverse().map((x) => x.path))
  })

  it('requires maxEntries (400 SVC0002) and accepts it as a string', async () => {
    const r = await f.search({ searchCriteria: rootCriterion })
    assert.equal(r.status, 400)
    assert.equal(r.body.requestError.serviceException.messageId, 'SVC0002')
    assert.match(r.body.requestError.serviceException.variables[0], /maxEntries/)
    assert.deepEqual(await paths({ maxEntries: '1', searchCriteria: rootCriterion }), ['/Drafts'])
  })

  it('writes the box itself, percent-encoded, into every URL when the request names acr:auth', async () => {
    const r = await env.gateway.app.inject({
      method: 'POST',
      url: '/nms/v1/base/acr%3Aauth/folders/operations/search',
      headers: await env.auth(BOX),
      payload: { selectionCriteria: { maxEntries: 1, searchCriteria: rootCriterion } }
    })
    assert.equal(r.statusCode, 200, r.body)
    const drafts = JSON.parse(r.body).folderList.folder[0]
    assert.equal(drafts.path, '/Drafts')
    assert.ok(drafts.resourceURL.startsWith('https://nms.test.example/nms/v1/base/tel%3A%2B15550001001/folders/'))
  })

  it('answers 405 with Allow: POST for GET on the search resource', async () => {
    const r = await f.call('GET', '/folders/operations/search')
    assert.equal(r.status, 405)
    assert.equal(r.headers.allow, 'POST')
  })
})
