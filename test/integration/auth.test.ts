/**
 * Authentication and authorization through the real app, a real Dovecot and Redis
 * (architecture.md section 7 and section 10 rows 1-2; nms-spec-digest.md section 0.4;
 * nms-client-profile.md section 1.2, checks 9 and 43).
 *
 * Box A has a folder `OnlyA` that box B lacks, so a 200 vs 404 on its pathToId shows which
 * box a request really reached.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { SignJWT } from 'jose'
import type { LightMyRequestResponse } from 'fastify'
import { startTestEnv, type TestEnv } from '../helpers/env.js'

const A = 'tel:+15550000101'
const B = 'tel:+15550000102'
const SEARCH_ROOT = {
  selectionCriteria: { maxEntries: 10, searchCriteria: { criterion: [{ type: 'Attribute', name: 'Root', value: 'Yes' }] } }
}

describe('NMS authentication and authorization', () => {
  let env: TestEnv
  before(async () => {
    env = await startTestEnv({ boxes: [A, B] })
    const imap = await env.imap(A)
    try {
      await imap.mailboxCreate('OnlyA')
    } finally {
      await imap.logout()
    }
  })
  after(async () => { await env?.close() })

  const pathToId = (box: string, path: string): string => `${env.base(box)}/folders/operations/pathToId?path=${encodeURIComponent(path)}`
  const get = async (url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
    await env.gateway.app.inject({ method: 'GET', url, headers })

  describe('401', () => {
    it('without a token: Bearer challenge and an SVC2003 requestError', async () => {
      const res = await get(pathToId(A, '/INBOX'))
      assert.equal(res.statusCode, 401)
      assert.match(String(res.headers['www-authenticate']), /^Bearer realm="nms"/)
      assert.match(String(res.headers['content-type']), /^application\/json/)
      const body = res.json()
      assert.equal(body.requestError.serviceException.messageId, 'SVC2003')
      assert.equal(body.requestError.serviceException.text, 'Invalid access token %1')
    })

    it('with an Authorization header of another scheme', async () => {
      const res = await get(pathToId(A, '/INBOX'), { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` })
      assert.equal(res.statusCode, 401)
      assert.match(String(res.headers['www-authenticate']), /^Bearer /)
    })

    it('with a bad, foreign-signed or expired token (invalid_token)', async () => {
      const mint = async (secret: string, exp: string): Promise<string> => await new SignJWT({ sub: A, scope: 'oma_rest_nms.all_v1' })
        .setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(new TextEncoder().encode(secret))
      const foreign = await mint('z'.repeat(64), '5m')
      const expired = await mint(env.secret, '1 hour ago')
      const cases: Array<[string, string]> = [['garbage', 'not-a-jwt'], ['foreign', foreign], ['expired', expired]]
      for (const [what, token] of cases) {
        const res = await get(pathToId(A, '/INBOX'), { authorization: `Bearer ${token}` })
        assert.equal(res.statusCode, 401, what)
        assert.match(String(res.headers['www-authenticate']), /^Bearer realm="nms", error="invalid_token"/, what)
        assert.equal(res.json().requestError.serviceException.messageId, 'SVC2003', what)
      }
      const res = await get(pathToId(A, '/INBOX'), { authorization: `Bearer ${expired}` })
      assert.deepEqual(res.json().requestError.serviceException.variables, ['expired'])
    })

    it('before the storeName is checked, so unauthenticated callers cannot probe store names', async () => {
      const res = await get(`/nms/v1/elsewhere/${encodeURIComponent(B)}/folders/operations/pathToId?path=/INBOX`)
      assert.equal(res.statusCode, 401)
    })
  })

  describe('accepted header forms', () => {
    it('the BEARER spelling of the TS examples', async () => {
      const res = await get(pathToId(A, '/INBOX'), { authorization: `BEARER ${await env.token(A)}` })
      assert.equal(res.statusCode, 200)
    })
    it('AT&T\'s `Bearer PAT_<token>`', async () => {
      const res = await get(pathToId(A, '/INBOX'), { authorization: `Bearer PAT_${await env.token(A)}` })
      assert.equal(res.statusCode, 200)
    })
  })

  describe('boxes', () => {
    it('a user token reaches its own box', async () => {
      assert.equal((await get(pathToId(A, '/OnlyA'), await env.auth(A))).statusCode, 200)
      assert.equal((await get(pathToId(B, '/OnlyA'), await env.auth(B))).statusCode, 404)
    })

    it('a user token on the other box: 403 POL2003, not 404', async () => {
      for (const path of ['/INBOX', '/OnlyA', '/nothing-here']) {
        const res = await get(pathToId(B, path), await env.auth(A))
        assert.equal(res.statusCode, 403, path)
        assert.equal(res.json().requestError.policyException.messageId, 'POL2003', path)
      }
      const res = await get(pathToId('tel:+15559999999', '/INBOX'), await env.auth(A))
      assert.equal(res.statusCode, 403)
    })

    it('acr:auth (sent as acr%3Aauth) reaches the token\'s own box', async () => {
      const url = (path: string): string => `/nms/v1/base/acr%3Aauth/folders/operations/pathToId?path=${encodeURIComponent(path)}`
      assert.equal((await get(url('/OnlyA'), await env.auth(A))).statusCode, 200)
      assert.equal((await get(url('/OnlyA'), await env.auth(B))).statusCode, 404)
      const inbox = await get(url('/INBOX'), await env.auth(B))
      assert.equal(inbox.statusCode, 200)
      // Returned URLs name the real box, never the alias.
      assert.ok(inbox.json().reference.resourceURL.includes(`/${encodeURIComponent(B)}/folders/`))
    })

    it('acr:auth with a token that names no box: 403', async () => {
      const server = { authorization: `Bearer ${await env.token(undefined, { scope: 'nms:server' })}` }
      const res = await get('/nms/v1/base/acr%3Aauth/folders/operations/pathToId?path=/INBOX', server)
      assert.equal(res.statusCode, 403)
      assert.equal(res.json().requestError.policyException.messageId, 'POL2003')
    })

    it('a server-scope token without sub reaches both boxes', async () => {
      const server = { authorization: `Bearer ${await env.token(undefined, { scope: 'nms:server' })}` }
      assert.equal((await get(pathToId(A, '/OnlyA'), server)).statusCode, 200)
      assert.equal((await get(pathToId(B, '/OnlyA'), server)).statusCode, 404)
      assert.equal((await get(pathToId(B, '/INBOX'), server)).statusCode, 200)
    })
  })

  describe('OMA scopes', () => {
    it('a read-only token can GET and search but not create a folder (403 POL2003)', async () => {
      const reader = await env.auth(A, { scope: 'oma_rest_nms.read' })
      assert.equal((await get(pathToId(A, '/INBOX'), reader)).statusCode, 200)
      const search = await env.gateway.app.inject({
        method: 'POST', url: `${env.base(A)}/folders/operations/search`, headers: reader, payload: SEARCH_ROOT
      })
      assert.equal(search.statusCode, 200)

      const create = { folder: { parentFolderPath: '/INBOX', name: 'by-reader' } }
      const denied = await env.gateway.app.inject({ method: 'POST', url: `${env.base(A)}/folders`, headers: reader, payload: create })
      assert.equal(denied.statusCode, 403)
      assert.equal(denied.json().requestError.policyException.messageId, 'POL2003')
      assert.deepEqual(denied.json().requestError.policyException.variables, ['oma_rest_nms.modify'])
      assert.equal((await get(pathToId(A, '/INBOX/by-reader'), await env.auth(A))).statusCode, 404, 'nothing was created')

      const modifier = await env.auth(A, { scope: 'oma_rest_nms.modify' })
      const allowed = await env.gateway.app.inject({ method: 'POST', url: `${env.base(A)}/folders`, headers: modifier, payload: create })
      assert.equal(allowed.statusCode, 201)
      const readBack = await get(pathToId(A, '/INBOX/by-reader'), reader)
      assert.equal(readBack.statusCode, 200)
    })

    it('a server-scope token with no OMA scope may use every method (section 10 row 1)', async () => {
      const server = { authorization: `Bearer ${await env.token(undefined, { scope: 'nms:server' })}` }
      const res = await env.gateway.app.inject({
        method: 'POST', url: `${env.base(B)}/folders`, headers: server, payload: { folder: { parentFolderPath: '/INBOX', name: 'by-server' } }
      })
      assert.equal(res.statusCode, 201)
    })
  })

  it('an unknown storeName: 404 SVC0004 naming storeName', async () => {
    const res = await get(`/nms/v1/elsewhere/${encodeURIComponent(A)}/folders/operations/pathToId?path=/INBOX`, await env.auth(A))
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().requestError.serviceException.messageId, 'SVC0004')
    assert.deepEqual(res.json().requestError.serviceException.variables, ['storeName'])
  })
})
