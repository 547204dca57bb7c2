/**
 * The real fastify app (src/app.ts) built without any server: the in-process store, an HS256
 * verifier, and an IMAP port that fails every call. Enough for tests of the route table, the
 * OpenAPI document and the auth hook, which must never reach IMAP; `npm run test:unit` uses it so
 * it needs neither Dovecot nor Redis.
 */
import { randomBytes } from 'node:crypto'
import type { FastifyInstance, RouteOptions } from 'fastify'
import pino from 'pino'
import { buildApp } from '../../src/app.js'
import { createTokenVerifier } from '../../src/auth/verify-token.js'
import { loadConfig } from '../../src/config/load.js'
import type { ImapPort } from '../../src/imap/types.js'
import { createNotifications } from '../../src/notifications/pipeline.js'
import { MemoryStore } from '../../src/store/memory-store.js'

export interface OfflineApp {
  readonly app: FastifyInstance
  /** Every route the app registered, in registration order (the 405 catch-alls included). */
  readonly routes: readonly RouteOptions[]
  close(): Promise<void>
}

/**
 * An ImapPort whose every method rejects: a test that reaches IMAP fails with a message naming
 * the call, instead of waiting for a connect timeout.
 */
export function unreachableImap (): ImapPort {
  return new Proxy({} as ImapPort, {
    get (_target, name) {
      // Not a promise: `await` and promise resolution probe `then`.
      if (name === 'then' || typeof name === 'symbol') return undefined
      return async () => { throw new Error(`this test must not reach IMAP (ImapPort.${name} was called)`) }
    }
  })
}

export async function buildOfflineApp (): Promise<OfflineApp> {
  const config = loadConfig({
    env: {
      NMS_HTTP_PORT: '8080',
      NMS_PUBLIC_URL: 'https://nms.test.example',
      // Never contacted: every IMAP call goes to unreachableImap().
      NMS_IMAP_HOST: '127.0.0.1',
      NMS_IMAP_PORT: '1',
      NMS_IMAP_SECURITY: 'none',
      NMS_IMAP_AUTH: 'authzid',
      NMS_IMAP_MASTER_USER: 'master',
      NMS_IMAP_MASTER_PASSWORD: 'unused',
      NMS_AUTH_HS256_SECRET: randomBytes(32).toString('hex'),
      NMS_AUTH_ALGORITHMS: 'HS256',
      NMS_LOG_LEVEL: 'silent'
    }
  })
  const logger = pino({ level: 'silent' })
  const imap = unreachableImap()
  const store = new MemoryStore()
  const verifier = await createTokenVerifier(config.auth)
  // Built but never started: no watches, no jobs.
  const notifications = createNotifications({ config, imap, store, logger })
  const routes: RouteOptions[] = []
  const app = await buildApp({
    config,
    logger,
    imap,
    store,
    verifier,
    notifications
  })
  await app.ready()
  return {
    app,
    routes,
    async close () {
      await app.close()
      await notifications.close()
      await store.close()
    }
  }
}
