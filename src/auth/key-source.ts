/**
 * Where verification keys come from (architecture.md section 7): exactly one of a JWKS URL, a
 * local JWKS / PEM file, or an HS256 shared secret (the configuration loader enforces "exactly
 * one"). Each source comes with its own algorithm allow-list, so a token can only ever be
 * checked with the kind of key it was meant for: the secret verifies HS256 and nothing else, and
 * public keys never verify an HMAC algorithm (the RFC 8725 section 2.1 "alg confusion" attack,
 * where an HS256 token is "verified" with the bytes of an RSA public key as the secret).
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose'
import type { Config } from '../config/schema.js'
import { ConfigError } from '../config/load.js'
import { KeySetUnavailable } from './failure-reason.js'
import { keySourceFromFile } from './key-file.js'
import type { KeySource } from './verification-key.js'

/** Fetch policy of a remote JWKS; defaults are jose's (5 s, 30 s, 10 min). */
export interface JwksFetchOptions {
  /** Abort a JWKS request after this long. */
  timeoutMs?: number
  /** After a fetch, an unknown `kid` triggers no new fetch for this long (protects the IdP). */
  cooldownMs?: number
  /** Keys older than this are refetched before use. */
  cacheMaxAgeMs?: number
}

/** Errors of the key selection itself: the token's fault, not the key set's. */
const TOKEN_FAULTS = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED'
])

/**
 * The configured algorithms minus every symmetric one and `none`: what a public key may verify.
 * @throws ConfigError when nothing is left
 */
export function asymmetricAlgorithms (configured: readonly string[]): string[] {
  const out = configured.filter((a) => !/^HS\d+$/i.test(a) && a.toLowerCase() !== 'none')
  if (out.length === 0) {
    throw new ConfigError(['auth.algorithms (NMS_AUTH_ALGORITHMS): no asymmetric algorithm left for the JWKS / PEM key'])
  }
  return out
}

function remoteKeySource (url: string, algorithms: string[], fetch: JwksFetchOptions): KeySource {
  // Cached; an unknown kid refetches (key rotation) at most once per cooldown.
  const jwks = createRemoteJWKSet(new URL(url), {
    timeoutDuration: fetch.timeoutMs ?? 5000,
    cooldownDuration: fetch.cooldownMs ?? 30_000,
    cacheMaxAge: fetch.cacheMaxAgeMs ?? 600_000
  })
  const key: JWTVerifyGetKey = async (header, token) => {
    try {
      return await jwks(header, token)
    } catch (err) {
      const code = (err as { code?: unknown }).code
      if (typeof code === 'string' && TOKEN_FAULTS.has(code)) throw err
      throw new KeySetUnavailable(err)
    }
  }
  return { key, algorithms }
}

/** Builds the key source named by the configuration. */
export async function createKeySource (auth: Readonly<Config['auth']>, fetch: JwksFetchOptions = {}): Promise<KeySource> {
  if (auth.hs256Secret !== undefined) {
    return { key: new TextEncoder().encode(auth.hs256Secret), algorithms: ['HS256'] }
  }
  if (auth.jwksUrl !== undefined) return remoteKeySource(auth.jwksUrl, asymmetricAlgorithms(auth.algorithms), fetch)
  if (auth.jwksFile !== undefined) return await keySourceFromFile(auth.jwksFile, asymmetricAlgorithms(auth.algorithms))
  throw new ConfigError(['auth (NMS_AUTH_JWKS_URL, NMS_AUTH_JWKS_FILE, NMS_AUTH_HS256_SECRET): no key source configured'])
}
