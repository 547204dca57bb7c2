/**
 * Folder pathToId (nms-spec-digest.md R14): GET with and without a path (SVC1009 when several
 * roots exist), and the bulk POST with success, malformed and unknown items in request order.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { folderClient, imapCreate, type FolderClient } from './folders-helpers.js'

const BOX = 'tel:+15550001007'
const BASE = 'https://nms.test.example/nms/v1/base/tel%3A%2B15550001007'

describe('folder pathToId', () => {
  let env: TestEnv
  let f: FolderClient

  before(async () => {
    env = await startTestEnv({ boxes: [BOX] })
    f = folderClient(env, BOX)
  })
  after(async () => { await env?.close() })

  it('returns the only root when no path is given, and 400 SVC1009 once there are several', async () => {
    for (const q of ['', '?path=']) {
      const r = await f.call('GET', `/folders/operations/pathToId${q}`)
      assert.equal(r.status, 200, JSON.stringify(r.body))
      assert.equal(r.body.reference.path, '/INBOX')
      assert.match(r.body.reference.resourceURL, /\/folders\/[A-Za-z0-9_-]{22}$/)
    }
    await imapCreate(env, BOX, ['Work', 'Work/Sub'])
    const r = await f.call('GET', '/folders/operations/pathToId')
    assert.equal(r.status, 400)
    assert.deepEqual(r.body.requestError.serviceException, {
      messageId: 'SVC1009',
      text: 'Folder\'s path is missing. When more than one root folder exists, folder\'s path must be provided.',
      variables: []
    })
  })

  it('resolves a path to the folder\'s reference (INBOX in any case)', async () => {
    const sub = await f.call('GET', `/folders/operations/pathToId?path=${encodeURIComponent('/Work/Sub')}`)
    assert.equal(sub.status, 200)
    assert.equal(sub.body.reference.path, '/Work/Sub')
    const folder = await f.get(f.idOf(sub.body.reference.resourceURL), '?path=Yes')
    assert.equal(folder.body.folder.path, '/Work/Sub')
    const inbox = await f.call('GET', '/folders/operations/pathToId?path=/inbox')
    assert.equal(inbox.status, 200)
    assert.equal(inbox.body.reference.path, '/INBOX')
  })

  it('answers unknown and malformed paths with 404 SVC0004 naming the path', async () => {
    for (const path of ['/Work/Nope', '/Work//Sub', 'Work/Sub', '/Work/', '/']) {
      const r = await f.call('GET', `/folders/operations/pathToId?path=${encodeURIComponent(path)}`)
      assert.equal(r.status, 404, path)
      assert.deepEqual(r.body.requestError.serviceException, { messageId: 'SVC0004', text: 'No valid addresses provided in message part %1', variables: [path] })
    }
  })

  it('answers POST pathList with one item per path, in order', async () => {
    const sub = await f.idByPath('/Work/Sub') as string
    const r = await f.call('POST', '/folders/operations/pathToId', { pathList: { path: ['/Work/Sub', '/Work//x', '/Work/conversation99', '/Work'] } })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const items = r.body.bulkResponseList.response
    assert.equal(items.length, 4)
    assert.deepEqual(items[0], { code: 200, reason: 'OK', success: { resourceURL: `${BASE}/folders/${sub}`, path: '/Work/Sub' } })
    assert.deepEqual(items[1], { code: 400, reason: 'Bad Request', failure: { serviceException: { messageId: 'SVC0002', text: 'Invalid input value for message part %1', variables: ['/Work//x'] } } })
    assert.deepEqual(items[2], { code: 404, reason: 'Not Found', failure: { serviceException: { messageId: 'SVC2008', text: 'Unknown %1 %2', variables: ['path', '/Work/conversation99'] } } })
    assert.equal(items[3].code, 200)
    assert.equal(items[3].success.path, '/Work')
  })

  it('refuses an empty pathList with 400 SVC0002', async () => {
    const r = await f.call('POST', '/folders/operations/pathToId', { pathList: { path: [] } })
    assert.equal(r.status, 400)
    assert.equal(r.body.requestError.serviceException.messageId, 'SVC0002')
  })

  it('answers 405 with Allow: GET, POST for PUT and DELETE', async () => {
    for (const method of ['PUT', 'DELETE']) {
      const r = await f.call(method, '/folders/operations/pathToId', method === 'PUT' ? {} : undefined)
      assert.equal(r.status, 405)
      assert.equal(r.headers.allow, 'GET, POST')
    }
  })
})
