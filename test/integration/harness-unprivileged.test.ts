/**
 * The harness also works for an ordinary user (issue 2 item 3). When the tests run as root,
 * the harness is bundled into a temporary directory and run as `nobody`, so Dovecot takes its
 * non-root configuration (no chroot, every process as the caller). When they already run as an
 * ordinary user, the same script runs directly.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { build } from 'esbuild'

const run = promisify(execFile)
const NOBODY = 65534
let dir: string
let bundle: string

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nms-unpriv-'))
  await chmod(dir, 0o755)
  bundle = path.join(dir, 'harness.mjs')
  await build({
    entryPoints: [fileURLToPath(new URL('../fixtures/unprivileged-harness.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    logLevel: 'silent'
  })
  await chmod(bundle, 0o644)
})
after(async () => { await rm(dir, { recursive: true, force: true }) })

describe('harness as an ordinary user', () => {
  it('starts Dovecot and Redis, serves logins in every form, and cleans up', async () => {
    const asRoot = process.getuid?.() === 0
    const cmd = asRoot ? 'setpriv' : process.execPath
    const args = asRoot
      ? [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', process.execPath, bundle]
      : [bundle]
    const { stdout } = await run(cmd, args, {
      cwd: dir,
      env: { PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`, HOME: dir, TMPDIR: '/tmp' },
      timeout: 60_000
    })
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      uid: number, own: string[], separator: string[], authzid: string[], pong: string, leftBehind: string[]
    }
    assert.notEqual(result.uid, 0, 'ran unprivileged')
    if (asRoot) assert.equal(result.uid, NOBODY)
    assert.match(result.own[0] ?? '', /^t0 OK/, 'own password login')
    assert.match(result.own[1] ?? '', /^t1 OK/, 'CREATE')
    assert.match(result.separator[0] ?? '', /^t0 OK/, 'user*master login')
    assert.match(result.separator[1] ?? '', /^t1 OK/, 'the master session sees the user\'s mailbox')
    assert.match(result.authzid[0] ?? '', /^t0 OK/, 'SASL PLAIN with authzid')
    assert.equal(result.pong, '+PONG')
    assert.deepEqual(result.leftBehind, [])
  })
})
