/**
 * A tiny benchmark framework for `npm run bench` (test/bench/run.ts). A suite prepares what it
 * needs on the shared environment (test/bench/env.ts) and returns cases; every case pairs an
 * operation through the gateway with the equivalent done by imapflow alone, so the table shows
 * what the gateway adds. Each side is warmed up, then timed `iterations` times, interleaving
 * gateway and imapflow runs (and alternating which goes first) so drift (GC, Dovecot caches)
 * hits both alike.
 */
import { performance } from 'node:perf_hooks'
import type { BenchEnv } from './env.js'

/** How long each run takes, in milliseconds. */
export interface Timing {
  median: number
  p95: number
}

/** One measured pair. `run` is given the iteration number (e.g. to pick a different message each time). */
export interface BenchCase {
  operation: string
  gateway: (i: number) => Promise<void>
  /** The same work with imapflow on an already-open connection; absent when there is no equivalent. */
  imapflow?: ((i: number) => Promise<void>) | undefined
}

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

/** Median and 95th percentile (nearest rank) of `samples`. */
export function timing (samples: readonly number[]): Timing {
  const s = [...samples].sort((a, b) => a - b)
  if (s.length === 0) return { median: Number.NaN, p95: Number.NaN }
  const mid = Math.floor(s.length / 2)
  const median = s.length % 2 === 1 ? s[mid] as number : ((s[mid - 1] as number) + (s[mid] as number)) / 2
  const p95 = s[Math.max(0, Math.ceil(0.95 * s.length) - 1)] as number
  return { median, p95 }
}

async function timed (fn: (i: number) => Promise<void>, i: number): Promise<number> {
  const t0 = performance.now()
  await fn(i)
  return performance.now() - t0
}

/** Warms up and times one case. */
export async function measure (c: BenchCase, opts: BenchOptions): Promise<{ gateway: Timing, imapflow: Timing | undefined }> {
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
  return { gateway: timing(g), imapflow: c.imapflow === undefined ? undefined : timing(m) }
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

/** The result table as text (fixed-width columns, one row per case). */
export function formatTable (rows: readonly BenchRow[]): string {
  const head = ['suite', 'operation', 'gateway median ms', 'gateway p95 ms', 'imapflow median ms', 'imapflow p95 ms', 'ratio (median)']
  const body = rows.map((r) => [
    r.suite,
    r.operation,
    ms(r.gateway.median),
    ms(r.gateway.p95),
    ms(r.imapflow?.median),
    ms(r.imapflow?.p95),
    r.imapflow === undefined || r.imapflow.median === 0 ? '-' : `${(r.gateway.median / r.imapflow.median).toFixed(1)}x`
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)))
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n')
}
