/**
 * Composition root: builds the adapters (IMAP pool, store, token verifier) and the app from a
 * configuration. `server.ts` listens on the result; tests and the demo use it directly.
 */
import pino, { type Logger } from 'pino'
import type { FastifyInstance } from 'fastify'
import type { Config } from './config/schema.js'
import { buildApp } from './app.js'
import { createImapPort } from './imap/create-imap-port.js'
import { createStore } from './store/create-store.js'
import { createTokenVerifier } from './auth/verify-token.js'
import { loggerOptions } from './logging/logger.js'
import { createNotifications, type Notifications } from './notifications/pipeline.js'
import type { Store } from './store/store.js'

export interface Gateway {
  readonly app: FastifyInstance
  /** The state store (tests, the demo). */
  readonly store: Store
  /** Change tracking and notifications (tests, the demo). */
  readonly notifications: Notifications
  /** Closes HTTP, then IMAP connections, then the store. */
  close(): Promise<void>
}

export async function createGateway (config: Readonly<Config>, opts: { logger?: Logger } = {}): Promise<Gateway> {
  const logger = opts.logger ?? pino(loggerOptions(config.log.level))
  const store = await createStore(config, logger)
  const imap = createImapPort(config, logger.child({ component: 'imap' }))
  const verifier = await createTokenVerifier(config.auth)
  const notifications = createNotifications({ config, imap, store, logger })
  const app = await buildApp({ config, logger, imap, store, verifier, notifications })
  app.addHook('onClose', async () => {
    // Watchers and deliveries first: they use IMAP and the store until they stop.
    await notifications.close()
    await imap.close()
    await store.close()
  })
  await app.ready()
  await notifications.start()
  return {
    app,
    store,
    notifications,
    async close () { await app.close() }
  }
}
