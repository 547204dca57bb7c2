/** Small helpers for the child servers the harness starts. */
import { spawn, type ChildProcess } from 'node:child_process'

const live = new Set<ChildProcess>()
let hooked = false

/** Kills `proc` when this Node process exits, so an aborted test run leaves no server behind. */
export function killOnExit (proc: ChildProcess): void {
  live.add(proc)
  proc.once('exit', () => live.delete(proc))
  if (!hooked) {
    hooked = true
    process.once('exit', () => {
      for (const p of live) p.kill('SIGKILL')
    })
  }
}

export async function waitForExit (proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return
  await new Promise<void>((resolve) => proc.once('exit', () => resolve()))
}

/** A child server started by {@link spawnServer}. */
export interface RunningServer {
  /** Stops it (`signal`, then SIGKILL after 5 s) and waits for the exit. */
  stop(): Promise<void>
}

/**
 * Starts `binary args` in the foreground and resolves once `ready()` does; rejects with the
 * server's stderr if it exits first. The child is killed when this Node process exits.
 */
export async function spawnServer (name: string, binary: string, args: string[], ready: () => Promise<void>,
  signal: NodeJS.Signals = 'SIGTERM'): Promise<RunningServer> {
  const proc = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  killOnExit(proc)
  let stderr = ''
  proc.stderr?.on('data', (d: Buffer) => { stderr += d.toString() })
  // Resolves (never rejects) with why the server ended; raced against ready() below.
  const ended = new Promise<Error>((resolve) => {
    proc.once('error', resolve)
    proc.once('exit', (code) => { resolve(new Error(`${name} exited (${String(code)}): ${stderr}`)) })
  })
  try {
    const early = await Promise.race([ready().then(() => undefined), ended])
    if (early !== undefined) throw early
  } catch (err) {
    proc.kill('SIGKILL')
    throw err
  }
  return {
    async stop () {
      if (proc.exitCode !== null || proc.signalCode !== null) return
      proc.kill(signal)
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000)
      await waitForExit(proc)
      clearTimeout(timer)
    }
  }
}

/** A server that can be stopped and started again (outage tests), one child at a time. */
export interface Restartable {
  start(): Promise<void>
  stop(): Promise<void>
}

/** Wraps `launch` (e.g. a spawnServer call) so start/stop can repeat. */
export function restartable (launch: () => Promise<RunningServer>): Restartable {
  let child: RunningServer | undefined
  return {
    async start () {
      child = await launch()
    },
    async stop () {
      const running = child
      child = undefined
      await running?.stop()
    }
  }
}
