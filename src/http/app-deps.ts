/**
 * Everything the HTTP layer needs, built by the composition root (src/gateway.ts) and handed to
 * `buildApp` (src/app.ts). It lives in src/http so the routes never import the root that
 * registers them (docs/layers.md).
 */
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import type { ImapPort } from '../imap/types.js'
import type { Store } from '../store/store.js'
import type { TokenVerifier } from '../auth/verify-token.js'
import type { Notifications } from '../notifications/pipeline.js'

export interface AppDeps {
  config: Readonly<Config>
  logger: Logger
  imap: ImapPort
  store: Store
  verifier: TokenVerifier
  notifications: Notifications
}
