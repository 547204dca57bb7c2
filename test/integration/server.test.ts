/**
 * The process entry (src/server.ts): an invalid configuration stops startup listing every
 * problem; a valid one listens, serves, and on SIGTERM closes HTTP, IMAP and Redis and exits 0.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../src/devenv/free-port.js'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { eventually } from '../helpers/eventually.js'
import { processEnv } from '../helpers/gateway-process.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BOX = 'tel:+15550002001'
let env: TestEnv

before(async () => { env = await startTestEnv({ boxes: [BOX], noGateway: true }) })
after(async () => { await env.close() })

function runServer (vars: Record<string, string>): { proc: ChildProcess, output: () => string, exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...vars },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString() })
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  return { proc, output: () => out, exited }
}

describe('server entry', () => {
  it('refuses an invalid configuration and lists every problem', async () => {
    const run = runServer({ NMS_HTTP_PORT: 'eighty', NMS_IMAP_SECURITY: 'smoke-signals', NMS_IMAP_AUTH: 'authzid' })
    const code = await run.exited
    assert.equal(code, 78)
    const out = run.output()
    assert.match(out, /NMS_HTTP_PORT/)
    assert.match(out, /NMS_IMAP_SECURITY/)
    assert.match(out, /NMS_IMAP_MASTER_USER/)
    assert.match(out, /NMS_AUTH_JWKS_URL, NMS_AUTH_JWKS_FILE, NMS_AUTH_HS256_SECRET/)
  })

  it('listens, serves the NMS API, and shuts down gracefully on SIGTERM', async () => {
    const port = await freePort()
    const run = runServer(processEnv(env, port, { NMS_LOG_LEVEL: 'warn' }))
    try {
      const health = await eventually('the server to listen', async () => await fetch(`http://127.0.0.1:${port}/healthz`), {
        timeoutMs: 20_000,
        intervalMs: 100
      })
      assert.equal(health.status, 200)
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
      assert.equal(ready.status, 200)
      const search = await fetch(`http://127.0.0.1:${port}${env.base(BOX)}/folders/operations/search`, {
        method: 'POST',
        headers: { ...(await env.auth(BOX)), 'content-type': 'application/json' },
        body: JSON.stringify({ selectionCriteria: { maxEntries: 10, searchCriteria: { criterion: [{ type: 'Attribute', name: 'Root', value: 'Yes' }] } } })
      })
      assert.equal(search.status, 200, await search.clone().text())
      const body = await search.json() as { folderList: { folder: Array<{ name: string }> } }
      assert.ok(body.folderList.folder.some((f) => f.name === 'INBOX'))
      const started = Date.now()
      run.proc.kill('SIGTERM')
      assert.equal(await run.exited, 0, run.output())
      assert.ok(Date.now() - started < 10_000, 'shutdown is prompt')
      await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'no longer listening')
    } finally {
      if (run.proc.exitCode === null) run.proc.kill('SIGKILL')
    }
  })
})
