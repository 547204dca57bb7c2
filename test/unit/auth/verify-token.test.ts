import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SignJWT, importPKCS8 } from 'jose'
import { createTokenVerifier } from '../../../src/auth/verify-token.js'
import { isGatewayError } from '../../../src/errors/gateway-error.js'
import {
  SECRET, assertRejected, authConfig, makeKey, privateKeyFor, secretKey, sign, tempDir, unsignedToken,
  type KeyFixture, type TempDir
} from './fixtures.js'

const BOX = 'tel:+15550000001'

describe('HS256 secret', () => {
  it('verifies a valid token and builds the principal', async () => {
    const v = await createTokenVerifier(authConfig({ hs256Secret: SECRET }))
    const token = await sign(secretKey(), { sub: BOX, scope: 'oma_rest_nms.all_v1' }, { alg: 'HS256' })
    const p = await v.verify(token)
    assert.equal(p.box, BOX)
    assert.equal(p.subject, BOX)
    assert.equal(p.server, false)
    assert.equal(p.token, token)
    assert.deepEqual([...p.omaScopes], ['all'])
  })

  it('rejects a token signed with another secret', async () => {
    const v = await createTokenVerifier(authConfig({ hs256Secret: SECRET }))
    await assertRejected(v.verify(await sign(secretKey('x'.repeat(40)), { sub: BOX }, { alg: 'HS256' })), 'bad signature')
  })

  it('accepts HS256 only, whatever the configured algorithms say', async () => {
    const v = await createTokenVerifier(authConfig({ hs256Secret: SECRET, algorithms: ['HS256', 'HS512'] }))
    await assertRejected(v.verify(await sign(secretKey(), { sub: BOX }, { alg: 'HS512' })), 'algorithm not allowed')
  })

  it('never puts the secret into the error', async () => {
    const v = await createTokenVerifier(authConfig({ hs256Secret: SECRET }))
    await assert.rejects(v.verify(await sign(secretKey('y'.repeat(40)), { sub: BOX }, { alg: 'HS256' })), (err: unknown) => {
      assert.ok(isGatewayError(err))
      assert.ok(!JSON.stringify({ m: err.message, v: err.variables, h: err.headers, d: err.detail }).includes(SECRET))
      return true
    })
  })
})

describe('time and audience claims', () => {
  const cfg = authConfig({ hs256Secret: SECRET, issuer: 'https://idp.test', audience: 'nms-gateway' })
  const good = { alg: 'HS256', iss: 'https://idp.test', aud: 'nms-gateway' }

  it('accepts a token with the configured issuer and audience', async () => {
    const v = await createTokenVerifier(cfg)
    assert.equal((await v.verify(await sign(secretKey(), { sub: BOX }, good))).box, BOX)
  })
  it('rejects an expired token', async () => {
    const v = await createTokenVerifier(cfg)
    await assertRejected(v.verify(await sign(secretKey(), { sub: BOX }, { ...good, exp: -120 })), 'expired')
  })
  it('tolerates clock skew within clockToleranceSeconds', async () => {
    const v = await createTokenVerifier(cfg)
    assert.equal((await v.verify(await sign(secretKey(), { sub: BOX }, { ...good, exp: -10, nbf: 10 }))).box, BOX)
  })
  it('rejects a token that is not yet valid', async () => {
    const v = await createTokenVerifier(cfg)
    await assertRejected(v.verify(await sign(secretKey(), { sub: BOX }, { ...good, nbf: 120 })), 'not yet valid')
  })
  it('rejects a token without expiry', async () => {
    const v = await createTokenVerifier(cfg)
    await assertRejected(v.verify(await sign(secretKey(), { sub: BOX }, { ...good, exp: null })), 'no valid expiry')
  })
  it('rejects the wrong issuer', async () => {
    const v = await createTokenVerifier(cfg)
    await assertRejected(v.verify(await sign(secretKey(), { sub: BOX }, { ...good, iss: 'https://evil.test' })), 'wrong issuer')
  })
  it('rejects the wrong audience', async () => {
    const v = await createTokenVerifier(cfg)
    await assertRejected(v.verify(await sign(secretKey(), { sub: BOX }, { ...good, aud: 'someone-else' })), 'wrong audience')
  })
  it('rejects a token without issuer when one is configured', async () => {
    const v = await createTokenVerifier(cfg)
    await assertRejected(v.verify(await sign(secretKey(), { sub: BOX }, { alg: 'HS256', aud: 'nms-gateway' })), 'wrong issuer')
  })
})

