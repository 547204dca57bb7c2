import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { bearerToken } from '../../../src/auth/bearer-token.js'

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'

describe('bearerToken', () => {
  it('reads the Bearer scheme case-insensitively', () => {
    for (const scheme of ['Bearer', 'BEARER', 'bearer', 'bEaReR']) assert.equal(bearerToken(`${scheme} ${JWT}`), JWT)
  })
  it('drops the AT&T PAT_ prefix', () => {
    assert.equal(bearerToken(`Bearer PAT_${JWT}`), JWT)
  })
  it('accepts the T-Mobile SIT scheme as an alias', () => {
    assert.equal(bearerToken(`SIT ${JWT}`), JWT)
  })
  it('tolerates surrounding and repeated blanks', () => {
    assert.equal(bearerToken(`  Bearer   ${JWT}  `), JWT)
  })
  it('has nothing for a missing, empty or foreign header', () => {
    for (const h of [undefined, '', 'Bearer', 'Bearer ', 'Bearer PAT_', `Basic ${JWT}`, `Bearer ${JWT} extra`, JWT, 'Digest a=b']) {
      assert.equal(bearerToken(h), undefined, String(h))
    }
  })
})
