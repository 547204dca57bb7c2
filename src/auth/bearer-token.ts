/**
 * Extracts the access token from an `Authorization` header (RFC 6750 section 2.1), as deployed
 * clients actually send it (nms-client-profile.md section 1.2, check 9):
 *
 * - the scheme is matched case-insensitively (RFC 7235 section 2.1); the NMS TS examples spell
 *   it `BEARER` (nms-spec-digest.md section 0.3);
 * - AT&T clients send `Bearer PAT_<token>`: the `PAT_` prefix is dropped (a compact JWT starts
 *   with the base64url of `{"`, so it can never begin with `PAT_` itself);
 * - T-Mobile clients use the scheme `SIT` for the same token, accepted as a Bearer alias.
 */

const SCHEMES = new Set(['bearer', 'sit'])
const PAT_PREFIX = 'PAT_'

/** The token of a Bearer-like `Authorization` header; undefined when there is none to use. */
export function bearerToken (header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const m = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+(\S+)\s*$/.exec(header)
  if (m === null || m[1] === undefined || m[2] === undefined) return undefined
  if (!SCHEMES.has(m[1].toLowerCase())) return undefined
  const token = m[2].startsWith(PAT_PREFIX) ? m[2].slice(PAT_PREFIX.length) : m[2]
  return token === '' ? undefined : token
}
