/**
 * `npm run demo`: the gateway on a working default, for trying it out (issue 2 item 5).
 *
 * Starts a throwaway Dovecot and redis-server with the same harness code the integration tests
 * use (temporary directories, free loopback ports), seeds the demo box `tel:+15551234567`
 * (demo-seed.ts), starts the gateway against them on `NMS_HTTP_PORT` (default 8080, or the next
 * free port when 8080 is busy), and prints a 24 h bearer token with curl examples that work as
 * pasted. Ctrl-C (SIGINT) or SIGTERM closes the gateway, stops both servers and removes their
 * directories. `npm start` never does any of this: it only serves the configured servers.
 *
 * Other NMS_* variables are honoured (e.g. `NMS_LOG_LEVEL=debug`), except those naming the IMAP
 * server, Redis and the token key, which the demo sets itself.
 */
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import pino from 'pino'
import pretty from 'pino-pretty'
import { ConfigError, loadConfig } from '../config/load.js'
import type { Config } from '../config/schema.js'
import { createGateway, type Gateway } from '../gateway.js'
import { loggerOptions } from '../logging/logger.js'
import { boxBaseUrl, publicBaseUrl } from '../nms/public-url.js'
import { signDevToken } from '../auth/dev-token.js'
import { startDovecot, type DovecotServer } from './dovecot-server.js'
import { startRedis, type RedisServer } from './redis-server.js'
import { DEMO_BOX, DEMO_IMAP_USER, seedDemoBox, type SeedSummary } from './demo-seed.js'

const DEFAULT_PORT = 8080
/** How many ports after 8080 are tried before asking the kernel for any free one. */
const PORT_ATTEMPTS = 20
const TOKEN_LIFETIME_SECONDS = 24 * 3600
/** The folder the third curl example lists. */
const EXAMPLE_PATH = '/RCSMessageStore/conv-42'

/** Resolves true when nothing listens on `host:port` (bind, then release at once). */
async function portIsFree (host: string, port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const srv = net.createServer()
    srv.once('error', () => resolve(false))
    srv.listen(port, host, () => srv.close(() => resolve(true)))
  })
}

/** `NMS_HTTP_PORT` when the user set it, else 8080 or the next free port after it. */
async function choosePort (host: string, requested: string | undefined): Promise<number> {
  if (requested !== undefined && requested !== '') return Number(requested)
  for (let p = DEFAULT_PORT; p < DEFAULT_PORT + PORT_ATTEMPTS; p++) {
    if (await portIsFree(host, p)) return p
  }
  const { freePort } = await import('./free-port.js')
  return await freePort(host)
}

/** Single-quotes a word for POSIX shells. */
function sq (s: string): string {
  return `'${s.replaceAll('\'', '\'\\\'\'')}'`
}

interface CurlExample {
  title: string
  method: 'GET' | 'POST'
  url: string
  body?: unknown
}

function renderCurl (e: CurlExample, token: string): string {
  // -w: end the JSON with a newline so the shell prompt starts on its own line.
  const parts = [`curl -s -w '\\n'${e.method === 'GET' ? '' : ` -X ${e.method}`}`]
  parts.push(`-H ${sq(`Authorization: Bearer ${token}`)}`)
  if (e.body !== undefined) parts.push(`-H ${sq('Content-Type: application/json')}`, `-d ${sq(JSON.stringify(e.body))}`)
  parts.push(sq(e.url))
  return `# ${e.title}\n${parts.join(' \\\n  ')}`
}

/**
 * The folder URL of {@link EXAMPLE_PATH}, asked of the gateway itself (folderIds are assigned by
 * the gateway, so the example cannot be written down in advance).
 */
async function exampleFolderUrl (
  gateway: Gateway,
  config: Readonly<Config>,
  token: string
): Promise<string | undefined> {
  const base = new URL(boxBaseUrl(config, DEMO_BOX)).pathname
  const res = await gateway.app.inject({
    method: 'GET',
    url: `${base}/folders/operations/pathToId?path=${encodeURIComponent(EXAMPLE_PATH)}`,
    headers: { authorization: `Bearer ${token}` }
  })
  if (res.statusCode !== 200) return undefined
  const url = (res.json() as { reference?: { resourceURL?: unknown } }).reference?.resourceURL
  return typeof url === 'string' ? url : undefined
}

function examples (config: Readonly<Config>, folderUrl: string | undefined): CurlExample[] {
  const box = boxBaseUrl(config, DEMO_BOX)
  const list: CurlExample[] = [
    {
      title: 'The root folders of the demo box (folder search with Root=Yes)',
      method: 'POST',
      url: `${box}/folders/operations/search`,
      body: { selectionCriteria: { maxEntries: 10, searchCriteria: { criterion: [{ type: 'Attribute', name: 'Root', value: 'Yes' }] } } }
    },
    {
      title: `The folder id of ${EXAMPLE_PATH} (pathToId)`,
      method: 'GET',
      url: `${box}/folders/operations/pathToId?path=${EXAMPLE_PATH}`
    }
  ]
  if (folderUrl !== undefined) {
    list.push({
      title: `${EXAMPLE_PATH} with its subfolders and messages (listFilter=All)`,
      method: 'GET',
      url: `${folderUrl}?listFilter=All&path=Yes`
    })
  }
  return list
}

