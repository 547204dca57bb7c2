/**
 * The errors of authentication and authorization, with the RFC 6750 section 3 challenges that
 * go with them. 401 means "get a new token and retry" to deployed clients
 * (nms-client-profile.md check 43), so it is used only for missing or unverifiable tokens; every
 * "valid token, not allowed" case is 403 POL2003 (architecture.md section 10, row 2).
 */
import { GatewayError } from '../errors/gateway-error.js'

/** The protection space named in every challenge. */
export const AUTH_REALM = 'nms'

/**
 * 401 for a request without a usable `Authorization: Bearer` header. RFC 6750 section 3.1: a
 * request that carries no credentials gets a challenge without an error code.
 */
export function tokenMissing (detail?: string): GatewayError {
  return new GatewayError('GW_ERR_AUTH_MISSING', {
    variables: ['missing'],
    headers: { 'WWW-Authenticate': `Bearer realm="${AUTH_REALM}"` },
    ...(detail === undefined ? {} : { detail })
  })
}

/**
 * 401 for a token that fails verification. `reason` is a short fixed phrase (see
 * failure-reason.ts) that goes to the client in `variables` and in `error_description`;
 * `detail` (the library's message) goes to the log only. Neither ever contains key material.
 */
export function tokenInvalid (reason: string, detail?: string, cause?: unknown): GatewayError {
  // error_description allows %x20-21 / %x23-5B / %x5D-7E only (RFC 6750 section 3).
  const description = reason.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '')
  return new GatewayError('GW_ERR_AUTH_MISSING', {
    variables: [reason],
    headers: {
      'WWW-Authenticate': `Bearer realm="${AUTH_REALM}", error="invalid_token", error_description="${description}"`
    },
    ...(detail === undefined ? {} : { detail }),
    ...(cause === undefined ? {} : { cause })
  })
}

/** 403 POL2003 for a valid token naming a box it may not touch. */
export function boxForbidden (detail: string): GatewayError {
  return new GatewayError('GW_ERR_AUTH_FORBIDDEN', { variables: ['boxId'], detail })
}

/**
 * 403 POL2003 for a token whose OMA scopes do not cover the route (nms-spec-digest.md section
 * 0.4), with the RFC 6750 section 3.1 `insufficient_scope` challenge naming the scope needed.
 */
export function scopeForbidden (scope: string): GatewayError {
  return new GatewayError('GW_ERR_AUTH_FORBIDDEN', {
    variables: [scope],
    headers: { 'WWW-Authenticate': `Bearer realm="${AUTH_REALM}", error="insufficient_scope", scope="${scope}"` },
    detail: `token lacks scope ${scope}`
  })
}
