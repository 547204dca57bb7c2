import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import { loadConfig } from '../../../src/config/load.js'
import { authOptions, imapflowLogger, sessionOptions, transportOptions } from '../../../src/imap/client-options.js'

function config (env: Record<string, string> = {}): ReturnType<typeof loadConfig> {
  return loadConfig({
    env: {
      NMS_IMAP_MASTER_USER: 'master',
      NMS_IMAP_MASTER_PASSWORD: 'secret',
      NMS_AUTH_HS256_SECRET: 'x'.repeat(40),
      NMS_AUTH_ALGORITHMS: 'HS256',
      ...env
    }
  })
}

describe('IMAP client options', () => {
  it('authzid: SASL PLAIN as the master user on behalf of the box user', () => {
    assert.deepEqual(authOptions(config().imap, '+1555', undefined), { user: 'master', pass: 'secret', authzid: '+1555', loginMethod: 'AUTH=PLAIN' })
  })
  it('separator: LOGIN user{separator}master with the master password', () => {
    const imap = config({ NMS_IMAP_AUTH: 'separator' }).imap
    assert.deepEqual(authOptions(imap, '+1555', 'ignored'), { user: '+1555*master', pass: 'secret', loginMethod: 'LOGIN' })
  })
  it('oauthbearer: the caller\'s token, and 401 without one', () => {
    const imap = config({ NMS_IMAP_AUTH: 'oauthbearer' }).imap
    assert.deepEqual(authOptions(imap, '+1555', 'tok'), { user: '+1555', accessToken: 'tok' })
    assert.throws(() => authOptions(imap, '+1555', undefined), (err: unknown) => (err as { code?: string }).code === 'GW_ERR_AUTH_MISSING')
  })
  it('maps security to implicit TLS, mandatory STARTTLS or cleartext', () => {
    assert.deepEqual(
      [['tls', true, false], ['starttls', false, true], ['none', false, false]].map(([security]) => {
        const t = transportOptions(config({ NMS_IMAP_SECURITY: String(security) }).imap)
        return [security, t.secure, t.doSTARTTLS]
      }),
      [['tls', true, false], ['starttls', false, true], ['none', false, false]]
    )
    assert.deepEqual(transportOptions(config({ NMS_IMAP_TLS_REJECT_UNAUTHORIZED: 'false' }).imap).tls, { rejectUnauthorized: false })
  })
  it('takes timeouts from the configuration and keeps the socket watchdog beyond idle eviction', () => {
    const o = sessionOptions(config(), pino({ level: 'silent' }), '+1555', undefined)
    assert.equal(o.connectionTimeout, 10_000)
    assert.equal(o.greetingTimeout, 10_000)
    assert.ok((o.socketTimeout ?? 0) > 300_000)
    assert.equal(o.disableAutoIdle, true)
  })
  it('gives imapflow a logger only when debug is on, and only at debug level', () => {
    assert.equal(imapflowLogger(pino({ level: 'info' })), false)
    const lines: string[] = []
    const logger = pino({ level: 'debug' }, { write: (l: string) => { lines.push(l) } })
    const flow = imapflowLogger(logger)
    assert.ok(flow !== false && flow !== undefined)
    flow.info({ msg: 'User authenticated' })
    flow.error({ msg: 'boom' })
    assert.deepEqual(lines.map((l) => JSON.parse(l).level), [20, 20])
    assert.equal(JSON.parse(lines[0] ?? '{}').component, 'imapflow')
  })
})
