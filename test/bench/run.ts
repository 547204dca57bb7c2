/**
 * `npm run bench`: starts a private Dovecot and Redis with the gateway, seeds a folder, runs the
 * registered suites (test/bench/suites) and prints one table; then stops everything. Not part of
 * `npm test`.
 *
 *   npm run bench -- [--messages 10000] [--iterations 200] [--warmup 20] [--suite objects] [--seed auto|append]
 *
 * `--seed append` seeds with IMAP APPENDs instead of writing maildir files (slow; for comparison).
 */
import { parseArgs } from 'node:util'
import { startBenchEnv } from './env.js'
import { formatTable, runSuites } from './framework.js'
import { SUITES } from './suites/index.js'

function positive (value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`)
  return n
}

async function main (): Promise<void> {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string' },
      iterations: { type: 'string' },
      warmup: { type: 'string' },
      seed: { type: 'string' },
      suite: { type: 'string', multiple: true }
    }
  })
  const messages = positive(values.messages, 10_000, 'messages')
  const opts = { iterations: positive(values.iterations, 200, 'iterations'), warmup: positive(values.warmup, 20, 'warmup') }
  const suites = values.suite === undefined ? SUITES : SUITES.filter((s) => values.suite?.includes(s.name))
  if (suites.length === 0) throw new Error(`no suite named ${String(values.suite)}; known: ${SUITES.map((s) => s.name).join(', ')}`)

  const t0 = Date.now()
  if (values.seed !== undefined && values.seed !== 'append' && values.seed !== 'auto') throw new Error('--seed is auto or append')
  const bench = await startBenchEnv(messages, values.seed ?? 'auto')
  try {
    console.log(`seeded ${messages} messages (${bench.seedMethod}) in ${(bench.seedMs / 1000).toFixed(1)} s; ${opts.warmup} warm-up + ${opts.iterations} timed runs per side`)
    const rows = await runSuites(bench, suites, opts)
    console.log('')
    console.log(formatTable(rows))
    console.log('')
    console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  } finally {
    await bench.close()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
