import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { classifyImapError, isUnavailableError, responseDetail } from '../../../src/imap/classify-error.js'
import { GatewayError } from '../../../src/errors/gateway-error.js'

/** The shape imapflow 2.1.2 gives a tagged NO/BAD after enhanceCommandError(). */
function commandError (status: 'NO' | 'BAD', code: string | undefined, text: string): Error {
  return Object.assign(new Error('Command failed'), {
    responseStatus: status,
    responseText: text,
    response: `A1 ${status} ${code === undefined ? '' : `[${code}] `}${text}`,
    ...(code === undefined ? {} : { serverResponseCode: code })
  })
}

const authFailed = Object.assign(commandError('NO', 'AUTHENTICATIONFAILED', 'Authentication failed.'), { authenticationFailed: true })

describe('classifyImapError', () => {
  it('maps a refused login to 403 POL2001 in the master-user modes', () => {
    for (const mode of ['authzid', 'separator'] as const) {
      const e = classifyImapError(authFailed, { mode, boxId: 'tel:+1555' })
      assert.equal(e.code, 'GW_ERR_IMAP_LOGIN_REFUSED')
      assert.equal(e.statusCode, 403)
      assert.deepEqual(e.variables, ['tel:+1555'])
      assert.match(e.detail ?? '', /\[AUTHENTICATIONFAILED\]/)
    }
  })
  it('maps AUTHORIZATIONFAILED (no authenticationFailed flag) to POL2001 too', () => {
    const e = classifyImapError(commandError('NO', 'AUTHORIZATIONFAILED', 'Not allowed'), { mode: 'authzid' })
    assert.equal(e.code, 'GW_ERR_IMAP_LOGIN_REFUSED')
  })
  it('maps a refused login to 401 with WWW-Authenticate in oauthbearer mode', () => {
    const e = classifyImapError(authFailed, { mode: 'oauthbearer' })
    assert.equal(e.code, 'GW_ERR_AUTH_MISSING')
    assert.equal(e.statusCode, 401)
    assert.equal(e.headers['WWW-Authenticate'], 'Bearer realm="nms", error="invalid_token"')
  })
  it('maps transport failures and timeouts to 503 with an integer Retry-After', () => {
    const codes = ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'ECONNRESET', 'NoConnection', 'GREETING_TIMEOUT', 'CONNECT_TIMEOUT', 'ETIMEOUT', 'EConnectionClosed']
    for (const code of codes) {
      const e = classifyImapError(Object.assign(new Error(code), { code }), { mode: 'authzid', retryAfterMs: 2500 })
      assert.equal(e.code, 'GW_ERR_IMAP_UNAVAILABLE', code)
      assert.equal(e.statusCode, 503)
      assert.equal(e.headers['Retry-After'], '3', code)
    }
  })
  it('maps a socket closed before any code to 503 with Retry-After >= 1', () => {
    const e = classifyImapError(new Error('Unexpected close'), { mode: 'authzid' })
    assert.equal(e.code, 'GW_ERR_IMAP_UNAVAILABLE')
    assert.equal(e.headers['Retry-After'], '1')
  })
  it('maps [UNAVAILABLE] answers to 503', () => {
    assert.equal(classifyImapError(commandError('NO', 'UNAVAILABLE', 'Internal error'), { mode: 'authzid' }).code, 'GW_ERR_IMAP_UNAVAILABLE')
  })
  it('maps [NONEXISTENT] and imapflow NotFound to 404 and keeps the answer in detail', () => {
    const e = classifyImapError(commandError('NO', 'NONEXISTENT', 'Mailbox doesn\'t exist: X'), { mode: 'authzid' })
    assert.equal(e.code, 'GW_ERR_NOT_FOUND')
    assert.equal(e.detail, 'NO [NONEXISTENT] Mailbox doesn\'t exist: X')
    assert.equal(classifyImapError(Object.assign(new Error('Mailbox doesn\'t exist: X'), { code: 'NotFound' }), { mode: 'authzid' }).code, 'GW_ERR_NOT_FOUND')
  })
  it('maps other NO/BAD answers to 502 with the response code in detail', () => {
    const e = classifyImapError(commandError('NO', 'ALREADYEXISTS', 'Mailbox already exists'), { mode: 'authzid' })
    assert.equal(e.code, 'GW_ERR_IMAP_FAILED')
    assert.equal(e.statusCode, 502)
    assert.equal(e.detail, 'NO [ALREADYEXISTS] Mailbox already exists')
    assert.equal(classifyImapError(commandError('BAD', undefined, 'Invalid arguments'), { mode: 'authzid' }).code, 'GW_ERR_IMAP_FAILED')
  })
  it('passes GatewayErrors through unchanged', () => {
    const g = new GatewayError('GW_ERR_INPUT_INVALID', { variables: ['x'] })
    assert.equal(classifyImapError(g, { mode: 'authzid' }), g)
  })
})

describe('isUnavailableError / responseDetail', () => {
  it('does not treat a NO answer as unavailability', () => {
    assert.equal(isUnavailableError(commandError('NO', undefined, 'connection closed by policy')), false)
    assert.equal(isUnavailableError(authFailed), false)
    assert.equal(isUnavailableError(new TypeError('x is undefined')), false)
  })
  it('renders status, code and text', () => {
    assert.equal(responseDetail(commandError('NO', 'LIMIT', 'Too many')), 'NO [LIMIT] Too many')
    assert.equal(responseDetail('plain'), 'plain')
  })
})
