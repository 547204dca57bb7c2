/**
 * Turns a verification failure into a short fixed phrase for the client. The phrase names what
 * was wrong with the token (so an operator can tell an expired token from a misconfigured
 * audience) without echoing claims, headers or key material back.
 */

/** The reason given when the key set itself could not be fetched. */
export const KEY_SET_UNAVAILABLE = 'key set unavailable'

/**
 * Raised when the key set itself could not be had (JWKS URL down, slow, not JSON, broken key),
 * so the failure is reported as such and not blamed on the token.
 */
export class KeySetUnavailable extends Error {
  constructor (cause: unknown) {
    super(`${KEY_SET_UNAVAILABLE}: ${cause instanceof Error ? cause.message : String(cause)}`)
    this.name = 'KeySetUnavailable'
  }
}

function field (err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[name] : undefined
}

const BY_CLAIM: Readonly<Record<string, string>> = {
  nbf: 'not yet valid',
  iss: 'wrong issuer',
  aud: 'wrong audience',
  exp: 'no valid expiry',
  iat: 'bad issued-at',
  typ: 'wrong type'
}

const BY_CODE: Readonly<Record<string, string>> = {
  ERR_JWT_EXPIRED: 'expired',
  ERR_JOSE_ALG_NOT_ALLOWED: 'algorithm not allowed',
  ERR_JOSE_NOT_SUPPORTED: 'algorithm not allowed',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'bad signature',
  ERR_JWKS_NO_MATCHING_KEY: 'unknown key',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'ambiguous key',
  ERR_JWKS_TIMEOUT: KEY_SET_UNAVAILABLE,
  ERR_JWKS_INVALID: KEY_SET_UNAVAILABLE,
  ERR_JWS_INVALID: 'malformed',
  ERR_JWT_INVALID: 'malformed'
}

/**
 * The client-facing reason for a jose error: `expired`, `not yet valid`, `wrong issuer`,
 * `wrong audience`, `algorithm not allowed`, `bad signature`, `unknown key`, `malformed`, ...;
 * `invalid` for anything unrecognised.
 */
export function failureReason (err: unknown): string {
  const code = field(err, 'code')
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    const claim = field(err, 'claim')
    return (typeof claim === 'string' ? BY_CLAIM[claim] : undefined) ?? 'claims rejected'
  }
  if (typeof code === 'string') {
    const reason = BY_CODE[code]
    if (reason !== undefined) return reason
  }
  if (err instanceof KeySetUnavailable) return KEY_SET_UNAVAILABLE
  return 'invalid'
}
