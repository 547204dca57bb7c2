/**
 * Authorization decisions of the NMS auth hook, as pure functions (architecture.md section 7
 * and section 10 rows 1-2; nms-spec-digest.md section 0.4).
 */
import type { OmaScope, Principal } from './types.js'
import { boxForbidden, scopeForbidden } from './auth-errors.js'
import { OMA_SCOPE_PREFIX } from './scopes.js'

/** The reserved boxId meaning "the box of the access token" (nms-spec-digest.md section 0.1). */
export const ACR_AUTH = 'acr:auth'

/**
 * A box id for comparison: trimmed, URI scheme lower-cased (RFC 3986 section 3.1: schemes are
 * case-insensitive; the rest of the URI is not).
 */
export function normalizeBoxId (boxId: string): string {
  const t = boxId.trim()
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(t)
  return m === null || m[1] === undefined ? t : `${m[1].toLowerCase()}${t.slice(m[1].length)}`
}

/**
 * The box a request may act on, or a 403 POL2003.
 *
 * - `acr:auth` is the token's own box (403 when the token names none);
 * - a server-scope token may name any box;
 * - a user token may name only its own box; another box is 403, not 404 (section 10 row 2), so
 *   a caller learns nothing it could not already guess.
 *
 * For a user token the token's spelling of the box is returned (the URL may differ in scheme
 * case or surrounding blanks); a server token gets the URL's box as given, trimmed.
 */
export function resolveBox (principal: Principal, urlBoxId: string): string {
  const requested = normalizeBoxId(urlBoxId)
  if (requested.toLowerCase() === ACR_AUTH) {
    if (principal.box === undefined) throw boxForbidden('acr:auth with a token that names no box')
    return principal.box
  }
  if (principal.server) return urlBoxId.trim()
  if (principal.box !== undefined && normalizeBoxId(principal.box) === requested) return principal.box
  throw boxForbidden('user token on another box')
}

/** The OMA scope a route needs: its declared one, else `read` for GET/HEAD and `modify` otherwise. */
export function requiredOmaScope (method: string, declared: OmaScope | undefined): OmaScope {
  if (declared !== undefined) return declared
  return method === 'GET' || method === 'HEAD' ? 'read' : 'modify'
}

/** Prefix of the Notification Channel scopes (NC TS Appendix G). */
const NC_SCOPE_PREFIX = 'oma_rest_notificationchannel.'
const NC_ALL = /^oma_rest_notificationchannel\.all_v\d+$/

/**
 * 403 POL2003 unless the token may long-poll: a token that carries Notification Channel scopes
 * needs `oma_rest_notificationchannel.all_v<N>` or `.longpoll`; one without any is not
 * restricted (the rule of section 10 row 1, applied to this API's scopes).
 */
export function assertChannelScope (principal: Principal): void {
  const nc = [...principal.scopes].filter((s) => s.startsWith(NC_SCOPE_PREFIX))
  if (nc.length === 0 || nc.some((s) => NC_ALL.test(s) || s === `${NC_SCOPE_PREFIX}longpoll`)) return
  throw scopeForbidden(`${NC_SCOPE_PREFIX}longpoll`)
}

/**
 * 403 POL2003 unless the token's OMA scopes cover `required`. A token with no OMA scope at all
 * (e.g. a client-credentials token with only the server scope) is not restricted (section 10
 * row 1); `oma_rest_nms.all_v<N>` covers everything.
 */
export function assertOmaScope (principal: Principal, required: OmaScope): void {
  const have = principal.omaScopes
  if (have.size === 0 || have.has('all') || have.has(required)) return
  throw scopeForbidden(required === 'all' ? `${OMA_SCOPE_PREFIX}all_v1` : `${OMA_SCOPE_PREFIX}${required}`)
}
