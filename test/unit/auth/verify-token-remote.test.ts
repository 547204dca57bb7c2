/**
 * JWKS URL key source against a local node:http server: caching, refetch on an unknown kid
 * (key rotation), the refetch cooldown, the fetch timeout and an unavailable endpoint.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { JWK } from 'jose'
import { createTokenVerifier } from '../../../src/auth/verify-token.js'
import { assertRejected, authConfig, makeKey, sign, type KeyFixture } from './fixtures.js'
import { isGatewayError } from '../../../src/errors/gateway-error.js'

/** An unreachable key set is the gateway's failure: 503 with Retry-After, not a 401. */
async function assertKeysUnavailable (p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isGatewayError(err))
    assert.equal(err.code, 'GW_ERR_AUTH_KEYS_UNAVAILABLE')
    assert.equal(err.statusCode, 503)
    assert.match(err.headers['Retry-After'] ?? '', /^[1-9]\d*$/)
    return true
  })
}

const BOX = 'tel:+15550000001'

interface JwksServer {
  url(path: string): string
  /** Keys published at /jwks from now on. */
  publish(keys: JWK[]): void
  /** Requests received per path. */
  fetches(path: string): number
  close(): Promise<void>
}

async function startJwksServer (): Promise<JwksServer> {
  let keys: JWK[] = []
  const counts = new Map<string, number>()
  const server: Server = createServer((req, res) => {
    const path = req.url ?? ''
    counts.set(path, (counts.get(path) ?? 0) + 1)
    if (path === '/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }))
    } else if (path === '/broken') {
      res.writeHead(500).end('down')
    }
    // '/slow' never answers: the client's timeout must end the request.
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    publish (k) { keys = k },
    fetches: (path) => counts.get(path) ?? 0,
    async close () {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

describe('JWKS URL', () => {
  let srv: JwksServer
  let k1: KeyFixture
  let k2: KeyFixture
  let k3: KeyFixture
  before(async () => {
    srv = await startJwksServer()
    ;[k1, k2, k3] = await Promise.all([makeKey('RS256', 'kid-1'), makeKey('ES256', 'kid-2'), makeKey('RS256', 'kid-3')])
  })
  after(async () => { await srv.close() })

  it('fetches once, caches, and refetches when a token names a new kid (rotation)', async () => {
    srv.publish([k1.publicJwk])
    const before = srv.fetches('/jwks')
    const v = await createTokenVerifier(authConfig({ jwksUrl: srv.url('/jwks') }), { jwks: { cooldownMs: 0 } })
    assert.equal(srv.fetches('/jwks'), before, 'the key set is fetched lazily')
    const t1 = await sign(k1.privateKey, { sub: BOX }, { alg: 'RS256', kid: 'kid-1' })
    for (let i = 0; i < 3; i++) assert.equal((await v.verify(t1)).box, BOX)
    assert.equal(srv.fetches('/jwks'), before + 1, 'three verifications, one fetch')

    const t2 = await sign(k2.privateKey, { sub: BOX }, { alg: 'ES256', kid: 'kid-2' })
    await assertRejected(v.verify(t2), 'unknown key')
    assert.equal(srv.fetches('/jwks'), before + 2, 'an unknown kid triggers a refetch')

    srv.publish([k1.publicJwk, k2.publicJwk])
    assert.equal((await v.verify(t2)).box, BOX)
    assert.equal(srv.fetches('/jwks'), before + 3)
    assert.equal((await v.verify(t2)).box, BOX)
    assert.equal((await v.verify(t1)).box, BOX)
    assert.equal(srv.fetches('/jwks'), before + 3, 'both keys now come from the cache')
  })

  it('does not refetch for an unknown kid during the cooldown', async () => {
    srv.publish([k1.publicJwk])
    const v = await createTokenVerifier(authConfig({ jwksUrl: srv.url('/jwks') }), { jwks: { cooldownMs: 60_000 } })
    await v.verify(await sign(k1.privateKey, { sub: BOX }, { alg: 'RS256', kid: 'kid-1' }))
    const afterFirst = srv.fetches('/jwks')
    srv.publish([k1.publicJwk, k3.publicJwk])
    const t3 = await sign(k3.privateKey, { sub: BOX }, { alg: 'RS256', kid: 'kid-3' })
    for (let i = 0; i < 3; i++) await assertRejected(v.verify(t3), 'unknown key')
    assert.equal(srv.fetches('/jwks'), afterFirst, 'forged kids cannot make the gateway hammer the IdP')
  })

  it('rejects a token signed by a key whose kid is published with a different key', async () => {
    srv.publish([k1.publicJwk])
    const v = await createTokenVerifier(authConfig({ jwksUrl: srv.url('/jwks') }))
    await assertRejected(v.verify(await sign(k3.privateKey, { sub: BOX }, { alg: 'RS256', kid: 'kid-1' })), 'bad signature')
  })

  it('gives up on a JWKS endpoint that does not answer within the timeout', async () => {
    const v = await createTokenVerifier(authConfig({ jwksUrl: srv.url('/slow') }), { jwks: { timeoutMs: 150 } })
    const started = Date.now()
    await assertKeysUnavailable(v.verify(await sign(k1.privateKey, { sub: BOX }, { alg: 'RS256', kid: 'kid-1' })))
    assert.ok(Date.now() - started < 5000)
    assert.equal(srv.fetches('/slow'), 1)
  })

  it('reports a failing JWKS endpoint as such', async () => {
    const v = await createTokenVerifier(authConfig({ jwksUrl: srv.url('/broken') }))
    await assertKeysUnavailable(v.verify(await sign(k1.privateKey, { sub: BOX }, { alg: 'RS256', kid: 'kid-1' })))
  })

  it('never accepts HS256 from a JWKS URL, even when configured', async () => {
    srv.publish([k1.publicJwk, { kty: 'oct', k: Buffer.from('s'.repeat(40)).toString('base64url'), kid: 'oct-1' }])
    const v = await createTokenVerifier(authConfig({ jwksUrl: srv.url('/jwks'), algorithms: ['HS256', 'RS256'] }))
    const forged = await sign(new TextEncoder().encode('s'.repeat(40)), { sub: BOX }, { alg: 'HS256', kid: 'oct-1' })
    await assertRejected(v.verify(forged), 'algorithm not allowed')
  })
})
