/**
 * Scopes of a verified token. OAuth 2.0 carries them in `scope`, a space-separated string
 * (RFC 6749 section 3.3, RFC 8693 section 4.2); some authorization servers (Azure AD, Okta)
 * use `scp`, as an array or a string. Both are read and merged. Scope tokens are
 * case-sensitive (RFC 6749 section 3.3), so no case folding here.
 */
import type { OmaScope } from './types.js'

/** Prefix of the OMA NMS scope strings (nms-spec-digest.md section 0.4). */
export const OMA_SCOPE_PREFIX = 'oma_rest_nms.'

// `oma_rest_nms.all_{apiVersion}`: v1 today, later versions grant everything too.
const ALL_SCOPE = /^oma_rest_nms\.all_v\d+$/
const NAMED: ReadonlyMap<string, OmaScope> = new Map<string, OmaScope>([
  ['oma_rest_nms.read', 'read'],
  ['oma_rest_nms.modify', 'modify'],
  ['oma_rest_nms.create', 'create'],
  ['oma_rest_nms.subscription', 'subscription']
])

function split (value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((s) => s !== '')
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string').flatMap(split)
  return []
}

/** Every scope string of the claims, from `scope` and `scp`. */
export function tokenScopes (claims: Readonly<Record<string, unknown>>): Set<string> {
  return new Set([...split(claims.scope), ...split(claims.scp)])
}

/** The OMA NMS scopes among `scopes`; `oma_rest_nms.all_v<N>` becomes `all`. */
export function omaScopesOf (scopes: Iterable<string>): Set<OmaScope> {
  const out = new Set<OmaScope>()
  for (const s of scopes) {
    if (ALL_SCOPE.test(s)) out.add('all')
    const named = NAMED.get(s)
    if (named !== undefined) out.add(named)
  }
  return out
}
