/**
 * The environment variables of the operator contract (architecture.md section 9), each mapped
 * to its place in the configuration object. README's configuration table is checked against
 * this list by test/golden/config-doc.test.ts.
 */
export type EnvKind = 'string' | 'integer' | 'boolean' | 'list'

export interface EnvVar {
  /** Variable name. */
  readonly name: string
  /** Dotted path in the configuration object. */
  readonly path: string
  readonly kind: EnvKind
  /** Secret values may also be read from the file named by `<name>_FILE`. */
  readonly secret?: boolean
  /** Text for the README table. */
  readonly description: string
  /** Default as shown in the README (`none` when unset). */
  readonly defaultText: string
}

export const ENV_VARS: readonly EnvVar[] = [
  { name: 'NMS_HTTP_HOST', path: 'http.host', kind: 'string', description: 'listen address', defaultText: '127.0.0.1' },
  { name: 'NMS_HTTP_PORT', path: 'http.port', kind: 'integer', description: 'listen port', defaultText: '8080' },
  { name: 'NMS_PUBLIC_URL', path: 'http.publicUrl', kind: 'string', description: 'absolute base used in every URL the gateway returns', defaultText: 'http://{host}:{port}' },
  { name: 'NMS_STORE_NAME', path: 'nms.storeName', kind: 'string', description: 'the storeName segment served', defaultText: 'base' },
  { name: 'NMS_IMAP_HOST', path: 'imap.host', kind: 'string', description: 'IMAP server host', defaultText: '127.0.0.1' },
  { name: 'NMS_IMAP_PORT', path: 'imap.port', kind: 'integer', description: 'IMAP server port', defaultText: '143' },
  { name: 'NMS_IMAP_SECURITY', path: 'imap.security', kind: 'string', description: '`tls`, `starttls` or `none`', defaultText: 'starttls' },
  { name: 'NMS_IMAP_TLS_REJECT_UNAUTHORIZED', path: 'imap.tlsRejectUnauthorized', kind: 'boolean', description: 'verify the IMAP server certificate', defaultText: 'true' },
  { name: 'NMS_IMAP_AUTH', path: 'imap.auth', kind: 'string', description: '`authzid` (SASL PLAIN, master impersonates user), `separator` (`user*master` login), `oauthbearer` (forward the caller\'s token)', defaultText: 'authzid' },
  { name: 'NMS_IMAP_MASTER_USER', path: 'imap.masterUser', kind: 'string', description: 'master user for `authzid`/`separator`', defaultText: 'none' },
  { name: 'NMS_IMAP_MASTER_PASSWORD', path: 'imap.masterPassword', kind: 'string', secret: true, description: 'master password for `authzid`/`separator` (or `NMS_IMAP_MASTER_PASSWORD_FILE`)', defaultText: 'none' },
  { name: 'NMS_IMAP_USER_TEMPLATE', path: 'imap.userTemplate', kind: 'string', description: 'boxId to IMAP user name; `{user}` = boxId without its URI scheme, `{boxId}` = raw', defaultText: '{user}' },
  { name: 'NMS_REDIS_URL', path: 'redis.url', kind: 'string', secret: true, description: 'Redis; when unset an in-process store serves a single instance (restart tokens and subscriptions do not survive a restart)', defaultText: 'unset' },
  { name: 'NMS_AUTH_JWKS_URL', path: 'auth.jwksUrl', kind: 'string', description: 'JWKS URL for token verification (cached, refreshed on unknown `kid`)', defaultText: 'none' },
  { name: 'NMS_AUTH_JWKS_FILE', path: 'auth.jwksFile', kind: 'string', description: 'local JWKS (JSON) or PEM public key file', defaultText: 'none' },
  { name: 'NMS_AUTH_HS256_SECRET', path: 'auth.hs256Secret', kind: 'string', secret: true, description: 'HS256 shared secret (development; at least 32 characters)', defaultText: 'none' },
  { name: 'NMS_AUTH_ISSUER', path: 'auth.issuer', kind: 'string', description: 'required `iss` when set', defaultText: 'unset' },
  { name: 'NMS_AUTH_AUDIENCE', path: 'auth.audience', kind: 'string', description: 'required `aud` when set', defaultText: 'unset' },
  { name: 'NMS_AUTH_BOX_CLAIM', path: 'auth.boxClaim', kind: 'string', description: 'claim naming the user\'s box', defaultText: 'sub' },
  { name: 'NMS_AUTH_SERVER_SCOPE', path: 'auth.serverScope', kind: 'string', description: 'scope that grants access to every box', defaultText: 'nms:server' },
  { name: 'NMS_AUTH_ALGORITHMS', path: 'auth.algorithms', kind: 'list', description: 'comma-separated JWS algorithm allow-list (`none` is never accepted; HS256 only with the HS256 secret)', defaultText: 'RS256,…,EdDSA' },
  { name: 'NMS_CALLBACK_ALLOW_PRIVATE', path: 'callbacks.allowPrivate', kind: 'boolean', description: 'allow callbacks to loopback/private addresses (tests, labs)', defaultText: 'false' },
  { name: 'NMS_LOG_LEVEL', path: 'log.level', kind: 'string', description: 'pino level', defaultText: 'info' },
  { name: 'NMS_WATCH_SWEEP_SECONDS', path: 'watch.sweepSeconds', kind: 'integer', description: 'interval of the all-folders HIGHESTMODSEQ sweep for watched boxes', defaultText: '5' },
  { name: 'NMS_NC_HOLD_SECONDS', path: 'notificationChannel.holdSeconds', kind: 'integer', description: 'how long a long poll is held before answering `{"notificationList": []}`', defaultText: '30' },
  { name: 'NMS_MAX_BODY_BYTES', path: 'http.maxBodyBytes', kind: 'integer', description: 'largest accepted request body (413 beyond)', defaultText: '26214400' },
  { name: 'NMS_TOKEN_RETENTION_SECONDS', path: 'tokens.retentionSeconds', kind: 'integer', description: 'how long restart tokens and tombstones stay replayable', defaultText: '2592000' },
  { name: 'NMS_TOKEN_SECRET', path: 'tokens.secret', kind: 'string', secret: true, description: 'key that protects cursors and restart tokens; when unset one is generated and kept in Redis (shared by all instances)', defaultText: 'generated' },
  { name: 'NMS_LEASE_SECONDS', path: 'lease.seconds', kind: 'integer', description: 'lease time for box watchers and subscription delivery; another instance takes over after it', defaultText: '15' },
  { name: 'NMS_PROTECTED_FOLDERS', path: 'folders.protected', kind: 'list', description: 'comma-separated folder paths that cannot be renamed, moved or deleted (POL1030)', defaultText: '/INBOX' },
  { name: 'NMS_SERVER_ONLY_FOLDERS', path: 'folders.serverOnly', kind: 'list', description: 'comma-separated folder paths under which only server-scope tokens may create (POL1031)', defaultText: '/Default' },
  { name: 'NMS_SEARCH_MAX_ENTRIES', path: 'search.maxEntries', kind: 'integer', description: 'largest batch a search returns, whatever `maxEntries` asks', defaultText: '500' },
  { name: 'NMS_SEARCH_SCAN_LIMIT', path: 'search.scanLimit', kind: 'integer', description: 'most candidate messages one search batch examines before ending early with a cursor', defaultText: '10000' }
]
