/**
 * Integration-test environment: a private Dovecot and Redis (src/devenv, the same code the demo
 * uses), a gateway configured against them, a token minter and a direct IMAP client for making
 * changes "behind the gateway's back". One per test file; files run in parallel safely.
 */
import { randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'
import { ImapFlow } from 'imapflow'
import { startDovecot, type DovecotServer, type DovecotUser } from '../../src/devenv/dovecot-server.js'
import { startRedis, type RedisServer } from '../../src/devenv/redis-server.js'
import { loadConfig } from '../../src/config/load.js'
import type { Config } from '../../src/config/schema.js'
import { createGateway, type Gateway } from '../../src/gateway.js'
import pino from 'pino'

export interface TestEnvOptions {
  /** Box ids to provision (IMAP user = boxId without scheme). */
  boxes?: string[]
  /** Skip Redis (in-process store). */
  noRedis?: boolean
  /** Redis with an append-only file, so a restart keeps its data. */
  persistentRedis?: boolean
  /** Extra configuration merged last. */
  config?: Record<string, unknown>
  /** Extra environment variables given to loadConfig. */
  env?: Record<string, string>
  /** Pass-through to startDovecot. */
  dovecot?: Parameters<typeof startDovecot>[0]
  /** Do not build a gateway (tests that build their own). */
  noGateway?: boolean
  /** Let Dovecot validate OAUTHBEARER tokens signed with the same HS256 secret as the gateway's. */
  dovecotOauth2?: { usernameAttribute?: string }
}

export interface TestEnv {
  dovecot: DovecotServer
  redis: RedisServer | undefined
  config: Readonly<Config>
  gateway: Gateway
  secret: string
  /** Signs an HS256 token; `claims` override the defaults (`sub` = box, 5 min expiry). */
  token(box: string | undefined, claims?: Record<string, unknown>): Promise<string>
  /** Headers with a Bearer token for `box`. */
  auth(box: string, claims?: Record<string, unknown>): Promise<Record<string, string>>
  /** Logs in directly as the box's user (not through the gateway). Caller must logout(). */
  imap(box: string): Promise<ImapFlow>
  /** URL path prefix of a box: `/nms/v1/base/{encoded box}`. */
  base(box: string): string
  /** Builds a configuration against these servers (for tests that need a second gateway). */
  makeConfig(extra?: Record<string, unknown>, env?: Record<string, string>): Readonly<Config>
  close(): Promise<void>
}

export function imapUserOf (box: string): string {
  return box.replace(/^[a-z][a-z0-9+.-]*:/i, '')
}

export const BOX_PASSWORD = 'box-password'

export async function startTestEnv (opts: TestEnvOptions = {}): Promise<TestEnv> {
  const boxes = opts.boxes ?? ['tel:+15550000001']
  const users: DovecotUser[] = boxes.map((b) => ({ name: imapUserOf(b), password: BOX_PASSWORD }))
  const secret = randomBytes(32).toString('hex')
  const usernameAttribute = opts.dovecotOauth2?.usernameAttribute
  const oauth2 = opts.dovecotOauth2 === undefined
    ? {}
    : { oauth2: { hs256Key: Buffer.from(secret), ...(usernameAttribute === undefined ? {} : { usernameAttribute }) } }
  const [dovecot, redis] = await Promise.all([
    startDovecot({ ...opts.dovecot, ...oauth2, users: [...users, ...(opts.dovecot?.users ?? [])] }),
    opts.noRedis === true ? Promise.resolve(undefined) : startRedis({ persistent: opts.persistentRedis === true })
  ])
  const makeConfig = (extra: Record<string, unknown> = {}, env: Record<string, string> = {}): Readonly<Config> => loadConfig({
    env: {
      NMS_HTTP_PORT: '8080',
      NMS_PUBLIC_URL: 'https://nms.test.example',
      NMS_IMAP_HOST: dovecot.host,
      NMS_IMAP_PORT: String(dovecot.port),
      NMS_IMAP_SECURITY: 'none',
      NMS_IMAP_AUTH: 'authzid',
      NMS_IMAP_MASTER_USER: dovecot.master.name,
      NMS_IMAP_MASTER_PASSWORD: dovecot.master.password,
      NMS_AUTH_HS256_SECRET: secret,
      NMS_AUTH_ALGORITHMS: 'HS256',
      NMS_LOG_LEVEL: 'silent',
      ...(redis === undefined ? {} : { NMS_REDIS_URL: redis.url }),
      ...opts.env,
      ...env
    },
    overrides: { ...opts.config, ...extra }
  })
  const config = makeConfig()
  const gateway = opts.noGateway === true
    ? undefined as unknown as Gateway
    // NMS_TEST_LOG_LEVEL=warn (or debug) shows the gateway's log when a test needs explaining.
    : await createGateway(config, { logger: pino({ level: process.env.NMS_TEST_LOG_LEVEL ?? 'silent' }, pino.destination(2)) })
  const key = Buffer.from(secret)

  async function token (box: string | undefined, claims: Record<string, unknown> = {}): Promise<string> {
    return await new SignJWT({ ...(box === undefined ? {} : { sub: box }), scope: 'oma_rest_nms.all_v1', ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key)
  }

  return {
    dovecot,
    redis,
    config,
    gateway,
    secret,
    token,
    async auth (box, claims) { return { authorization: `Bearer ${await token(box, claims)}` } },
    async imap (box) {
      const client = new ImapFlow({
        host: dovecot.host,
        port: dovecot.port,
        secure: false,
        doSTARTTLS: false,
        auth: { user: imapUserOf(box), pass: BOX_PASSWORD },
        logger: false
      })
      client.on('error', () => {})
      await client.connect()
      return client
    },
    base (box) { return `/nms/v1/base/${encodeURIComponent(box)}` },
    makeConfig,
    async close () {
      if (gateway !== undefined) await gateway.close()
      await Promise.all([dovecot.close(), redis?.close()])
    }
  }
}
