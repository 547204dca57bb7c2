/**
 * The NMS auth hook on a minimal fastify app (the real error handler and auth plugin, a probe
 * route per OMA scope). The full app with folder routes and a real Dovecot is covered by
 * test/integration/auth.test.ts; this pins the hook's order and the route-config contract.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import errorHandler from '../../../src/http/plugins/error-handler.js'
import nmsAuth from '../../../src/http/plugins/auth.js'
import { createTokenVerifier } from '../../../src/auth/verify-token.js'
import { loadConfig } from '../../../src/config/load.js'
import { SECRET, secretKey, sign } from './fixtures.js'

const BOX = 'tel:+15550000001'
const OTHER = 'tel:+15550000002'
const base = (box: string, store = 'base'): string => `/nms/v1/${store}/${encodeURIComponent(box)}`

async function buildProbeApp (): Promise<FastifyInstance> {
  const config = loadConfig({ env: { NMS_AUTH_HS256_SECRET: SECRET, NMS_IMAP_AUTH: 'oauthbearer' } })
  const verifier = await createTokenVerifier(config.auth)
  const app = Fastify()
  await app.register(errorHandler)
  await app.register(async (nms) => {
    await nms.register(nmsAuth, { config, verifier })
    const echo = async (request: FastifyRequest): Promise<unknown> =>
      ({ box: request.box, principal: request.principal !== null })
    nms.get('/probe', echo)
    nms.post('/probe', echo)
    nms.post('/search', { config: { omaScope: 'read' } }, echo)
    nms.post('/create', { config: { omaScope: 'create' } }, echo)
    nms.get('/subs', { config: { omaScope: 'subscription' } }, echo)
  }, { prefix: '/nms/v1/:storeName/:boxId' })
  await app.ready()
  return app
}

describe('nms-auth hook', () => {
  let app: FastifyInstance
  const token = async (claims: Record<string, unknown>): Promise<string> => await sign(secretKey(), claims, { alg: 'HS256' })
  before(async () => { app = await buildProbeApp() })
  after(async () => { await app.close() })

  it('401 with a bare Bearer challenge when there is no token', async () => {
    const res = await app.inject({ url: `${base(BOX)}/probe` })
    assert.equal(res.statusCode, 401)
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="nms"')
    assert.equal(res.json().requestError.serviceException.messageId, 'SVC2003')
  })

  it('401 invalid_token for an unverifiable token, before the storeName is looked at', async () => {
    const res = await app.inject({ url: `${base(BOX, 'nope')}/probe`, headers: { authorization: 'Bearer not.a.jwt' } })
    assert.equal(res.statusCode, 401)
    assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/)
  })

  it('sets request.box with the verified token (PAT_ prefix removed) and the token\'s box', async () => {
    const t = await token({ sub: BOX })
    const res = await app.inject({ url: `${base('acr:auth')}/probe`, headers: { authorization: `Bearer PAT_${t}` } })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { box: { boxId: BOX, accessToken: t }, principal: true })
  })

  it('404 SVC0004 for another storeName once authenticated', async () => {
    const res = await app.inject({ url: `${base(BOX, 'other')}/probe`, headers: { authorization: `Bearer ${await token({ sub: BOX })}` } })
    assert.equal(res.statusCode, 404)
    assert.deepEqual(res.json().requestError.serviceException, { messageId: 'SVC0004', text: 'No valid addresses provided in message part %1', variables: ['storeName'] })
  })

  it('403 POL2003 for a user token on another box', async () => {
    const res = await app.inject({ url: `${base(OTHER)}/probe`, headers: { authorization: `Bearer ${await token({ sub: BOX })}` } })
    assert.equal(res.statusCode, 403)
    assert.equal(res.json().requestError.policyException.messageId, 'POL2003')
  })

  it('gates methods by the route\'s declared scope, defaulting by method', async () => {
    const auth = { authorization: `Bearer ${await token({ sub: BOX, scope: 'oma_rest_nms.read' })}` }
    const status = async (method: 'GET' | 'POST', path: string): Promise<number> =>
      (await app.inject({ method, url: `${base(BOX)}${path}`, headers: auth })).statusCode
    assert.equal(await status('GET', '/probe'), 200)
    assert.equal(await status('POST', '/search'), 200)
    assert.equal(await status('POST', '/probe'), 403)
    assert.equal(await status('POST', '/create'), 403)
    assert.equal(await status('GET', '/subs'), 403)
    const res = await app.inject({ method: 'POST', url: `${base(BOX)}/create`, headers: auth })
    assert.deepEqual(res.json().requestError.policyException.variables, ['oma_rest_nms.create'])
    assert.match(String(res.headers['www-authenticate']), /error="insufficient_scope", scope="oma_rest_nms.create"/)
  })

  it('does not restrict a token without OMA scopes', async () => {
    const auth = { authorization: `Bearer ${await token({ scope: 'nms:server' })}` }
    for (const [method, path] of [['GET', '/subs'], ['POST', '/create'], ['POST', '/probe']] as const) {
      const res = await app.inject({ method, url: `${base(OTHER)}${path}`, headers: auth })
      assert.equal(res.statusCode, 200, `${method} ${path}`)
      assert.equal(res.json().box.boxId, OTHER)
    }
  })
})
