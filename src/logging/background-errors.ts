/**
 * Failures of background work that no request awaits: a bus message not published, a lease not
 * released, a sync or an unwatch that failed between two lease rounds. Such work is retried by
 * the next round, sweep or wake-up, so the failure itself must not crash the process; but it
 * must never vanish either. Every one is logged with its context and counted per operation, and
 * the counts are exported on `/metrics` (`nms_background_errors_total`).
 */
import type { Logger } from 'pino'

export class BackgroundErrors {
  private readonly counts = new Map<string, number>()

  constructor (private readonly logger: Logger) {}

  /** Logs `err` at warn level with `context` and counts it under `operation`. */
  report (operation: string, err: unknown, context: Record<string, unknown> = {}): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1)
    this.logger.warn({ ...context, err, operation }, `${operation} failed`)
  }

  /** A rejection handler that reports: `promise.catch(errors.handler('bus publish', { boxId }))`. */
  handler (operation: string, context: Record<string, unknown> = {}): (err: unknown) => void {
    return (err) => { this.report(operation, err, context) }
  }

  /** Failures so far, per operation. */
  totals (): ReadonlyMap<string, number> {
    return this.counts
  }
}
