/**
 * A private, throwaway `redis-server` on a free loopback port with persistence off (or, for
 * restart tests, an append-only file synced on every write), in its own temporary directory.
 * Used by the integration tests and by the demo command.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { freePort } from './free-port.js'
import { restartable, spawnServer } from './process-util.js'

export interface RedisServer {
  readonly host: string
  readonly port: number
  readonly url: string
  /** Stops the server, keeping its directory (for restart tests). */
  stop(): Promise<void>
  /** Starts it again on the same port after {@link stop}. */
  start(): Promise<void>
  /** Stops it and removes its directory. */
  close(): Promise<void>
}

export async function startRedis (opts: { binary?: string, persistent?: boolean } = {}): Promise<RedisServer> {
  const binary = opts.binary ?? 'redis-server'
  const dir = await mkdtemp(path.join(tmpdir(), 'nms-redis-'))
  const host = '127.0.0.1'
  const port = await freePort(host)
  // appendfsync always: a SIGKILL loses nothing that was acknowledged (restart tests).
  const persistence = opts.persistent === true ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']
  const args = ['--port', String(port), '--bind', host, '--save', '', ...persistence, '--dir', dir,
    '--daemonize', 'no', '--protected-mode', 'yes', '--loglevel', 'warning', '--logfile', path.join(dir, 'redis.log')]
  // SIGKILL: outage tests want Redis gone at once, as in a crash.
  const { start, stop } = restartable(async () =>
    await spawnServer('redis-server', binary, args, async () => { await waitForPong(host, port, 10_000) }, 'SIGKILL'))

  await start()
  return {
    host,
    port,
    url: `redis://${host}:${port}`,
    stop,
    start,
    async close () {
      await stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
}

async function waitForPong (host: string, port: number, timeoutMs: number): Promise<void> {
  const net = await import('node:net')
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, host)
      s.setTimeout(1000, () => { s.destroy(); resolve(false) })
      s.on('connect', () => s.write('PING\r\n'))
      s.on('data', (d) => { s.destroy(); resolve(d.toString().startsWith('+PONG')) })
      s.on('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`redis on ${host}:${port} did not answer PING within ${timeoutMs} ms`)
}
