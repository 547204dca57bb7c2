/** Key files that must stop the gateway at startup instead of being half-used. */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { createTokenVerifier } from '../../../src/auth/verify-token.js'
import { ConfigError } from '../../../src/config/load.js'
import { authConfig, makeKey, type KeyFixture, type TempDir, tempDir } from './fixtures.js'

async function assertStartupRefused (file: string, pattern: RegExp, algorithms?: string[]): Promise<void> {
  const cfg = authConfig({ jwksFile: file, ...(algorithms === undefined ? {} : { algorithms }) })
  await assert.rejects(createTokenVerifier(cfg), (err: unknown) => {
    assert.ok(err instanceof ConfigError)
    assert.match(err.message, pattern)
    assert.ok(!err.message.includes('BEGIN'), 'no key material in the message')
    return true
  })
}

describe('key file refusals', () => {
  let t: TempDir
  let rsa: KeyFixture
  let ec: KeyFixture
  before(async () => {
    t = await tempDir()
    ;[rsa, ec] = await Promise.all([makeKey('RS256', 'r'), makeKey('ES256', 'e')])
  })
  after(async () => { await t.cleanup() })

  it('refuses a missing file', async () => {
    await assertStartupRefused(join(t.dir, 'nope.json'), /cannot be read \(ENOENT\)/)
  })
  it('refuses a private key PEM', async () => {
    await assertStartupRefused(await t.file('private.pem', rsa.pkcs8), /PRIVATE KEY.*not accepted/)
  })
  it('refuses a JWKS with a private key', async () => {
    await assertStartupRefused(await t.file('private.json', JSON.stringify({ keys: [{ ...rsa.publicJwk, d: 'AQAB' }] })), /public keys only/)
  })
  it('refuses a JWKS with a symmetric key', async () => {
    await assertStartupRefused(await t.file('oct.json', JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] })), /public keys only/)
  })
  it('refuses an empty key set, broken JSON and text that is neither', async () => {
    await assertStartupRefused(await t.file('empty.json', '{"keys": []}'), /no keys/)
    await assertStartupRefused(await t.file('broken.json', '{"keys": ['), /not valid JSON/)
    await assertStartupRefused(await t.file('text.txt', 'hello'), /neither a JWK set nor a PEM/)
  })
  it('refuses a PEM key that fits none of the allowed algorithms', async () => {
    await assertStartupRefused(await t.file('ec.pem', ec.spki), /fits none of the allowed algorithms/, ['RS256', 'PS256'])
  })
  it('refuses an allow-list with only symmetric algorithms for a public key', async () => {
    await assertStartupRefused(await t.file('rsa.pem', rsa.spki), /no asymmetric algorithm/, ['HS256'])
  })
})
