import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { assertOmaScope, normalizeBoxId, requiredOmaScope, resolveBox } from '../../../src/auth/authorize.js'
import type { OmaScope, Principal } from '../../../src/auth/types.js'
import { isGatewayError } from '../../../src/errors/gateway-error.js'

function principal (p: { box?: string, server?: boolean, oma?: OmaScope[] }): Principal {
  return { box: p.box, server: p.server ?? false, omaScopes: new Set(p.oma ?? []), scopes: new Set(), token: 't', subject: p.box }
}

function assertForbidden (fn: () => unknown, variable?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isGatewayError(err))
    assert.equal(err.code, 'GW_ERR_AUTH_FORBIDDEN')
    assert.equal(err.statusCode, 403)
    if (variable !== undefined) assert.deepEqual(err.variables, [variable])
    return true
  })
}

describe('normalizeBoxId', () => {
  it('trims and lower-cases the scheme only', () => {
    assert.equal(normalizeBoxId(' TEL:+1555 '), 'tel:+1555')
    assert.equal(normalizeBoxId('ACR:Auth'), 'acr:Auth')
    assert.equal(normalizeBoxId('alice'), 'alice')
  })
})

describe('resolveBox', () => {
  const user = principal({ box: 'tel:+15550000001' })
  it('lets a user token name its own box (scheme case and blanks aside), answering with the token\'s box', () => {
    assert.equal(resolveBox(user, 'tel:+15550000001'), 'tel:+15550000001')
    assert.equal(resolveBox(user, ' TEL:+15550000001'), 'tel:+15550000001')
  })
  it('forbids a user token another box (403, not 404)', () => {
    assertForbidden(() => resolveBox(user, 'tel:+15550000002'), 'boxId')
    assertForbidden(() => resolveBox(user, 'tel:+1555000000'), 'boxId')
  })
  it('resolves acr:auth to the token\'s box, case-insensitively', () => {
    assert.equal(resolveBox(user, 'acr:auth'), 'tel:+15550000001')
    assert.equal(resolveBox(user, 'ACR:AUTH'), 'tel:+15550000001')
  })
  it('forbids acr:auth when the token names no box, even with the server scope', () => {
    assertForbidden(() => resolveBox(principal({ server: true }), 'acr:auth'))
  })
  it('lets a server token name any box', () => {
    const server = principal({ server: true })
    assert.equal(resolveBox(server, 'tel:+15550000002'), 'tel:+15550000002')
    assert.equal(resolveBox(server, ' tel:+15550000003 '), 'tel:+15550000003')
  })
  it('forbids a token with neither box nor server scope everything', () => {
    assertForbidden(() => resolveBox(principal({}), 'tel:+15550000001'))
  })
})

describe('OMA scope gating', () => {
  it('defaults to read for GET/HEAD and modify otherwise', () => {
    assert.equal(requiredOmaScope('GET', undefined), 'read')
    assert.equal(requiredOmaScope('HEAD', undefined), 'read')
    for (const m of ['POST', 'PUT', 'DELETE', 'PATCH']) assert.equal(requiredOmaScope(m, undefined), 'modify')
    assert.equal(requiredOmaScope('POST', 'read'), 'read')
    assert.equal(requiredOmaScope('POST', 'create'), 'create')
  })
  it('does not restrict a token without OMA scopes', () => {
    for (const s of ['read', 'modify', 'create', 'subscription'] as const) assertOmaScope(principal({ server: true }), s)
  })
  it('lets all cover everything', () => {
    for (const s of ['read', 'modify', 'create', 'subscription'] as const) assertOmaScope(principal({ oma: ['all'] }), s)
  })
  it('forbids a route outside the token\'s OMA scopes, naming the scope needed', () => {
    const reader = principal({ oma: ['read'] })
    assertOmaScope(reader, 'read')
    assertForbidden(() => assertOmaScope(reader, 'modify'), 'oma_rest_nms.modify')
    assertForbidden(() => assertOmaScope(reader, 'create'), 'oma_rest_nms.create')
    assertForbidden(() => assertOmaScope(principal({ oma: ['modify', 'create'] }), 'subscription'), 'oma_rest_nms.subscription')
  })
})
