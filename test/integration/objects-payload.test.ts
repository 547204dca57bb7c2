/**
 * Payloads (nms-spec-digest.md R5, R6; client profile checks 8, 20, 21) against the real
 * Dovecot: a multipart payload parses with the boundary from its Content-Type, an image part's
 * bytes round-trip exactly, `Accept: application/json` never 406s, `Accept: message/rfc822`
 * gives the whole source, unknown parts and objects 404.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { call, IMAGE, mms, seed, sms, type Seeded } from './objects-read-helpers.js'

const BOX = 'tel:+15550003103'
const ACCEPT_JSON = { accept: 'application/json' }

describe('object payloads', () => {
  let env: TestEnv
  let m: Seeded
  let raw: string

  before(async () => {
    env = await startTestEnv({ boxes: [BOX] })
    raw = mms('tel:+15557654321', BOX)
    m = await seed(env, BOX, 'INBOX', raw)
  })
  after(async () => { await env?.close() })

  it('streams a multipart payload that parses with the boundary of its Content-Type', async () => {
    const r = await call(env, BOX, 'GET', `/objects/${m.id}/payload`, { headers: ACCEPT_JSON })
    assert.equal(r.status, 200)
    const ct = String(r.headers['content-type'])
    assert.match(ct, /^multipart\/related;/)
    const boundary = /boundary="([^"]+)"/.exec(ct)?.[1]
    assert.equal(boundary, '=_b1 x')
    const text = r.raw.toString('latin1')
    const parts = text.split(`--${boundary}`)
    // preamble, two parts, closing `--`
    assert.equal(parts.length, 4, text.slice(0, 300))
    assert.ok(parts[3]?.startsWith('--'))
    assert.match(parts[1] as string, /Content-ID: <t1>[\s\S]*look at this/)
    const img = parts[2] as string
    const b64 = img.slice(img.indexOf('\r\n\r\n') + 4).replace(/\s+/g, '')
    assert.deepEqual(Buffer.from(b64, 'base64'), IMAGE)
  })

  it('streams a first-level part transfer-decoded, bytes exact, with its type and file name', async () => {
    const r = await call(env, BOX, 'GET', `/objects/${m.id}/payloadParts/2`, { headers: ACCEPT_JSON })
    assert.equal(r.status, 200)
    assert.equal(r.headers['content-type'], 'image/png; name=pic.png')
    assert.equal(r.headers['content-disposition'], 'attachment; filename="pic.png"')
    assert.deepEqual(r.raw, IMAGE)
    const t = await call(env, BOX, 'GET', `/objects/${m.id}/payloadParts/1`)
    assert.equal(t.status, 200)
    assert.equal(t.headers['content-type'], 'text/plain; charset=utf-8')
    assert.equal(t.raw.toString('utf8'), 'look at this')
  })

  it('answers unknown parts and objects with 404 SVC0004', async () => {
    for (const part of ['3', '0', '1.1', 'x', '2.MIME']) {
      const r = await call(env, BOX, 'GET', `/objects/${m.id}/payloadParts/${part}`, { headers: ACCEPT_JSON })
      assert.equal(r.status, 404, part)
      assert.equal(r.body.requestError.serviceException.messageId, 'SVC0004')
    }
    const gone = await seed(env, BOX, 'INBOX', sms('tel:+15557654321', BOX, 'bye'))
    assert.equal((await call(env, BOX, 'DELETE', `/objects/${gone.id}`)).status, 204)
    for (const path of [`/objects/${gone.id}/payload`, `/objects/${gone.id}/payloadParts/1`, '/objects/forged-0123456789/payload']) {
      const r = await call(env, BOX, 'GET', path)
      assert.equal(r.status, 404, path)
      assert.equal(r.body.requestError.serviceException.messageId, 'SVC0004')
    }
  })

  it('gives the whole RFC 5322 source with Accept: message/rfc822', async () => {
    const r = await call(env, BOX, 'GET', `/objects/${m.id}/payload`, { headers: { accept: 'message/rfc822, application/json;q=0.5' } })
    assert.equal(r.status, 200)
    assert.equal(r.headers['content-type'], 'message/rfc822')
    assert.equal(r.raw.toString('latin1'), raw)
  })

  it('serves the payload of an SMS inlined as TextContent too', async () => {
    const s = await seed(env, BOX, 'INBOX', sms('tel:+15557654321', BOX, 'Grüße'))
    const o = await call(env, BOX, 'GET', `/objects/${s.id}`)
    assert.equal(o.body.object.payloadURL, undefined)
    const r = await call(env, BOX, 'GET', `/objects/${s.id}/payload`, { headers: ACCEPT_JSON })
    assert.equal(r.status, 200)
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8')
    assert.equal(r.raw.toString('utf8'), 'Grüße\r\n')
    const p = await call(env, BOX, 'GET', `/objects/${s.id}/payloadParts/1`)
    assert.equal(p.status, 200)
    assert.equal(p.raw.toString('utf8'), 'Grüße\r\n')
  })

  it('answers other methods with 405 Allow: GET', async () => {
    for (const path of [`/objects/${m.id}/payload`, `/objects/${m.id}/payloadParts/1`]) {
      const r = await call(env, BOX, 'DELETE', path)
      assert.equal(r.status, 405)
      assert.equal(r.headers.allow, 'GET')
    }
  })
})
