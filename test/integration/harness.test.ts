/**
 * The test harness itself (issue 2 item 3): private Dovecot and Redis on free loopback ports in
 * temporary directories, a master user usable through SASL PLAIN authzid and `user*master`,
 * several instances side by side, and nothing left behind.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import net from 'node:net'
import { ImapFlow } from 'imapflow'
import { Redis } from 'ioredis'
import { startDovecot } from '../../src/devenv/dovecot-server.js'
import { startRedis } from '../../src/devenv/redis-server.js'

async function login (port: number, auth: { user: string, pass: string, authzid?: string, loginMethod?: string }): Promise<string> {
  const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, logger: false, auth })
  client.on('error', () => {})
  try {
    await client.connect()
    const list = await client.list()
    await client.logout()
    return list.map((m) => m.path).sort().join(',')
  } finally {
    client.close()
  }
}

async function refused (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    s.on('connect', () => { s.destroy(); resolve(false) })
    s.on('error', () => resolve(true))
  })
}

describe('test harness', () => {
  it('runs two Dovecots side by side with master-user logins in both forms', async () => {
    const [a, b] = await Promise.all([
      startDovecot({ users: [{ name: 'alice', password: 'pw-a' }] }),
      startDovecot({ users: [{ name: 'alice', password: 'pw-b' }] })
    ])
    try {
      assert.notEqual(a.port, b.port)
      assert.notEqual(a.dir, b.dir)
      const own = await login(a.port, { user: 'alice', pass: 'pw-a' })
      assert.match(own, /INBOX/)
      await assert.rejects(login(b.port, { user: 'alice', pass: 'pw-a' }), 'each instance has its own users')
      const viaAuthzid = await login(a.port, { user: a.master.name, pass: a.master.password, authzid: 'alice', loginMethod: 'AUTH=PLAIN' })
      assert.equal(viaAuthzid, own)
      const viaSeparator = await login(a.port, { user: `alice${a.masterSeparator}${a.master.name}`, pass: a.master.password })
      assert.equal(viaSeparator, own)
      await assert.rejects(login(a.port, { user: a.master.name, pass: 'wrong', authzid: 'alice', loginMethod: 'AUTH=PLAIN' }))

      await a.addUser({ name: 'bob', password: 'pw-bob' })
      assert.match(await login(a.port, { user: 'bob', pass: 'pw-bob' }), /INBOX/)
    } finally {
      await Promise.all([a.close(), b.close()])
    }
    assert.equal(existsSync(a.dir), false, 'temporary directory removed')
    assert.equal(await refused(a.port), true, 'port released')
  })

  it('stops and restarts Dovecot on the same port keeping the mail', async () => {
    const d = await startDovecot({ users: [{ name: 'carol', password: 'pw' }] })
    try {
      const c = new ImapFlow({ host: d.host, port: d.port, secure: false, doSTARTTLS: false, logger: false, auth: { user: 'carol', pass: 'pw' } })
      c.on('error', () => {})
      await c.connect()
      await c.mailboxCreate('Keep')
      await c.logout()
      await d.stop()
      assert.equal(await refused(d.port), true)
      await d.start()
      assert.match(await login(d.port, { user: 'carol', pass: 'pw' }), /Keep/)
    } finally {
      await d.close()
    }
  })

  it('runs a private redis-server without persistence that can be stopped and restarted', async () => {
    const r = await startRedis()
    const client = new Redis(r.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    client.on('error', () => {})
    try {
      await client.connect()
      assert.equal(await client.ping(), 'PONG')
      assert.deepEqual(await client.config('GET', 'save'), ['save', ''])
      assert.deepEqual(await client.config('GET', 'appendonly'), ['appendonly', 'no'])
      client.disconnect()
      await r.stop()
      assert.equal(await refused(r.port), true)
      await r.start()
      const again = new Redis(r.url, { maxRetriesPerRequest: 0 })
      assert.equal(await again.ping(), 'PONG')
      again.disconnect()
    } finally {
      await r.close()
    }
    assert.equal(await refused(r.port), true)
  })
})
