/**
 * The authenticated caller (architecture.md section 7). Built by the auth plugin from a verified
 * Bearer JWT; routes only ever see this, never the token's raw claims.
 */
export type OmaScope = 'all' | 'read' | 'modify' | 'create' | 'subscription'

export interface Principal {
  /** The box named by the token's box claim (`NMS_AUTH_BOX_CLAIM`), if it has one. */
  box: string | undefined
  /** True when the token carries `NMS_AUTH_SERVER_SCOPE`: any box may be named. */
  server: boolean
  /** OMA NMS scopes present on the token; empty means no method restriction. */
  omaScopes: ReadonlySet<OmaScope>
  /** Every scope string of the token. */
  scopes: ReadonlySet<string>
  /** The compact JWT, forwarded to IMAP in `oauthbearer` mode. */
  token: string
  /** `sub` claim, for logs. */
  subject: string | undefined
}
