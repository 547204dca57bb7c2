/**
 * The gateway as a real process (src/server.ts), for tests that kill it: SIGKILL leaves no
 * chance to clean up, which is the point.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../src/devenv/free-port.js'
import type { TestEnv } from './env.js'
import { eventually } from './eventually.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface GatewayProcess {
  readonly port: number
  readonly base: string
  readonly proc: ChildProcess
  output(): string
  /** SIGKILL; resolves when the process is gone. */
  kill(): Promise<void>
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>
}

/** The environment that points a gateway process at the test's Dovecot and Redis. */
export function processEnv (env: TestEnv, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NMS_HTTP_PORT: String(port),
    NMS_PUBLIC_URL: `http://127.0.0.1:${port}`,
    NMS_IMAP_HOST: env.dovecot.host,
    NMS_IMAP_PORT: String(env.dovecot.port),
    NMS_IMAP_SECURITY: 'none',
    NMS_IMAP_MASTER_USER: env.dovecot.master.name,
    NMS_IMAP_MASTER_PASSWORD: env.dovecot.master.password,
    NMS_REDIS_URL: env.redis?.url ?? '',
    NMS_AUTH_HS256_SECRET: env.secret,
    NMS_AUTH_ALGORITHMS: 'HS256',
    NMS_LOG_LEVEL: 'warn',
    ...extra
  }
}

/** Starts src/server.ts and waits until it answers /healthz. */
export async function startGatewayProcess (env: TestEnv, extra: Record<string, string> = {}, port?: number): Promise<GatewayProcess> {
  const p = port ?? await freePort()
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: processEnv(env, p, extra),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString() })
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  const base = `http://127.0.0.1:${p}`
  class Exited extends Error {}
  try {
    await eventually('the gateway to answer /healthz', async () => {
      if (proc.exitCode !== null) throw new Exited(`gateway exited ${proc.exitCode}: ${out}`)
      return (await fetch(`${base}/healthz`)).ok
    }, { timeoutMs: 30_000, intervalMs: 100, retryOn: (err) => !(err instanceof Exited) })
  } catch (err) {
    if (err instanceof Exited) throw err
    proc.kill('SIGKILL')
    throw new Error(`gateway did not start: ${out}`, { cause: err })
  }
  return {
    port: p,
    base,
    proc,
    output: () => out,
    async kill () {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
      await exited
    },
    async stop () {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      return await exited
    }
  }
}
