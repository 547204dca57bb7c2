/**
 * The error model through the real app (issue 2 item 8): every refusal is an NMS requestError
 * with the catalogue's status and messageId; unknown routes 404, unsupported methods 405 with
 * Allow, oversize bodies 413, unsupported media types 415, malformed JSON 400, never a 500.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'

const BOX = 'tel:+15550001001'
let env: TestEnv

before(async () => {
  env = await startTestEnv({ boxes: [BOX], env: { NMS_MAX_BODY_BYTES: '2048' } })
})
after(async () => { await env.close() })

function exceptionOf (body: string): { kind: string, messageId: string, variables: string[] } {
  const parsed = JSON.parse(body) as { requestError: Record<string, { messageId: string, variables: string[] }> }
  const [kind, ex] = Object.entries(parsed.requestError).find(([k]) => k.endsWith('Exception')) ?? []
  assert.ok(kind !== undefined && ex !== undefined, `no exception in ${body}`)
  return { kind, messageId: ex.messageId, variables: ex.variables }
}

describe('HTTP error model', () => {
  it('answers an unknown route with 404 SVC0004', async () => {
    const res = await env.gateway.app.inject({ method: 'GET', url: '/no/such/thing' })
    assert.equal(res.statusCode, 404)
    assert.match(String(res.headers['content-type']), /application\/json/)
    assert.deepEqual(exceptionOf(res.body), { kind: 'serviceException', messageId: 'SVC0004', variables: ['Request-URI'] })
  })

  it('answers an unknown NMS resource with 404 SVC0004', async () => {
    const res = await env.gateway.app.inject({ method: 'GET', url: `${env.base(BOX)}/nothing-here`, headers: await env.auth(BOX) })
    assert.equal(res.statusCode, 404)
    assert.equal(exceptionOf(res.body).messageId, 'SVC0004')
  })

  it('answers an unsupported method with 405 and an Allow header', async () => {
    const health = await env.gateway.app.inject({ method: 'PUT', url: '/healthz' })
    assert.equal(health.statusCode, 405)
    assert.equal(health.headers.allow, 'GET')
    assert.equal(exceptionOf(health.body).messageId, 'POL2006')

    const search = await env.gateway.app.inject({ method: 'GET', url: `${env.base(BOX)}/folders/operations/search`, headers: await env.auth(BOX) })
    assert.equal(search.statusCode, 405)
    assert.equal(search.headers.allow, 'POST')

    const folder = await env.gateway.app.inject({ method: 'POST', url: `${env.base(BOX)}/folders/some-id`, headers: await env.auth(BOX), payload: {} })
    assert.equal(folder.statusCode, 405)
    assert.equal(folder.headers.allow, 'DELETE, GET')

    const folderName = await env.gateway.app.inject({ method: 'DELETE', url: `${env.base(BOX)}/folders/some-id/folderName`, headers: await env.auth(BOX) })
    assert.equal(folderName.statusCode, 405)
    assert.equal(folderName.headers.allow, 'GET, PUT')
  })

  it('refuses a body over the configured limit with 413', async () => {
    const res = await env.gateway.app.inject({
      method: 'POST',
      url: `${env.base(BOX)}/folders`,
      headers: { ...(await env.auth(BOX)), 'content-type': 'application/json' },
      payload: JSON.stringify({ folder: { parentFolderPath: '/INBOX', name: 'x'.repeat(4096) } })
    })
    assert.equal(res.statusCode, 413)
    assert.deepEqual(exceptionOf(res.body), { kind: 'policyException', messageId: 'POL2004', variables: ['body'] })
  })

  it('refuses an unsupported media type with 415', async () => {
    const res = await env.gateway.app.inject({
      method: 'POST',
      url: `${env.base(BOX)}/folders`,
      headers: { ...(await env.auth(BOX)), 'content-type': 'text/plain' },
      payload: 'folder please'
    })
    assert.equal(res.statusCode, 415)
    assert.equal(exceptionOf(res.body).messageId, 'POL0011')
  })

  it('refuses JSON in a charset other than UTF-8 with 415', async () => {
    const res = await env.gateway.app.inject({
      method: 'POST',
      url: `${env.base(BOX)}/folders`,
      headers: { ...(await env.auth(BOX)), 'content-type': 'application/json; charset=iso-8859-1' },
      payload: Buffer.from('{"folder":{"parentFolderPath":"/INBOX","name":"caf\xe9"}}', 'latin1')
    })
    assert.equal(res.statusCode, 415)
  })

  it('refuses malformed JSON with 400 SVC0002 naming the body', async () => {
    const res = await env.gateway.app.inject({
      method: 'POST',
      url: `${env.base(BOX)}/folders`,
      headers: { ...(await env.auth(BOX)), 'content-type': 'application/json' },
      payload: '{"folder": {"parentFolderPath": '
    })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(exceptionOf(res.body), { kind: 'serviceException', messageId: 'SVC0002', variables: ['body'] })
  })

  it('refuses prototype-poisoning JSON with 400', async () => {
    const res = await env.gateway.app.inject({
      method: 'POST',
      url: `${env.base(BOX)}/folders`,
      headers: { ...(await env.auth(BOX)), 'content-type': 'application/json' },
      payload: '{"folder": {"parentFolderPath": "/INBOX", "__proto__": {"polluted": true}}}'
    })
    assert.equal(res.statusCode, 400)
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })

  it('refuses a schema-invalid body with 400 SVC0002 naming the offending part', async () => {
    const res = await env.gateway.app.inject({
      method: 'POST',
      url: `${env.base(BOX)}/folders`,
      headers: await env.auth(BOX),
      payload: { folder: 'not an object' }
    })
    assert.equal(res.statusCode, 400)
    const ex = exceptionOf(res.body)
    assert.equal(ex.messageId, 'SVC0002')
    assert.deepEqual(ex.variables, ['folder'])
  })

  it('never answers odd URLs with a 5xx', async () => {
    const headers = await env.auth(BOX)
    const urls = [
      `${env.base(BOX)}/folders/%E0%A4%A`,
      `${env.base(BOX)}/folders/%00`,
      `${env.base(BOX)}/folders/${'a'.repeat(5000)}`,
      `${env.base(BOX)}/folders/..%2F..%2Fetc`,
      '/nms/v1/base/%ZZ/folders/x',
      `${env.base(BOX)}/folders/operations/pathToId?path=%E0%A4%A`,
      `${env.base(BOX)}/folders/operations/pathToId?path=/INBOX%0D%0AA1%20LOGOUT`
    ]
    for (const url of urls) {
      const res = await env.gateway.app.inject({ method: 'GET', url, headers })
      assert.ok(res.statusCode < 500, `${url} -> ${res.statusCode} ${res.body}`)
      assert.ok(res.statusCode === 200 || 'requestError' in (JSON.parse(res.body) as object), `${url} -> ${res.body}`)
    }
  })
})