describe('unusable tokens', () => {
  it('rejects an unsigned token (alg none) with every key source', async () => {
    const t = await tempDir()
    try {
      const rsa = await makeKey('RS256', 'k1')
      const sources = [
        authConfig({ hs256Secret: SECRET }),
        authConfig({ jwksFile: await t.file('jwks.json', JSON.stringify({ keys: [rsa.publicJwk] })) }),
        authConfig({ jwksFile: await t.file('key.pem', rsa.spki) })
      ]
      for (const cfg of sources) {
        const v = await createTokenVerifier(cfg)
        await assertRejected(v.verify(unsignedToken({ sub: BOX })), 'algorithm not allowed')
      }
    } finally {
      await t.cleanup()
    }
  })

  it('rejects garbage', async () => {
    const v = await createTokenVerifier(authConfig({ hs256Secret: SECRET }))
    const valid = await sign(secretKey(), { sub: BOX }, { alg: 'HS256' })
    const [h, p] = valid.split('.')
    const garbage = [
      '', 'abc', 'a.b.c', '...', 'eyJhbGciOiJIUzI1NiJ9', `${h}.${p}`, `${h}.${p}.${'A'.repeat(43)}.x.y`,
      `${h}.${p}.`, `${h}.eyJzdWIiOiJ0ZWw6KzEifQ.${valid.split('.')[2] ?? ''}`, 'x'.repeat(5000), '\u00e9t\u00e9.a.b'
    ]
    for (const g of garbage) await assertRejected(v.verify(g))
  })

  it('rejects a token whose payload was altered after signing', async () => {
    const v = await createTokenVerifier(authConfig({ hs256Secret: SECRET }))
    const [h, , s] = (await sign(secretKey(), { sub: BOX }, { alg: 'HS256' })).split('.')
    const forged = Buffer.from(JSON.stringify({ sub: 'tel:+15550000002', exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url')
    await assertRejected(v.verify(`${h}.${forged}.${s}`), 'bad signature')
  })
})

describe('public keys from a file', () => {
  let t: TempDir
  let rsa: KeyFixture
  let ec: KeyFixture
  let ed: KeyFixture
  before(async () => {
    t = await tempDir()
    ;[rsa, ec, ed] = await Promise.all([makeKey('RS256', 'rsa-1'), makeKey('ES256', 'ec-1'), makeKey('EdDSA', 'ed-1')])
  })
  after(async () => { await t.cleanup() })

  it('verifies RS256, ES256 and EdDSA against a JWKS file, choosing by kid', async () => {
    const file = await t.file('jwks.json', JSON.stringify({ keys: [rsa.publicJwk, ec.publicJwk, ed.publicJwk] }))
    const v = await createTokenVerifier(authConfig({ jwksFile: file }))
    for (const k of [rsa, ec, ed]) {
      const p = await v.verify(await sign(k.privateKey, { sub: BOX }, { alg: k.alg, kid: k.kid }))
      assert.equal(p.box, BOX)
    }
  })

  it('accepts a file holding one bare JWK', async () => {
    const v = await createTokenVerifier(authConfig({ jwksFile: await t.file('one.jwk', JSON.stringify(ec.publicJwk)) }))
    assert.equal((await v.verify(await sign(ec.privateKey, { sub: BOX }, { alg: 'ES256' }))).box, BOX)
  })

  it('rejects a token signed by a key not in the JWKS', async () => {
    const v = await createTokenVerifier(authConfig({ jwksFile: await t.file('rsa.json', JSON.stringify({ keys: [rsa.publicJwk] })) }))
    const stranger = await makeKey('RS256', 'rsa-1')
    await assertRejected(v.verify(await sign(stranger.privateKey, { sub: BOX }, { alg: 'RS256', kid: 'rsa-1' })), 'bad signature')
    await assertRejected(v.verify(await sign(stranger.privateKey, { sub: BOX }, { alg: 'RS256', kid: 'other' })), 'unknown key')
  })

  it('verifies RS256 and ES256 against PEM public keys', async () => {
    for (const k of [rsa, ec]) {
      const v = await createTokenVerifier(authConfig({ jwksFile: await t.file(`${k.kid}.pem`, k.spki) }))
      assert.equal((await v.verify(await sign(k.privateKey, { sub: BOX }, { alg: k.alg }))).box, BOX)
    }
  })

  it('verifies PS256 with an RSA PEM when allowed, and nothing the key type cannot serve', async () => {
    const v = await createTokenVerifier(authConfig({ jwksFile: await t.file('rsa-ps.pem', rsa.spki) }))
    assert.equal((await v.verify(await sign(await privateKeyFor(rsa, 'PS256'), { sub: BOX }, { alg: 'PS256' }))).box, BOX)
    await assertRejected(v.verify(await sign(ec.privateKey, { sub: BOX }, { alg: 'ES256' })), 'algorithm not allowed')
  })

  it('verifies ES256 against a PEM X.509 certificate', async () => {
    const keyPath = join(t.dir, 'cert-key.pem')
    const certPath = join(t.dir, 'cert.pem')
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=nms-auth-test'
    ])
    const privateKey = await importPKCS8(await readFile(keyPath, 'utf8'), 'ES256')
    const v = await createTokenVerifier(authConfig({ jwksFile: certPath }))
    assert.equal((await v.verify(await sign(privateKey, { sub: BOX }, { alg: 'ES256' }))).box, BOX)
    await assertRejected(v.verify(await sign(ec.privateKey, { sub: BOX }, { alg: 'ES256' })), 'bad signature')
  })

  it('rejects an algorithm outside the allow-list', async () => {
    const file = await t.file('rsa-only.json', JSON.stringify({ keys: [rsa.publicJwk] }))
    const v = await createTokenVerifier(authConfig({ jwksFile: file, algorithms: ['RS256'] }))
    assert.equal((await v.verify(await sign(rsa.privateKey, { sub: BOX }, { alg: 'RS256' }))).box, BOX)
    for (const alg of ['PS256', 'RS512']) {
      await assertRejected(v.verify(await sign(await privateKeyFor(rsa, alg), { sub: BOX }, { alg })), 'algorithm not allowed')
    }
  })

  it('rejects an HS256 token keyed with the RSA public key (alg confusion), even if HS256 is configured', async () => {
    const pem = await t.file('confusion.pem', rsa.spki)
    const jwks = await t.file('confusion.json', JSON.stringify({ keys: [rsa.publicJwk] }))
    const forged = await new SignJWT({ sub: BOX })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(rsa.spki))
    for (const file of [pem, jwks]) {
      const v = await createTokenVerifier(authConfig({ jwksFile: file, algorithms: ['HS256', 'RS256'] }))
      await assertRejected(v.verify(forged), 'algorithm not allowed')
    }
  })
})

