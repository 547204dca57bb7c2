/**
 * Builds the ImapFlow options of one pooled session from the configuration: transport security,
 * timeouts and the login of the configured mode (architecture.md section 7).
 */
import type { Logger } from 'pino'
import type { ImapFlowOptions } from 'imapflow'
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'

type ImapConfig = Readonly<Config['imap']>

/** TLS/STARTTLS settings shared by sessions and the readiness ping. */
export function transportOptions (imap: ImapConfig): Pick<ImapFlowOptions, 'host' | 'port' | 'secure' | 'doSTARTTLS' | 'tls'> {
  return {
    host: imap.host,
    port: imap.port,
    // `tls`: implicit TLS (RFC 8314); `starttls`: require the upgrade (RFC 3501 section 6.2.1),
    // never fall back to cleartext; `none`: cleartext, for loopback and tests only.
    secure: imap.security === 'tls',
    doSTARTTLS: imap.security === 'starttls',
    tls: { rejectUnauthorized: imap.tlsRejectUnauthorized }
  }
}

/** The `auth` option for `imapUser` in the configured login mode. */
export function authOptions (imap: ImapConfig, imapUser: string, accessToken: string | undefined): NonNullable<ImapFlowOptions['auth']> {
  switch (imap.auth) {
    case 'authzid':
      // RFC 4616: authcid = master user, authzid = the box's user (Dovecot master users, Cyrus proxy users).
      return { user: requireMaster(imap.masterUser), pass: requireMaster(imap.masterPassword), authzid: imapUser, loginMethod: 'AUTH=PLAIN' }
    case 'separator':
      // Dovecot's `auth_master_user_separator`: LOGIN "user*master" with the master password.
      return { user: `${imapUser}${imap.masterSeparator}${requireMaster(imap.masterUser)}`, pass: requireMaster(imap.masterPassword), loginMethod: 'LOGIN' }
    case 'oauthbearer':
      // RFC 7628 OAUTHBEARER with the caller's own token; the IMAP server validates it again.
      if (accessToken === undefined || accessToken === '') {
        throw new GatewayError('GW_ERR_AUTH_MISSING', {
          variables: ['missing'],
          headers: { 'WWW-Authenticate': 'Bearer realm="nms"' },
          detail: 'oauthbearer mode needs the caller\'s access token'
        })
      }
      return { user: imapUser, accessToken }
  }
}

function requireMaster (v: string | undefined): string {
  // load.ts should already refuse this configuration; guard the type anyway.
  if (v === undefined) throw new GatewayError('GW_ERR_INTERNAL', { variables: ['imap-config'], detail: 'NMS_IMAP_MASTER_USER / NMS_IMAP_MASTER_PASSWORD are required for this NMS_IMAP_AUTH mode' })
  return v
}

/**
 * imapflow logs its protocol chatter at info; the gateway wants it at debug only, so every
 * level is forwarded to `logger.debug` (credentials are masked by imapflow and redacted by pino).
 */
export function imapflowLogger (logger: Logger): ImapFlowOptions['logger'] {
  if (!logger.isLevelEnabled('debug')) return false
  const child = logger.child({ component: 'imapflow' })
  const fwd = (obj: unknown): void => { child.debug(obj as object) }
  return { trace: fwd, debug: fwd, info: fwd, warn: fwd, error: fwd, fatal: fwd }
}

/** Full options of one session for `imapUser`. */
export function sessionOptions (
  config: Readonly<Config>, logger: Logger, imapUser: string, accessToken: string | undefined
): ImapFlowOptions {
  const imap = config.imap
  const connectMs = imap.connectTimeoutSeconds * 1000
  return {
    ...transportOptions(imap),
    auth: authOptions(imap, imapUser, accessToken),
    logger: imapflowLogger(logger),
    connectionTimeout: connectMs,
    greetingTimeout: connectMs,
    // Pooled sessions sit silent between commands (no auto-IDLE); the socket watchdog must
    // outlive the pool's idle eviction, and stuck commands are bounded by the pool's own
    // command timeout instead.
    socketTimeout: (Math.max(imap.pool.idleSeconds, imap.commandTimeoutSeconds) + 30) * 1000,
    disableAutoIdle: true,
    // COMPRESS=DEFLATE (RFC 4978) costs a round trip and CPU per session; the gateway's traffic
    // is small command/response pairs on a nearby server.
    disableCompression: true,
    clientInfo: { name: 'nms-imap-gateway' },
    // RFC 7162 section 3.2.3: ENABLE QRESYNC, so a UID FETCH with CHANGEDSINCE also names the
    // UIDs expunged since (VANISHED), which change tracking needs (src/imap/change-port.ts).
    qresync: true,
    maxLockHoldTime: false
  }
}
