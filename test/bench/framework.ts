/**
 * A tiny benchmark framework for `npm run bench` (test/bench/run.ts). A suite prepares what it
 * needs on the shared environment (test/bench/env.ts) and returns cases; every case pairs an
 * operation through the gateway with the equivalent done by imapflow alone, so the table shows
 * what the gateway adds. Each side is warmed up, then timed `iterations` times, interleaving
 * gateway and imapflow runs (and alternating which goes first) so drift (GC, Dovecot caches)
 * hits both alike.
 *
 * Some figures are not the duration of a call but a latency between two events both sides see
 * (an IMAP APPEND reaching a webhook through the gateway, and reaching an IDLEing imapflow
 * client): such a case observes one event per run and returns both latencies
 * ({@link ObservedCase}).
 */
import { performance } from 'node:perf_hooks'
import type { BenchEnv } from './env.js'

/** How long each run takes, in milliseconds. */
export interface Timing {
  median: number
  p95: number
  /** Only for cases that ask for it ({@link CaseOptions.p99}). */
  p99?: number
}

interface CaseOptions {
  operation: string
  /** Also report the 99th percentile (p99 columns in the table). */
  p99?: boolean | undefined
  /** At most this many runs, whatever the command line asks (a case whose runs wait for a periodic job). */
  limit?: { warmup?: number, iterations?: number } | undefined
}

/** One measured pair. `run` is given the iteration number (e.g. to pick a different message each time). */
export interface TimedCase extends CaseOptions {
  gateway: (i: number) => Promise<void>
  /** The same work with imapflow on an already-open connection; absent when there is no equivalent. */
  imapflow?: ((i: number) => Promise<void>) | undefined
}

/** One event per run, seen from both sides; `observe` returns the two latencies in milliseconds. */
export interface ObservedCase extends CaseOptions {
  observe: (i: number) => Promise<{ gateway: number, imapflow: number }>
}

export type BenchCase = TimedCase | ObservedCase

/** A registered suite; `setup` may start things, `teardown` must stop them. */
export interface BenchSuite {
  name: string
  setup: (env: BenchEnv) => Promise<BenchCase[]>
  teardown?: () => Promise<void>
}

export interface BenchOptions {
  warmup: number
  iterations: number
}

/** One line of the result table. */
export interface BenchRow {
  suite: string
  operation: string
  gateway: Timing
  imapflow: Timing | undefined
}

/** The nearest-rank percentile `q` (0 < q <= 1) of samples sorted ascending. */
function nearestRank (sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number
}

/** Median and 95th percentile (nearest rank) of `samples`, and the 99th when `p99` is set. */
export function timing (samples: readonly number[], opts: { p99?: boolean | undefined } = {}): Timing {
  const s = [...samples].sort((a, b) => a - b)
  const extra = opts.p99 === true ? { p99: s.length === 0 ? Number.NaN : nearestRank(s, 0.99) } : {}
  if (s.length === 0) return { median: Number.NaN, p95: Number.NaN, ...extra }
  const mid = Math.floor(s.length / 2)
  const median = s.length % 2 === 1 ? s[mid] as number : ((s[mid - 1] as number) + (s[mid] as number)) / 2
  return { median, p95: nearestRank(s, 0.95), ...extra }
}

async function timed (fn: (i: number) => Promise<void>, i: number): Promise<number> {
  const t0 = performance.now()
  await fn(i)
  return performance.now() - t0
}

/** Warms up and times one case. */
export async function measure (c: BenchCase, options: BenchOptions): Promise<{ gateway: Timing, imapflow: Timing | undefined }> {
  const opts = {
    warmup: Math.min(options.warmup, c.limit?.warmup ?? Infinity),
    iterations: Math.min(options.iterations, c.limit?.iterations ?? Infinity)
  }
  const p99 = { p99: c.p99 }
  if ('observe' in c) {
    for (let i = 0; i < opts.warmup; i++) await c.observe(i)
    const g: number[] = []
    const m: number[] = []
    for (let i = 0; i < opts.iterations; i++) {
      const seen = await c.observe(opts.warmup + i)
      g.push(seen.gateway)
      m.push(seen.imapflow)
    }
    return { gateway: timing(g, p99), imapflow: timing(m, p99) }
  }
  for (let i = 0; i < opts.warmup; i++) {
    await c.gateway(i)
    if (c.imapflow !== undefined) await c.imapflow(i)
  }
  const g: number[] = []
  const m: number[] = []
  for (let i = 0; i < opts.iterations; i++) {
    const n = opts.warmup + i
    const other = c.imapflow
    // Alternate who goes first: the second side of a pair finds Dovecot's caches warm.
    if (other !== undefined && i % 2 === 1) m.push(await timed(other, n))
    g.push(await timed(c.gateway, n))
    if (other !== undefined && i % 2 === 0) m.push(await timed(other, n))
  }
  return { gateway: timing(g, p99), imapflow: c.imapflow === undefined ? undefined : timing(m, p99) }
}

/** Runs every case of every suite; suites are torn down even when a case fails. */
export async function runSuites (env: BenchEnv, suites: readonly BenchSuite[], opts: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  for (const suite of suites) {
    try {
      const cases = await suite.setup(env)
      for (const c of cases) rows.push({ suite: suite.name, operation: c.operation, ...await measure(c, opts) })
    } finally {
      await suite.teardown?.()
    }
  }
  return rows
}

const ms = (n: number | undefined): string => n === undefined || Number.isNaN(n) ? '-' : n.toFixed(2)

/** The result table as text (fixed-width columns, one row per case; p99 columns only when a row has p99). */
export function formatTable (rows: readonly BenchRow[]): string {
  const withP99 = rows.some((r) => r.gateway.p99 !== undefined || r.imapflow?.p99 !== undefined)
  const side = (name: string): string[] => [`${name} median ms`, `${name} p95 ms`, ...(withP99 ? [`${name} p99 ms`] : [])]
  const cells = (t: Timing | undefined): string[] => [ms(t?.median), ms(t?.p95), ...(withP99 ? [ms(t?.p99)] : [])]
  const head = ['suite', 'operation', ...side('gateway'), ...side('imapflow'), 'ratio (median)']
  const body = rows.map((r) => [
    r.suite,
    r.operation,
    ...cells(r.gateway),
    ...cells(r.imapflow),
    r.imapflow === undefined || r.imapflow.median === 0 ? '-' : `${(r.gateway.median / r.imapflow.median).toFixed(1)}x`
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)))
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n')
}