describe('scopes and box claim', () => {
  const mint = async (claims: Record<string, unknown>): Promise<string> => await sign(secretKey(), claims, { alg: 'HS256' })

  it('parses the space-separated `scope` claim', async () => {
    const v = await createTokenVerifier(authConfig({ hs256Secret: SECRET }))
    const p = await v.verify(await mint({ sub: BOX, scope: 'openid  oma_rest_nms.read oma_rest_nms.subscription' }))
    assert.deepEqual([...p.omaScopes].sort(), ['read', 'subscription'])
    assert.deepEqual([...p.scopes].sort(), ['oma_rest_nms.read', 'oma_rest_nms.subscription', 'openid'])
    assert.equal(p.server, false)
  })

  it('parses `scp` as an array or a string, merged with `scope`', async () => {
    const v = await createTokenVerifier(authConfig({ hs256Secret: SECRET }))
    const a = await v.verify(await mint({ sub: BOX, scp: ['oma_rest_nms.modify', 'oma_rest_nms.all_v2'] }))
    assert.deepEqual([...a.omaScopes].sort(), ['all', 'modify'])
    const b = await v.verify(await mint({ sub: BOX, scp: 'oma_rest_nms.create', scope: 'oma_rest_nms.read' }))
    assert.deepEqual([...b.omaScopes].sort(), ['create', 'read'])
  })

  it('sees the server scope and no box on a client-credentials token', async () => {
    const v = await createTokenVerifier(authConfig({ hs256Secret: SECRET }))
    const p = await v.verify(await mint({ scope: 'nms:server' }))
    assert.equal(p.server, true)
    assert.equal(p.box, undefined)
    assert.equal(p.omaScopes.size, 0)
  })

  it('takes the box from the configured claim', async () => {
    const v = await createTokenVerifier(authConfig({ hs256Secret: SECRET, boxClaim: 'msisdn', serverScope: 'mcdata' }))
    const p = await v.verify(await mint({ sub: 'user-17', msisdn: ' tel:+15550000009 ', scope: 'mcdata' }))
    assert.equal(p.box, 'tel:+15550000009')
    assert.equal(p.subject, 'user-17')
    assert.equal(p.server, true)
  })
})
