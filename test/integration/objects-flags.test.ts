/**
 * Object flags (nms-spec-digest.md R3, R4; client profile checks 2, 3) against the real Dovecot:
 * every status code of the individual-flag resource, percent-encoded and case-insensitive names,
 * an empty PUT body with Content-Type application/json, the flag list PUT replacing the set, and
 * a no-op PUT that does not bump MODSEQ.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { call, imapFlags, seed, sms, type Seeded } from './objects-read-helpers.js'

const BOX = 'tel:+15550003102'
const BASE = 'https://nms.test.example/nms/v1/base/tel%3A%2B15550003102'
const JSON_CT = { 'content-type': 'application/json' }

describe('object flags', () => {
  let env: TestEnv
  let s: Seeded

  before(async () => {
    env = await startTestEnv({ boxes: [BOX] })
    s = await seed(env, BOX, 'INBOX', sms('tel:+15557654321', BOX, 'hi'), ['\\Flagged'])
  })
  after(async () => { await env?.close() })

  it('PUT %5CSeen with an empty JSON body adds the flag: 201 + Location + empty, then 204', async () => {
    const r = await call(env, BOX, 'PUT', `/objects/${s.id}/flags/%5CSeen`, { payload: '', headers: JSON_CT })
    assert.equal(r.status, 201, r.raw.toString())
    assert.equal(r.headers.location, `${BASE}/objects/${s.id}/flags/%5CSeen`)
    assert.deepEqual(r.body, { empty: null })
    assert.deepEqual((await imapFlags(env, BOX, 'INBOX', s.uid)).flags, ['\\Flagged', '\\Seen'])
    const again = await call(env, BOX, 'PUT', `/objects/${s.id}/flags/%5Cseen`, { payload: { empty: null } })
    assert.equal(again.status, 204)
    assert.equal(again.raw.length, 0)
  })

  it('GET a flag: 204 when set (any case), 404 empty when not', async () => {
    for (const name of ['%5CSeen', '%5CSEEN', '%5Cseen']) {
      const r = await call(env, BOX, 'GET', `/objects/${s.id}/flags/${name}`)
      assert.equal(r.status, 204, name)
    }
    const r = await call(env, BOX, 'GET', `/objects/${s.id}/flags/%5CAnswered`)
    assert.equal(r.status, 404)
    assert.deepEqual(r.body, { empty: null })
  })

  it('DELETE a flag: 204 when removed, 404 empty when absent', async () => {
    const d = await call(env, BOX, 'DELETE', `/objects/${s.id}/flags/%5Cseen`)
    assert.equal(d.status, 204)
    assert.deepEqual((await imapFlags(env, BOX, 'INBOX', s.uid)).flags, ['\\Flagged'])
    const again = await call(env, BOX, 'DELETE', `/objects/${s.id}/flags/%5CSeen`)
    assert.equal(again.status, 404)
    assert.deepEqual(again.body, { empty: null })
  })

  it('handles keywords case-insensitively', async () => {
    const put = await call(env, BOX, 'PUT', `/objects/${s.id}/flags/$Label1`, { payload: '', headers: JSON_CT })
    assert.equal(put.status, 201)
    assert.equal((await call(env, BOX, 'GET', `/objects/${s.id}/flags/$label1`)).status, 204)
    assert.equal((await call(env, BOX, 'DELETE', `/objects/${s.id}/flags/$LABEL1`)).status, 204)
    assert.deepEqual((await imapFlags(env, BOX, 'INBOX', s.uid)).flags, ['\\Flagged'])
  })

  it('answers an unknown object with a 404 requestError (not empty) and bad names with 400 SVC0002', async () => {
    const other = await seed(env, BOX, 'INBOX', sms('tel:+15557654321', BOX, 'gone'))
    assert.equal((await call(env, BOX, 'DELETE', `/objects/${other.id}`)).status, 204)
    for (const method of ['GET', 'PUT', 'DELETE']) {
      for (const id of [other.id, 'forged-id-123456']) {
        const r = await call(env, BOX, method, `/objects/${id}/flags/%5CSeen`, method === 'PUT' ? { payload: '', headers: JSON_CT } : {})
        assert.equal(r.status, 404, `${method} ${id}`)
        assert.equal(r.body.requestError.serviceException.messageId, 'SVC0004')
      }
    }
    for (const name of ['%5CRecent', '%5CFoo', 'a%20b', 'x(']) {
      const r = await call(env, BOX, 'PUT', `/objects/${s.id}/flags/${name}`, { payload: '', headers: JSON_CT })
      assert.equal(r.status, 400, name)
      assert.equal(r.body.requestError.serviceException.messageId, 'SVC0002')
    }
  })

  it('GET flags lists them; PUT flags replaces the set and a same-set PUT writes nothing', async () => {
    const g = await call(env, BOX, 'GET', `/objects/${s.id}/flags`)
    assert.equal(g.status, 200)
    assert.deepEqual(g.body, { flagList: { flag: ['\\Flagged'], resourceURL: `${BASE}/objects/${s.id}/flags` } })

    const p = await call(env, BOX, 'PUT', `/objects/${s.id}/flags`, { payload: { flagList: { flag: ['\\seen', '\\Answered', '$Work'] } } })
    assert.equal(p.status, 200, p.raw.toString())
    assert.deepEqual([...p.body.flagList.flag].sort(), ['$Work', '\\Answered', '\\Seen'])
    assert.equal(p.body.flagList.resourceURL, `${BASE}/objects/${s.id}/flags`)
    const after1 = await imapFlags(env, BOX, 'INBOX', s.uid)
    assert.deepEqual(after1.flags, ['$Work', '\\Answered', '\\Seen'])
    assert.ok(after1.modseq > 0n, 'CONDSTORE MODSEQ expected')

    const same = await call(env, BOX, 'PUT', `/objects/${s.id}/flags`, { payload: { flagList: { flag: ['$work', '\\SEEN', '\\Answered', '\\Seen'] } } })
    assert.equal(same.status, 200)
    const after2 = await imapFlags(env, BOX, 'INBOX', s.uid)
    assert.equal(after2.modseq, after1.modseq, 'a no-op PUT must not bump MODSEQ')

    const obj = await call(env, BOX, 'GET', `/objects/${s.id}`)
    assert.equal(obj.body.object.lastModSeq, Number(after2.modseq))

    const cleared = await call(env, BOX, 'PUT', `/objects/${s.id}/flags`, { payload: { flagList: { flag: [] } } })
    assert.deepEqual(cleared.body.flagList.flag, [])
    assert.deepEqual((await imapFlags(env, BOX, 'INBOX', s.uid)).flags, [])

    const bad = await call(env, BOX, 'PUT', `/objects/${s.id}/flags`, { payload: { flagList: { flag: ['\\Recent'] } } })
    assert.equal(bad.status, 400)
  })

  it('answers POST and DELETE on the flag list with 405', async () => {
    const r = await call(env, BOX, 'POST', `/objects/${s.id}/flags`, { payload: {} })
    assert.equal(r.status, 405)
    assert.equal(r.headers.allow, 'GET, PUT')
    const one = await call(env, BOX, 'POST', `/objects/${s.id}/flags/%5CSeen`, { payload: {} })
    assert.equal(one.status, 405)
    assert.equal(one.headers.allow, 'DELETE, GET, PUT')
  })
})
