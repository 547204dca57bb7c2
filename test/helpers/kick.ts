/**
 * Ends every IMAP session of a user with `doveadm kick` (simulates a dropped connection).
 * Dovecot's anvil learns of a new session asynchronously, more slowly under load, so "no such
 * user" (exit 68) is retried for up to five seconds.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import type { DovecotServer } from '../../src/devenv/dovecot-server.js'
import { eventually } from './eventually.js'

const run = promisify(execFile)

export async function kickUser (dovecot: DovecotServer, user: string): Promise<void> {
  const args = ['-c', path.join(dovecot.dir, 'dovecot.conf'), 'kick', user]
  await eventually(`doveadm kick ${user}`, async () => { await run('doveadm', args) }, {
    intervalMs: 25,
    retryOn: (err) => (err as { code?: unknown }).code === 68
  })
}
