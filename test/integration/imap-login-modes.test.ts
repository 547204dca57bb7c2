/**
 * The three IMAP login modes of the session pool against the real Dovecot (architecture.md
 * section 7): SASL PLAIN with authzid, Dovecot's `user*master` LOGIN, and OAUTHBEARER with the
 * caller's token validated locally by Dovecot's oauth2 passdb. Refused logins fail fast.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import pino from 'pino'
import { SignJWT } from 'jose'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { createImapPort } from '../../src/imap/create-imap-port.js'
import type { ImapPort } from '../../src/imap/types.js'
import { isGatewayError } from '../../src/errors/gateway-error.js'

const BOX = 'tel:+15550001001'
const OTHER = 'tel:+15550001002'
const hs256Key = randomBytes(32)
const silent = pino({ level: 'silent' })

/** A token Dovecot's oauth2 passdb accepts: `typ: JWT` is required by Dovecot 2.3 local validation. */
async function imapToken (sub: string, key = hs256Key): Promise<string> {
  return await new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime('5m').sign(key)
}

interface Rejection { code: string, statusCode: number, headers: Readonly<Record<string, string>>, ms: number }

async function rejection (p: Promise<unknown>): Promise<Rejection> {
  const t0 = Date.now()
  try {
    await p
  } catch (err) {
    assert.ok(isGatewayError(err), `expected a GatewayError, got ${String(err)}`)
    return { code: err.code, statusCode: err.statusCode, headers: err.headers, ms: Date.now() - t0 }
  }
  assert.fail('expected a rejection')
}

describe('IMAP login modes', () => {
  let env: TestEnv
  const ports: ImapPort[] = []
  const port = (extra: Record<string, unknown> = {}, envVars: Record<string, string> = {}): ImapPort => {
    const p = createImapPort(env.makeConfig(extra, envVars), silent)
    ports.push(p)
    return p
  }

  before(async () => {
    env = await startTestEnv({ boxes: [BOX, OTHER], noGateway: true, noRedis: true, dovecot: { oauth2: { hs256Key } } })
    // A mailbox only BOX has, so a listing proves whose account the session logged into.
    const c = await env.imap(BOX)
    await c.mailboxCreate('OnlyInBox1001')
    await c.logout()
  })
  after(async () => {
    await Promise.all(ports.map(async (p) => { await p.close() }))
    await env.close()
  })

  it('authzid: the master user impersonates the box user via SASL PLAIN', async () => {
    const list = await port().listMailboxes({ boxId: BOX })
    assert.deepEqual(list.map((m) => m.path).sort(), ['INBOX', 'OnlyInBox1001'])
    const other = await port().listMailboxes({ boxId: OTHER })
    assert.deepEqual(other.map((m) => m.path), ['INBOX'])
  })

  it('separator: LOGIN user*master with the master password', async () => {
    const list = await port({}, { NMS_IMAP_AUTH: 'separator' }).listMailboxes({ boxId: BOX })
    assert.deepEqual(list.map((m) => m.path).sort(), ['INBOX', 'OnlyInBox1001'])
  })

  it('oauthbearer: forwards the caller\'s token, which Dovecot validates', async () => {
    const p = port({}, { NMS_IMAP_AUTH: 'oauthbearer' })
    const list = await p.listMailboxes({ boxId: BOX, accessToken: await imapToken('+15550001001') })
    assert.deepEqual(list.map((m) => m.path).sort(), ['INBOX', 'OnlyInBox1001'])
  })

  it('oauthbearer: a token Dovecot refuses answers 401 with WWW-Authenticate, fast', async () => {
    const p = port({}, { NMS_IMAP_AUTH: 'oauthbearer' })
    const forged = await rejection(p.listMailboxes({ boxId: OTHER, accessToken: await imapToken('+15550001002', randomBytes(32)) }))
    assert.equal(forged.code, 'GW_ERR_AUTH_MISSING')
    assert.equal(forged.statusCode, 401)
    assert.match(forged.headers['WWW-Authenticate'] ?? '', /^Bearer realm="nms", error="invalid_token"$/)
    assert.ok(forged.ms < 5000, `took ${forged.ms} ms`)
    // Token for another user than the box: Dovecot compares the sub claim with the login name.
    const wrongUser = await rejection(p.listMailboxes({ boxId: OTHER, accessToken: await imapToken('+15550001001') }))
    assert.equal(wrongUser.code, 'GW_ERR_AUTH_MISSING')
    const missing = await rejection(p.listMailboxes({ boxId: OTHER }))
    assert.equal(missing.code, 'GW_ERR_AUTH_MISSING')
  })

  it('a wrong master password is refused with POL2001 within a couple of seconds, no backoff', async () => {
    const p = port({}, { NMS_IMAP_MASTER_PASSWORD: 'not-the-password' })
    const first = await rejection(p.listMailboxes({ boxId: BOX }))
    assert.equal(first.code, 'GW_ERR_IMAP_LOGIN_REFUSED')
    assert.equal(first.statusCode, 403)
    assert.ok(first.ms < 4000, `took ${first.ms} ms`)
    // A refused login is not an outage: the next call tries again and is refused again (not 503).
    const second = await rejection(p.listMailboxes({ boxId: BOX }))
    assert.equal(second.code, 'GW_ERR_IMAP_LOGIN_REFUSED')
    assert.equal(p.stats?.().total, 0)
  })

  it('an unknown box user is refused with POL2001 in both master-user modes', async () => {
    const modes = ['authzid', 'separator']
    const results = await Promise.all(modes.map(async (mode) => await rejection(port({}, { NMS_IMAP_AUTH: mode }).listMailboxes({ boxId: 'tel:+19999999999' }))))
    results.forEach((r, i) => {
      assert.equal(r.code, 'GW_ERR_IMAP_LOGIN_REFUSED', modes[i])
      assert.ok(r.ms < 4000, `${String(modes[i])} took ${r.ms} ms`)
    })
  })
})
