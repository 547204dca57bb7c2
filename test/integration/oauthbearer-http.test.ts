/**
 * `NMS_IMAP_AUTH=oauthbearer` end to end: the caller's Bearer token, verified by the gateway,
 * is forwarded to IMAP with SASL OAUTHBEARER (RFC 7628) and validated again by Dovecot. The
 * token names the NMS box in a `box` claim (`NMS_AUTH_BOX_CLAIM`) and the IMAP user in `sub`.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, imapUserOf, type TestEnv } from '../helpers/env.js'

const BOX = 'tel:+15550003001'
const OTHER = 'tel:+15550003002'
let env: TestEnv

before(async () => {
  env = await startTestEnv({
    boxes: [BOX, OTHER],
    dovecotOauth2: { usernameAttribute: 'sub' },
    env: { NMS_IMAP_AUTH: 'oauthbearer', NMS_AUTH_BOX_CLAIM: 'box' }
  })
  const c = await env.imap(BOX)
  await c.mailboxCreate('OnlyViaToken')
  await c.logout()
})
after(async () => { await env.close() })

interface Answer { statusCode: number, body: string, headers: Record<string, unknown> }

async function pathToId (box: string, path: string, claims: Record<string, unknown>): Promise<Answer> {
  const res = await env.gateway.app.inject({
    method: 'GET',
    url: `${env.base(box)}/folders/operations/pathToId?path=${encodeURIComponent(path)}`,
    headers: { authorization: `Bearer ${await env.token(undefined, claims)}` }
  })
  return { statusCode: res.statusCode, body: res.body, headers: res.headers }
}

describe('oauthbearer login mode over HTTP', () => {
  it('reaches the box with the caller\'s own token', async () => {
    const res = await pathToId(BOX, '/OnlyViaToken', { box: BOX, sub: imapUserOf(BOX) })
    assert.equal(res.statusCode, 200, res.body)
    assert.match(res.body, /"reference"/)
  })

  it('answers 401 when IMAP refuses the forwarded token', async () => {
    // The gateway accepts the token (box claim matches the URL), but Dovecot compares `sub` with
    // the IMAP login and refuses: the caller must get a 401 challenge, not a hang or a 5xx.
    const res = await pathToId(OTHER, '/INBOX', { box: OTHER, sub: imapUserOf(BOX) })
    assert.equal(res.statusCode, 401, res.body)
    assert.match(String(res.headers['www-authenticate']), /^Bearer /)
    assert.match(res.body, /"requestError"/)
  })
})
