/**
 * Builds the Principal from the claims of a verified token (architecture.md section 7): the box
 * claim names the user's box, the server scope lifts the box restriction, and the OMA scopes
 * restrict methods.
 */
import type { Config } from '../config/schema.js'
import type { Principal } from './types.js'
import { omaScopesOf, tokenScopes } from './scopes.js'

function nonEmptyString (v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined
  const t = v.trim()
  return t === '' ? undefined : t
}

/** The Principal for verified `claims`; `token` is the compact JWT they came from. */
export function principalFromClaims (
  claims: Readonly<Record<string, unknown>>,
  token: string,
  auth: Pick<Readonly<Config['auth']>, 'boxClaim' | 'serverScope'>
): Principal {
  const scopes = tokenScopes(claims)
  return {
    box: nonEmptyString(claims[auth.boxClaim]),
    server: scopes.has(auth.serverScope),
    omaScopes: omaScopesOf(scopes),
    scopes,
    token,
    subject: nonEmptyString(claims.sub)
  }
}
