/**
 * Classifies what imapflow throws into GatewayErrors at the edge of src/imap
 * (style-and-layout.md section 5, rule 14). Pure: no I/O, no clock.
 *
 * imapflow error shapes (2.1.2): a tagged NO/BAD rejects with `responseStatus` ('NO' | 'BAD'),
 * `responseText` and, once enhanced, `serverResponseCode` (the RFC 5530 response code);
 * authentication failures carry `authenticationFailed: true`; transport failures carry Node's
 * `code` (ECONNREFUSED, ...) or one of imapflow's (`NoConnection`, `GREETING_TIMEOUT`, ...).
 */
import { GatewayError, isGatewayError } from '../errors/gateway-error.js'
import { retryAfterSeconds } from './backoff.js'

export type LoginMode = 'authzid' | 'separator' | 'oauthbearer'

export interface ClassifyContext {
  /** The configured login mode: a refused OAUTHBEARER login is the caller's token's fault (401). */
  mode: LoginMode
  /** Box the operation ran for; named in the POL2001 variables. */
  boxId?: string | undefined
  /** Suggested wait before a retry, for 503 answers (default 1 s). */
  retryAfterMs?: number | undefined
}

interface ImapflowErrorShape {
  message?: unknown
  code?: unknown
  authenticationFailed?: unknown
  responseStatus?: unknown
  responseText?: unknown
  serverResponseCode?: unknown
  response?: unknown
}

/** Transport and timeout codes: the server is (momentarily) unreachable, so 503 + Retry-After. */
const UNAVAILABLE_CODES = new Set([
  // Node socket / DNS layer
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH',
  'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE',
  // imapflow: the connection is gone or never came up
  'NoConnection', 'EConnectionClosed', 'StateLogout', 'ClosedAfterConnectText', 'ClosedAfterConnectTLS',
  'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEOUT', 'ETHROTTLE', 'LockTimeout',
  // the pool's own command timeout
  'COMMAND_TIMEOUT'
])

/**
 * RFC 5530 response codes. AUTHENTICATIONFAILED / AUTHORIZATIONFAILED: the login itself was
 * refused; UNAVAILABLE / SERVERBUG-free transient ones: the back end is down, so 503.
 */
const LOGIN_CODES = new Set(['AUTHENTICATIONFAILED', 'AUTHORIZATIONFAILED', 'EXPIRED', 'PRIVACYREQUIRED'])
const TRANSIENT_CODES = new Set(['UNAVAILABLE', 'INUSE', 'LIMIT'])
const NOT_FOUND_CODES = new Set(['NONEXISTENT', 'TRYCREATE'])

function str (v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined
}

/** `[CODE] text` of a NO/BAD answer, for the log (`detail` is never sent to clients). */
export function responseDetail (err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ImapflowErrorShape
  const code = str(e.serverResponseCode)
  const text = str(e.responseText) ?? str(e.response) ?? str(e.message) ?? String(err)
  const status = str(e.responseStatus)
  return [status, code === undefined ? undefined : `[${code}]`, text].filter((p) => p !== undefined).join(' ')
}

/** The RFC 5530 response code of a NO/BAD answer, upper-cased, if the server sent one. */
export function responseCode (err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  return str((err as ImapflowErrorShape).serverResponseCode)?.toUpperCase()
}

/** True when the error means the IMAP server could not be reached or the session broke. */
export function isUnavailableError (err: unknown): boolean {
  if (isGatewayError(err)) return err.code === 'GW_ERR_IMAP_UNAVAILABLE'
  if (typeof err !== 'object' || err === null) return false
  const e = err as ImapflowErrorShape
  const code = str(e.code)
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) return true
  const rc = responseCode(err)
  if (rc !== undefined && TRANSIENT_CODES.has(rc)) return true
  // Errors raised before imapflow stamps a code (socket closed during the greeting).
  const message = str(e.message) ?? ''
  return e.responseStatus === undefined &&
    /socket (closed|timeout)|connection (not available|closed)|unexpected close/i.test(message)
}

/** True when the IMAP server refused the login. */
export function isLoginRefusedError (err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const e = err as ImapflowErrorShape
  if (e.authenticationFailed === true) return true
  const rc = responseCode(err)
  return rc !== undefined && LOGIN_CODES.has(rc)
}

/** Maps any error of an IMAP operation to the GatewayError the client should see. */
export function classifyImapError (err: unknown, ctx: ClassifyContext): GatewayError {
  if (isGatewayError(err)) return err
  const detail = responseDetail(err)
  if (isLoginRefusedError(err)) {
    if (ctx.mode === 'oauthbearer') {
      // RFC 6750 section 3.1: the bearer token was refused by the resource (the IMAP server).
      return new GatewayError('GW_ERR_AUTH_MISSING', {
        variables: ['rejected by the message store'],
        headers: { 'WWW-Authenticate': 'Bearer realm="nms", error="invalid_token"' },
        detail,
        cause: err
      })
    }
    return new GatewayError('GW_ERR_IMAP_LOGIN_REFUSED', { variables: [ctx.boxId ?? 'IMAP'], detail, cause: err })
  }
  if (isUnavailableError(err)) {
    return new GatewayError('GW_ERR_IMAP_UNAVAILABLE', {
      variables: ['IMAP'],
      headers: { 'Retry-After': retryAfterSeconds(ctx.retryAfterMs ?? 1000) },
      detail,
      cause: err
    })
  }
  const rc = responseCode(err)
  const code = typeof err === 'object' && err !== null ? str((err as ImapflowErrorShape).code) : undefined
  if ((rc !== undefined && NOT_FOUND_CODES.has(rc)) || code === 'NotFound') {
    return new GatewayError('GW_ERR_NOT_FOUND', { variables: ['folder'], detail, cause: err })
  }
  const status = typeof err === 'object' && err !== null ? str((err as ImapflowErrorShape).responseStatus) : undefined
  return new GatewayError('GW_ERR_IMAP_FAILED', { variables: [`IMAP ${rc ?? status ?? 'error'}`], detail, cause: err })
}
