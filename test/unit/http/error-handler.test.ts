import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { toGatewayError, validationPart } from '../../../src/http/plugins/error-handler.js'
import { GatewayError } from '../../../src/errors/gateway-error.js'
import { toFailure, toRequestErrorBody } from '../../../src/errors/to-nms-body.js'

describe('validationPart', () => {
  it('names the nested property of a body error', () => {
    assert.equal(validationPart('body', [{ instancePath: '/folder/name', message: 'must be string' }]), 'folder.name')
  })
  it('names a missing required property', () => {
    assert.equal(validationPart('body', [{ instancePath: '/selectionCriteria', params: { missingProperty: 'maxEntries' } }]), 'selectionCriteria.maxEntries')
  })
  it('names a querystring parameter', () => {
    assert.equal(validationPart('querystring', [{ instancePath: '/maxEntries' }]), 'maxEntries')
  })
  it('falls back to the context when there is no path', () => {
    assert.equal(validationPart('body', [{ instancePath: '', message: 'must be object' }]), 'body')
  })
})

describe('toGatewayError', () => {
  it('keeps gateway errors as they are', () => {
    const e = new GatewayError('GW_ERR_NOT_FOUND', { variables: ['x'] })
    assert.equal(toGatewayError(e, 'r1'), e)
  })
  it('maps fastify body-limit, media-type and JSON errors', () => {
    assert.equal(toGatewayError(Object.assign(new Error('big'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }), 'r').code, 'GW_ERR_BODY_TOO_LARGE')
    assert.equal(toGatewayError(Object.assign(new Error('mt'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }), 'r').code, 'GW_ERR_MEDIA_TYPE_UNSUPPORTED')
    assert.equal(toGatewayError(Object.assign(new SyntaxError('bad json'), { statusCode: 400 }), 'r').code, 'GW_ERR_INPUT_INVALID')
  })
  it('turns validation errors into SVC0002 naming the part', () => {
    const err = Object.assign(new Error('v'), { validation: [{ instancePath: '/folder/name' }], validationContext: 'body' })
    const gw = toGatewayError(err, 'r')
    assert.equal(gw.code, 'GW_ERR_INPUT_INVALID')
    assert.deepEqual(gw.variables, ['folder.name'])
  })
  it('turns anything else into a 500 carrying the request id, never leaking the message', () => {
    const gw = toGatewayError(new TypeError('secret internals'), 'req-42')
    assert.equal(gw.code, 'GW_ERR_INTERNAL')
    assert.deepEqual(gw.variables, ['req-42'])
    assert.ok(!JSON.stringify(toRequestErrorBody(gw)).includes('secret internals'))
  })
})

describe('NMS error bodies', () => {
  it('renders a serviceException with the template and variables', () => {
    const body = toRequestErrorBody(new GatewayError('GW_ERR_INPUT_INVALID', { variables: ['folder.name'] }))
    assert.deepEqual(body, { requestError: { serviceException: { messageId: 'SVC0002', text: 'Invalid input value for message part %1', variables: ['folder.name'] } } })
  })
  it('renders a policyException and links', () => {
    const f = toFailure(new GatewayError('GW_ERR_FOLDER_CREATE_PROHIBITED', { variables: ['/Default'], links: [{ rel: 'folder', href: 'https://x/f' }] }))
    assert.deepEqual(f, { link: [{ rel: 'folder', href: 'https://x/f' }], policyException: { messageId: 'POL1031', text: 'Attempt to create objects or folders under %1 is prohibited', variables: ['/Default'] } })
  })
})
