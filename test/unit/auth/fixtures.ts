/**
 * Key and token fixtures for the auth unit tests. Keys are generated per run (nothing secret is
 * checked in); temp files live in one directory removed by `cleanup()`.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  SignJWT, base64url, exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, type CryptoKey, type JWK
} from 'jose'
import type { Config } from '../../../src/config/schema.js'
import { isGatewayError } from '../../../src/errors/gateway-error.js'

export const SECRET = 'a-test-secret-of-at-least-32-characters!'
export const DEFAULT_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']

export interface KeyFixture {
  alg: string
  kid: string
  privateKey: CryptoKey
  publicJwk: JWK
  spki: string
  pkcs8: string
}

export async function makeKey (alg: string, kid: string): Promise<KeyFixture> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  return {
    alg,
    kid,
    privateKey,
    publicJwk: { ...await exportJWK(publicKey), kid },
    spki: await exportSPKI(publicKey),
    pkcs8: await exportPKCS8(privateKey)
  }
}

/** The fixture's private key for another algorithm of the same family (RS256 key -> PS256). */
export async function privateKeyFor (k: KeyFixture, alg: string): Promise<CryptoKey> {
  return await importPKCS8(k.pkcs8, alg)
}

/** Verifier configuration with the gateway defaults; `over` picks the key source. */
export function authConfig (over: Partial<Config['auth']>): Config['auth'] {
  return { boxClaim: 'sub', serverScope: 'nms:server', algorithms: DEFAULT_ALGS, clockToleranceSeconds: 30, ...over }
}

export interface SignOptions {
  alg: string
  kid?: string
  /** Seconds from now; `null` leaves `exp` out. Default +300. */
  exp?: number | null
  /** Seconds from now. */
  nbf?: number
  iss?: string
  aud?: string
}

const now = (): number => Math.floor(Date.now() / 1000)

export async function sign (
  key: CryptoKey | Uint8Array, claims: Record<string, unknown>, o: SignOptions
): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: o.alg, ...(o.kid === undefined ? {} : { kid: o.kid }) })
    .setIssuedAt()
  if (o.exp !== null) jwt.setExpirationTime(now() + (o.exp ?? 300))
  if (o.nbf !== undefined) jwt.setNotBefore(now() + o.nbf)
  if (o.iss !== undefined) jwt.setIssuer(o.iss)
  if (o.aud !== undefined) jwt.setAudience(o.aud)
  return await jwt.sign(key)
}

export function secretKey (secret = SECRET): Uint8Array {
  return new TextEncoder().encode(secret)
}

/** An unsecured JWT (`alg: none`, empty signature: RFC 7519 section 6). */
export function unsignedToken (claims: Record<string, unknown>): string {
  const part = (o: unknown): string => base64url.encode(JSON.stringify(o))
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ exp: now() + 300, ...claims })}.`
}

export interface TempDir {
  dir: string
  file(name: string, content: string): Promise<string>
  cleanup(): Promise<void>
}

export async function tempDir (): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), 'nms-auth-test-'))
  return {
    dir,
    async file (name, content) {
      const path = join(dir, name)
      await writeFile(path, content)
      return path
    },
    async cleanup () { await rm(dir, { recursive: true, force: true }) }
  }
}

/** Asserts a 401 GW_ERR_AUTH_MISSING with an `invalid_token` challenge and, if given, the reason. */
export async function assertRejected (p: Promise<unknown>, reason?: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isGatewayError(err), `expected a GatewayError, got ${String(err)}`)
    assert.equal(err.code, 'GW_ERR_AUTH_MISSING')
    assert.equal(err.statusCode, 401)
    assert.match(err.headers['WWW-Authenticate'] ?? '', /^Bearer realm="nms", error="invalid_token", error_description="[^"]*"$/)
    if (reason !== undefined) assert.deepEqual(err.variables, [reason])
    return true
  })
}
