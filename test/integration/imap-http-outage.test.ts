/**
 * The HTTP face of an IMAP outage (architecture.md section 10): with Dovecot down, an NMS
 * request answers 503 with an integer `Retry-After` and a requestError (SVC2001), never a 500;
 * once Dovecot is back, the same request succeeds without restarting the gateway.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { eventually } from '../helpers/eventually.js'

const BOX = 'tel:+15550005001'

describe('HTTP while IMAP is down', () => {
  let env: TestEnv

  before(async () => {
    env = await startTestEnv({
      boxes: [BOX],
      noRedis: true,
      config: { imap: { connectTimeoutSeconds: 2, backoff: { initialMs: 100, maxMs: 300 } } }
    })
  })
  after(async () => { await env.close() })

  it('answers 503 + Retry-After + requestError, then recovers', async () => {
    const url = `${env.base(BOX)}/folders/operations/pathToId?path=/INBOX`
    await env.dovecot.stop()
    const down = await env.gateway.app.inject({ method: 'GET', url, headers: await env.auth(BOX) })
    assert.equal(down.statusCode, 503, down.body)
    assert.match(String(down.headers['retry-after']), /^[1-9][0-9]*$/)
    const body = down.json()
    assert.equal(body.requestError.serviceException.messageId, 'SVC2001')

    await env.dovecot.start()
    const up = await eventually('the request to succeed after the restart', async () => {
      const res = await env.gateway.app.inject({ method: 'GET', url, headers: await env.auth(BOX) })
      assert.equal(res.statusCode, 200, res.body)
      return res
    }, { intervalMs: 100 })
    assert.equal(up.statusCode, 200, up.body)
    assert.ok(up.json().reference.resourceURL.includes('/folders/'), up.body)
  })
})
