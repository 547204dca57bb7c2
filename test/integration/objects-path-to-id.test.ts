/**
 * Object pathToId (nms-spec-digest.md R8): GET resolves `/Folder/sub/{objectId}` to the object's
 * reference; missing, malformed and unknown paths are 404 SVC0004 naming the path. POST answers
 * one bulk item per path in request order: 200, 400 SVC0002 (malformed), 404 SVC2008 (unknown).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { call, mailboxes, seed, sms, type Seeded } from './objects-read-helpers.js'

const BOX = 'tel:+15550003105'
const BASE = 'https://nms.test.example/nms/v1/base/tel%3A%2B15550003105'

describe('object pathToId', () => {
  let env: TestEnv
  let a: Seeded
  let b: Seeded
  let gone: Seeded

  before(async () => {
    env = await startTestEnv({ boxes: [BOX] })
    await mailboxes(env, BOX, ['Work', 'Work/Sub'])
    a = await seed(env, BOX, 'Work/Sub', sms('tel:+15557654321', BOX, 'a'))
    b = await seed(env, BOX, 'INBOX', sms('tel:+15557654321', BOX, 'b'))
    gone = await seed(env, BOX, 'Work', sms('tel:+15557654321', BOX, 'c'))
    assert.equal((await call(env, BOX, 'DELETE', `/objects/${gone.id}`)).status, 204)
  })
  after(async () => { await env?.close() })

  it('resolves an object path to its reference (INBOX in any case)', async () => {
    const r = await call(env, BOX, 'GET', `/objects/operations/pathToId?path=${encodeURIComponent(`/Work/Sub/${a.id}`)}`)
    assert.equal(r.status, 200, JSON.stringify(r.body))
    assert.deepEqual(r.body, { reference: { resourceURL: `${BASE}/objects/${a.id}`, path: `/Work/Sub/${a.id}` } })
    const i = await call(env, BOX, 'GET', `/objects/operations/pathToId?path=${encodeURIComponent(`/inbox/${b.id}`)}`)
    assert.equal(i.status, 200)
    assert.equal(i.body.reference.path, `/INBOX/${b.id}`)
  })

  it('answers missing, malformed and unknown paths with 404 SVC0004 naming the path', async () => {
    const missing = await call(env, BOX, 'GET', '/objects/operations/pathToId')
    assert.equal(missing.status, 404)
    assert.equal(missing.body.requestError.serviceException.messageId, 'SVC0004')
    for (const path of [
      `/Work/${a.id}`, // the right id under the wrong folder
      `/Work/${gone.id}`, // expunged
      `/Work//Sub/${a.id}`,
      `Work/Sub/${a.id}`,
      `/${a.id}`,
      '/Work/Sub/not-an-id',
      `/Nope/${a.id}`
    ]) {
      const r = await call(env, BOX, 'GET', `/objects/operations/pathToId?path=${encodeURIComponent(path)}`)
      assert.equal(r.status, 404, path)
      assert.deepEqual(r.body.requestError.serviceException, { messageId: 'SVC0004', text: 'No valid addresses provided in message part %1', variables: [path] })
    }
  })

  it('answers POST pathList with one item per path, in order', async () => {
    const paths = [`/Work/Sub/${a.id}`, '/Work//x', `/Work/${gone.id}`, `/INBOX/${b.id}`, `/Work/${a.id}`]
    const r = await call(env, BOX, 'POST', '/objects/operations/pathToId', { payload: { pathList: { path: paths } } })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const items = r.body.bulkResponseList.response
    assert.equal(items.length, paths.length)
    assert.deepEqual(items[0], { code: 200, reason: 'OK', success: { resourceURL: `${BASE}/objects/${a.id}`, path: `/Work/Sub/${a.id}` } })
    assert.deepEqual(items[1], {
      code: 400,
      reason: 'Bad Request',
      failure: { serviceException: { messageId: 'SVC0002', text: 'Invalid input value for message part %1', variables: ['/Work//x'] } }
    })
    assert.deepEqual(items[2], {
      code: 404, reason: 'Not Found', failure: { serviceException: { messageId: 'SVC2008', text: 'Unknown %1 %2', variables: ['path', `/Work/${gone.id}`] } }
    })
    assert.equal(items[3].code, 200)
    assert.equal(items[3].success.resourceURL, `${BASE}/objects/${b.id}`)
    assert.equal(items[4].code, 404)
  })

  it('answers PUT with 405 Allow: GET, POST', async () => {
    const r = await call(env, BOX, 'PUT', '/objects/operations/pathToId', { payload: {} })
    assert.equal(r.status, 405)
    assert.equal(r.headers.allow, 'GET, POST')
  })
})
