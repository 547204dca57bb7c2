/**
 * Periodic jobs on node-cron (the only importer of it, docs/layers.md). Each handler is a
 * one-line call into a plain async function, so tests call the work directly instead of waiting
 * for a schedule. A run that is still going when the next is due is skipped (`noOverlap`), and a
 * failing run is reported (logged and counted), never thrown: the next run tries again.
 */
import cron, { type ScheduledTask } from 'node-cron'
import type { BackgroundErrors } from '../logging/background-errors.js'

export interface Job {
  name: string
  everySeconds: number
  run: () => Promise<void>
}

export interface Jobs {
  stop(): Promise<void>
}

/**
 * The cron pattern for "every N seconds": a seconds step below a minute (node-cron's six-field
 * form), whole minutes above. A step that does not divide 60 restarts at each minute.
 */
export function everyPattern (seconds: number): string {
  const s = Math.max(1, Math.floor(seconds))
  if (s < 60) return `*/${s} * * * * *`
  const m = Math.max(1, Math.round(s / 60))
  return m < 60 ? `0 */${m} * * * *` : `0 0 */${Math.max(1, Math.round(m / 60))} * * *`
}

/** Starts the jobs; a failing run is reported to `errors` (logged and counted) as `job <name>`. */
export function startJobs (jobs: readonly Job[], errors: Pick<BackgroundErrors, 'report'>): Jobs {
  const tasks: ScheduledTask[] = jobs.map((job) => cron.schedule(everyPattern(job.everySeconds), async () => {
    try {
      await job.run()
    } catch (err) {
      errors.report(`job ${job.name}`, err, { job: job.name })
    }
  }, { name: job.name, noOverlap: true, suppressMissedWarning: true }))
  return {
    async stop () {
      await Promise.all(tasks.map(async (t) => { await t.destroy() }))
    }
  }
}
