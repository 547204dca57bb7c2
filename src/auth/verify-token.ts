/**
 * Bearer token verification with jose (architecture.md section 7, RFC 8725 best practices):
 * signature against the configured key source and its algorithm allow-list (`none` is never
 * accepted: jose refuses unsecured JWTs in jwtVerify, and the allow-lists cannot name it), `exp`
 * required, `exp` / `nbf` checked with the configured clock tolerance, `iss` and `aud` when
 * configured. Every token failure is a 401 GW_ERR_AUTH_MISSING with an RFC 6750 challenge; a key
 * set that cannot be fetched is a 503 GW_ERR_AUTH_KEYS_UNAVAILABLE.
 */
import { jwtVerify, type JWTVerifyOptions } from 'jose'
import type { Config } from '../config/schema.js'
import type { Principal } from './types.js'
import { tokenInvalid } from './auth-errors.js'
import { failureReason, KEY_SET_UNAVAILABLE } from './failure-reason.js'
import { GatewayError } from '../errors/gateway-error.js'
import { createKeySource, type JwksFetchOptions } from './key-source.js'
import { principalFromClaims } from './principal.js'

/** Verifies compact JWTs; one per gateway, built at startup. */
export interface TokenVerifier {
  /**
   * The Principal of a valid token.
   * @throws GatewayError GW_ERR_AUTH_MISSING (401, `WWW-Authenticate: Bearer ... invalid_token`)
   */
  verify(token: string): Promise<Principal>
}

/** Knobs that are not operator configuration (tests shorten the JWKS timings). */
export interface TokenVerifierOptions {
  jwks?: JwksFetchOptions
}

/**
 * Builds the verifier for `auth`. Local key files are read here, so a bad file fails startup;
 * a JWKS URL is fetched lazily, on the first token.
 * @throws ConfigError when the key source is unusable
 */
export async function createTokenVerifier (
  auth: Readonly<Config['auth']>,
  opts: TokenVerifierOptions = {}
): Promise<TokenVerifier> {
  const source = await createKeySource(auth, opts.jwks)
  const options: JWTVerifyOptions = {
    algorithms: [...source.algorithms],
    clockTolerance: auth.clockToleranceSeconds,
    // A token without an expiry would be valid forever (RFC 9068 section 2.2 requires `exp`).
    requiredClaims: ['exp'],
    ...(auth.issuer === undefined ? {} : { issuer: auth.issuer }),
    ...(auth.audience === undefined ? {} : { audience: auth.audience })
  }
  return {
    async verify (token) {
      let claims: Record<string, unknown>
      try {
        claims = (await jwtVerify(token, source.key, options)).payload
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err)
        if (failureReason(err) === KEY_SET_UNAVAILABLE) {
          // The key set could not be had: our failure, not the token's. 503 + Retry-After keeps
          // deployed clients retrying instead of re-authenticating (client profile check 43).
          throw new GatewayError('GW_ERR_AUTH_KEYS_UNAVAILABLE', { variables: ['token key set'], headers: { 'Retry-After': '5' }, detail, cause: err })
        }
        throw tokenInvalid(failureReason(err), detail)
      }
      return principalFromClaims(claims, token, auth)
    }
  }
}
