/**
 * IMAP outages (architecture.md section 10: "IMAP unreachable: 503 with an integer Retry-After
 * and a requestError, never a 500"): the port fails fast with GW_ERR_IMAP_UNAVAILABLE while
 * Dovecot is down, backs off, and recovers by itself once Dovecot is back, replacing pooled
 * sessions that died, without an unhandled 'error' crashing the process.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import { imapUserOf, startTestEnv, type TestEnv } from '../helpers/env.js'
import { createImapPort } from '../../src/imap/create-imap-port.js'
import { kickUser } from '../helpers/kick.js'
import { eventually } from '../helpers/eventually.js'
import type { ImapPort } from '../../src/imap/types.js'
import { isGatewayError, type GatewayError } from '../../src/errors/gateway-error.js'

const BOX = { boxId: 'tel:+15550002001' }

/**
 * Makes Dovecot close every session of the box's user. A session registers with Dovecot's anvil
 * shortly after its login, so under load `kick` may briefly find nothing (exit 68): retry.
 */
async function kick (env: TestEnv, boxId: string): Promise<void> {
  await kickUser(env.dovecot, imapUserOf(boxId))
}

async function failure (p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p
  } catch (err) {
    assert.ok(isGatewayError(err), `expected a GatewayError, got ${String(err)}`)
    return err
  }
  assert.fail('expected a rejection')
}

function assertUnavailable (err: GatewayError): void {
  assert.equal(err.code, 'GW_ERR_IMAP_UNAVAILABLE')
  assert.equal(err.statusCode, 503)
  const retryAfter = err.headers['Retry-After'] ?? ''
  assert.match(retryAfter, /^[1-9][0-9]*$/, `Retry-After ${retryAfter}`)
}

describe('IMAP outage and recovery', () => {
  let env: TestEnv
  let port: ImapPort
  const crashes: unknown[] = []
  const onCrash = (err: unknown): void => { crashes.push(err) }

  before(async () => {
    process.on('uncaughtException', onCrash)
    env = await startTestEnv({ boxes: [BOX.boxId], noGateway: true, noRedis: true })
    port = createImapPort(env.makeConfig({
      imap: { connectTimeoutSeconds: 2, backoff: { initialMs: 100, maxMs: 400 }, pool: { idleSeconds: 60 } }
    }), pino({ level: 'silent' }))
  })
  after(async () => {
    await port.close()
    await env.close()
    process.off('uncaughtException', onCrash)
  })

  it('answers 503 with an integer Retry-After while Dovecot is down, and recovers after it is back', async () => {
    await port.ping()
    await env.dovecot.stop()

    const t0 = Date.now()
    const down = await failure(port.listMailboxes(BOX))
    assertUnavailable(down)
    assert.ok(Date.now() - t0 < 2500, 'a refused connect fails fast')
    // While backing off, the next call does not even try to connect.
    const t1 = Date.now()
    assertUnavailable(await failure(port.status(BOX, 'INBOX', ['messages'])))
    assert.ok(Date.now() - t1 < 100, 'fails fast while backing off')
    assertUnavailable(await failure(port.ping()))
    assert.equal(port.stats?.().total, 0)

    await env.dovecot.start()
    await port.ping()
    // The port backs off for up to backoff.maxMs between connects.
    const list = await eventually('the mailbox list after the restart', async () => await port.listMailboxes(BOX), { intervalMs: 50 })
    assert.deepEqual(list.map((m) => m.path), ['INBOX'])
    assert.equal(port.stats?.().total, 1)
    assert.deepEqual(crashes, [])
  })

  it('drops a pooled session the server closed and opens a new one for the next call', async () => {
    await port.createMailbox(BOX, 'Kept')
    assert.equal(port.stats?.().total, 1)
    // doveadm kick: the server sends BYE and closes the session (as on an IMAP process crash).
    await kick(env, BOX.boxId)
    await eventually('the pool to drop the kicked session', () => { assert.equal(port.stats?.().total, 0) }, { timeoutMs: 2000, intervalMs: 50 })
    const list = await port.listMailboxes(BOX)
    assert.deepEqual(list.map((m) => m.path).sort(), ['INBOX', 'Kept'])
    assert.equal(port.stats?.().total, 1)
    assert.deepEqual(crashes, [])
  })

  it('a read on a session that died a moment ago still succeeds (one retry on a fresh session)', async () => {
    await port.status(BOX, 'INBOX', ['messages'])
    for (let i = 0; i < 3; i++) {
      await kick(env, BOX.boxId)
      const s = await port.status(BOX, 'Kept', ['messages'])
      assert.equal(s.messages, 0)
    }
    assert.deepEqual(crashes, [])
  })

  it('answers 503 for an address nobody listens on, and ping fails within the connect timeout', async () => {
    const nowhere = createImapPort(env.makeConfig({}, { NMS_IMAP_HOST: '127.0.0.1', NMS_IMAP_PORT: '1' }), pino({ level: 'silent' }))
    try {
      assertUnavailable(await failure(nowhere.listMailboxes(BOX)))
      assertUnavailable(await failure(nowhere.ping()))
      assert.equal(nowhere.stats?.().total, 0)
    } finally {
      await nowhere.close()
    }
  })
})
