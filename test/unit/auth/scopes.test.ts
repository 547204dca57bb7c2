import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { omaScopesOf, tokenScopes } from '../../../src/auth/scopes.js'
import { principalFromClaims } from '../../../src/auth/principal.js'

describe('tokenScopes', () => {
  it('splits `scope` on any whitespace and merges `scp` (array or string)', () => {
    assert.deepEqual([...tokenScopes({ scope: ' a\tb  c ', scp: ['d e', 'f', 7], other: 'x' })].sort(), ['a', 'b', 'c', 'd', 'e', 'f'])
    assert.deepEqual([...tokenScopes({ scp: 'g h' })].sort(), ['g', 'h'])
  })
  it('ignores scope claims of the wrong type', () => {
    assert.equal(tokenScopes({ scope: 42, scp: { a: 1 } }).size, 0)
  })
})

describe('omaScopesOf', () => {
  it('maps the OMA NMS scopes, any all_v<N> to all', () => {
    assert.deepEqual([...omaScopesOf(['oma_rest_nms.all_v1'])], ['all'])
    assert.deepEqual([...omaScopesOf(['oma_rest_nms.all_v3'])], ['all'])
    assert.deepEqual(
      [...omaScopesOf(['oma_rest_nms.read', 'oma_rest_nms.modify', 'oma_rest_nms.create', 'oma_rest_nms.subscription'])].sort(),
      ['create', 'modify', 'read', 'subscription']
    )
  })
  it('ignores look-alikes and other APIs\' scopes (scopes are case-sensitive)', () => {
    const none = ['oma_rest_nms.all', 'oma_rest_nms.all_vx', 'OMA_REST_NMS.READ', 'oma_rest_nms.read2',
      'oma_rest_notificationchannel.all_v1', 'xoma_rest_nms.read', 'nms:server']
    assert.equal(omaScopesOf(none).size, 0)
  })
})

describe('principalFromClaims', () => {
  const auth = { boxClaim: 'sub', serverScope: 'nms:server' }
  it('trims the box and ignores an empty or non-string box claim', () => {
    assert.equal(principalFromClaims({ sub: '  tel:+1555 ' }, 't', auth).box, 'tel:+1555')
    assert.equal(principalFromClaims({ sub: '   ' }, 't', auth).box, undefined)
    assert.equal(principalFromClaims({ sub: 12 }, 't', auth).box, undefined)
  })
  it('grants the server flag only for the exact server scope', () => {
    assert.equal(principalFromClaims({ scope: 'nms:server' }, 't', auth).server, true)
    assert.equal(principalFromClaims({ scope: 'nms:serverx NMS:SERVER' }, 't', auth).server, false)
  })
})