interface BannerInput {
  config: Readonly<Config>
  dovecot: DovecotServer
  redis: RedisServer
  boxPassword: string
  seeded: SeedSummary
  token: string
  curls: string[]
}

function banner (o: BannerInput): string {
  const base = publicBaseUrl(o.config)
  const folders = Object.entries(o.seeded).map(([path, n]) => `${path} (${n})`).join(', ')
  return [
    '',
    'nms-imap-gateway demo is running.',
    '',
    `  Gateway      ${base}   (OpenAPI: ${base}/openapi.json, UI: ${base}/docs)`,
    `  Demo box     ${DEMO_BOX}   NMS base: ${boxBaseUrl(o.config, DEMO_BOX)}`,
    `  Messages     ${folders}`,
    `  Dovecot      ${o.dovecot.host}:${o.dovecot.port}, no TLS; IMAP login ${DEMO_IMAP_USER} / ${o.boxPassword}`,
    `  Redis        ${o.redis.url}`,
    '',
    `Bearer token for ${DEMO_BOX} (HS256, valid 24 h):`,
    '',
    o.token,
    '',
    'Try (pipe through `jq` for readable JSON):',
    '',
    ...o.curls.flatMap((c) => [c, '']),
    'Press Ctrl-C to stop; Dovecot, Redis and their temporary directories are removed.',
    ''
  ].join('\n')
}

async function main (): Promise<void> {
  const cleanups: Array<() => Promise<void>> = []
  let stopping = false
  const stop = async (): Promise<void> => {
    if (stopping) return
    stopping = true
    for (const fn of cleanups.reverse()) {
      await fn().catch((err: unknown) => process.stderr.write(`cleanup: ${String(err)}\n`))
    }
  }
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stdout.write(`\n${signal}: stopping the demo...\n`)
    stop().then(() => process.stdout.write('stopped; temporary servers and directories removed.\n'), () => {})
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  try {
    const boxPassword = randomBytes(9).toString('base64url')
    const [dovecot, redis] = await Promise.all([
      startDovecot({ users: [{ name: DEMO_IMAP_USER, password: boxPassword }] }),
      startRedis()
    ])
    cleanups.push(async () => { await dovecot.close() }, async () => { await redis.close() })
    const seeded = await seedDemoBox({
      host: dovecot.host, port: dovecot.port, user: DEMO_IMAP_USER, password: boxPassword
    })

    const secret = randomBytes(32).toString('hex')
    // The demo is a developer tool, not the gateway: reading NMS_HTTP_PORT here only tells apart
    // "the user asked for this port" from "the default", which loadConfig cannot say.
    // eslint-disable-next-line no-restricted-properties -- whether the variable is set, not a setting
    const requestedPort = process.env.NMS_HTTP_PORT
    const probe = loadConfig({ overrides: demoOverrides(dovecot, redis, secret) })
    const port = await choosePort(probe.http.host, requestedPort)
    const config = loadConfig({ overrides: { ...demoOverrides(dovecot, redis, secret), http: { port } } })

    // Human-readable logs on stderr, so stdout carries only the banner below.
    const stream = pretty({ colorize: process.stderr.isTTY, destination: 2, sync: true })
    const logger = pino(loggerOptions(config.log.level), stream)
    const gateway = await createGateway(config, { logger })
    cleanups.push(async () => { await gateway.close() })
    await gateway.app.listen({ host: config.http.host, port: config.http.port })

    const claims = { sub: DEMO_BOX, scope: 'oma_rest_nms.all_v1' }
    const token = await signDevToken(secret, claims, { expiresInSeconds: TOKEN_LIFETIME_SECONDS })
    const folderUrl = await exampleFolderUrl(gateway, config, token)
    const curls = examples(config, folderUrl).map((e) => renderCurl(e, token))
    process.stdout.write(banner({ config, dovecot, redis, boxPassword, seeded, token, curls }))
  } catch (err) {
    await stop()
    process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `demo failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
    process.exitCode = 1
  }
}

/** Configuration the demo imposes on top of the user's environment. */
function demoOverrides (dovecot: DovecotServer, redis: RedisServer, secret: string): Record<string, unknown> {
  return {
    imap: {
      host: dovecot.host,
      port: dovecot.port,
      // Loopback only, without TLS, exactly like the test harness.
      security: 'none',
      auth: 'authzid',
      masterUser: dovecot.master.name,
      masterPassword: dovecot.master.password
    },
    redis: { url: redis.url },
    auth: { hs256Secret: secret, algorithms: ['HS256'] }
  }
}

await main()
