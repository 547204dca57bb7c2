/**
 * Bounds and idle eviction of the IMAP session pool (architecture.md section 8: a bounded number
 * of IMAP sessions per box and overall) against the real Dovecot. The pool is driven directly so
 * a test can hold a session for as long as it needs.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import pino from 'pino'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { SessionPool } from '../../src/imap/session-pool.js'
import { createImapPort } from '../../src/imap/create-imap-port.js'
import { isGatewayError } from '../../src/errors/gateway-error.js'
import { eventually } from '../helpers/eventually.js'

const A = { boxId: 'tel:+15550003001' }
const B = { boxId: 'tel:+15550003002' }
const silent = pino({ level: 'silent' })

/** A promise with its resolver, to hold a session until the test lets go. */
function gate (): { promise: Promise<void>, open: () => void } {
  let open = (): void => {}
  const promise = new Promise<void>((resolve) => { open = resolve })
  return { promise, open }
}

describe('IMAP session pool bounds', () => {
  let env: TestEnv
  const pools: SessionPool[] = []
  const pool = (imap: Record<string, unknown>): SessionPool => {
    const p = new SessionPool(env.makeConfig({ imap }), silent)
    pools.push(p)
    return p
  }

  before(async () => {
    env = await startTestEnv({ boxes: [A.boxId, B.boxId], noGateway: true, noRedis: true })
  })
  after(async () => {
    await Promise.all(pools.map(async (p) => { await p.close() }))
    await env.close()
  })

  it('maxPerBox=1: concurrent operations on one box share one session, in FIFO order', async () => {
    const p = pool({ pool: { maxPerBox: 1, maxTotal: 10, acquireTimeoutSeconds: 5 } })
    const order: number[] = []
    const peak = { total: 0, perBox: 0 }
    const sample = (): void => {
      const s = p.stats()
      peak.total = Math.max(peak.total, s.total)
      peak.perBox = Math.max(peak.perBox, s.perBox['+15550003001'] ?? 0)
    }
    const runs = [1, 2, 3].map(async (n) => await p.run(A, async (client) => {
      sample()
      await client.noop()
      order.push(n)
      sample()
    }))
    sample()
    assert.equal(p.stats().waiting, 2, 'the second and third caller wait')
    await Promise.all(runs)
    assert.deepEqual(order, [1, 2, 3])
    assert.deepEqual(peak, { total: 1, perBox: 1 })
    assert.deepEqual(p.stats(), { total: 1, perBox: { '+15550003001': 1 }, waiting: 0 })
  })

  it('a waiter times out with 503 + Retry-After while the first caller holds the session', async () => {
    const p = pool({ pool: { maxPerBox: 1, maxTotal: 10, acquireTimeoutSeconds: 1 }, commandTimeoutSeconds: 10 })
    const held = gate()
    const holding = gate()
    const first = p.run(A, async () => { holding.open(); await held.promise })
    await holding.promise
    const t0 = Date.now()
    await assert.rejects(p.run(A, async () => 'never'), (err: unknown) => {
      assert.ok(isGatewayError(err))
      assert.equal(err.code, 'GW_ERR_IMAP_UNAVAILABLE')
      assert.match(err.headers['Retry-After'] ?? '', /^[1-9][0-9]*$/)
      return true
    })
    const waited = Date.now() - t0
    assert.ok(waited >= 950 && waited < 2000, `waited ${waited} ms`)
    assert.equal(p.stats().waiting, 0)
    held.open()
    await first
    // The session survives the episode and serves the next caller.
    assert.equal(await p.run(A, async () => 'ok'), 'ok')
    assert.equal(p.stats().total, 1)
  })

  it('maxTotal holds across boxes: a second box waits, then gets room by evicting the idle session', async () => {
    const p = pool({ pool: { maxPerBox: 2, maxTotal: 1, acquireTimeoutSeconds: 5 } })
    const held = gate()
    const holding = gate()
    const onA = p.run(A, async () => { holding.open(); await held.promise })
    await holding.promise
    let bDone = false
    const onB = p.run(B, async (client) => {
      assert.equal(p.stats().total, 1)
      await client.noop()
      bDone = true
    })
    await eventually('box B queued behind box A', () => p.stats().waiting === 1, { timeoutMs: 1000 })
    assert.equal(bDone, false, 'box B must wait while box A holds the only session')
    assert.deepEqual(p.stats(), { total: 1, perBox: { '+15550003001': 1 }, waiting: 1 })
    held.open()
    await Promise.all([onA, onB])
    assert.equal(bDone, true)
    assert.deepEqual(p.stats(), { total: 1, perBox: { '+15550003002': 1 }, waiting: 0 })
  })

  it('an idle session is logged out after idleSeconds', async () => {
    const port = createImapPort(env.makeConfig({ imap: { pool: { idleSeconds: 1 } } }), silent)
    try {
      await Promise.all([port.listMailboxes(A), port.listMailboxes(B)])
      assert.equal(port.stats?.().total, 2)
      // idleSeconds is 1: both are gone within 1.5 s of their release.
      await eventually('the idle sessions logged out', () => {
        assert.deepEqual(port.stats?.(), { total: 0, perBox: {}, waiting: 0 })
      }, { timeoutMs: 1500 })
      // And the next call simply opens a new one.
      await port.listMailboxes(A)
      assert.equal(port.stats?.().total, 1)
    } finally {
      await port.close()
    }
  })

  it('a command running past commandTimeoutSeconds fails 503 and its session is dropped', async () => {
    const p = pool({ commandTimeoutSeconds: 1 })
    const command = gate()
    await assert.rejects(p.run(A, async () => { await command.promise }), (err: unknown) => isGatewayError(err) && err.code === 'GW_ERR_IMAP_UNAVAILABLE')
    assert.equal(p.stats().total, 0)
    command.open()
  })

  it('a session past maxSessionAgeSeconds is retired, not reused (a fresh one lists what is there)', async () => {
    const p = pool({ pool: { maxPerBox: 2, maxTotal: 10, maxSessionAgeSeconds: 1 } })
    const first = await p.run(A, async (c) => c)
    const loggedInBy = Date.now()
    assert.equal(await p.run(A, async (c) => c), first, 'a young session is reused')
    // A sleep: only age retires a session, and nothing announces that it has come of age.
    await sleep(Math.max(0, loggedInBy + 1001 - Date.now()))
    const later = await p.run(A, async (c) => c)
    assert.notEqual(later, first, 'an old one is not')
    assert.equal(first.usable, false, 'and it was logged out')
  })

  it('close() logs out every session and later calls answer 503', async () => {
    const p = pool({})
    await Promise.all([p.run(A, async (c) => await c.noop()), p.run(B, async (c) => await c.noop())])
    assert.equal(p.stats().total, 2)
    await p.close()
    assert.equal(p.stats().total, 0)
    await assert.rejects(p.run(A, async () => 'x'), (err: unknown) => isGatewayError(err) && err.code === 'GW_ERR_IMAP_UNAVAILABLE')
  })
})
