import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { addressValues, bareAddress, formatAddress, splitAddressList } from '../../../../src/nms/objects/addresses.js'

describe('address attributes', () => {
  it('keeps tel: and sip: URIs as given', () => {
    assert.deepEqual(addressValues(['tel:+15551234567, <sip:bob@example.net>'], []), ['tel:+15551234567', 'sip:bob@example.net'])
  })
  it('keeps bare numbers', () => {
    assert.deepEqual(addressValues(['+15551234567'], [{ address: '+15551234567' }]), ['+15551234567'])
  })
  it('takes e-mail addresses from the envelope, as name-addr when named', () => {
    const env = [{ name: 'Doe, Jöhn', address: 'j@example.com' }, { address: 'k@example.com' }]
    // The decoded header would split badly at the comma inside the decoded name.
    assert.deepEqual(addressValues(['Doe, Jöhn <j@example.com>, k@example.com'], env), ['"Doe, Jöhn" <j@example.com>', 'k@example.com'])
  })
  it('formats names without specials unquoted', () => {
    assert.equal(formatAddress({ name: 'Ann Lee', address: 'a@x.org' }), 'Ann Lee <a@x.org>')
    assert.equal(formatAddress({ name: 'a@x.org', address: 'a@x.org' }), 'a@x.org')
  })
  it('splits at top-level commas only and skips empty groups', () => {
    assert.deepEqual(splitAddressList('"a, b" <a@x>, (c, d) e@x, f@x'), ['"a, b" <a@x>', '(c, d) e@x', 'f@x'])
    assert.deepEqual(addressValues(['undisclosed-recipients:;'], []), [])
  })
  it('finds the bare address of a value', () => {
    assert.equal(bareAddress('Ann <a@x.org>'), 'a@x.org')
    assert.equal(bareAddress('tel:+1555'), 'tel:+1555')
  })
})
