/** Small helpers for the child servers the harness starts. */
import type { ChildProcess } from 'node:child_process'

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
