import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { imapUserFor } from '../../../src/imap/imap-user.js'

describe('imapUserFor', () => {
  it('strips the URI scheme for {user}', () => {
    assert.equal(imapUserFor('{user}', 'tel:+15551234567'), '+15551234567')
    assert.equal(imapUserFor('{user}', 'mailto:alice@example.com'), 'alice@example.com')
    assert.equal(imapUserFor('{user}', 'sip:bob@example.com'), 'bob@example.com')
  })
  it('keeps a boxId without a scheme as it is', () => {
    assert.equal(imapUserFor('{user}', '+15551234567'), '+15551234567')
  })
  it('puts the raw boxId for {boxId} and mixes placeholders with text', () => {
    assert.equal(imapUserFor('{boxId}', 'tel:+1555'), 'tel:+1555')
    assert.equal(imapUserFor('{user}@nms.example', 'tel:+1555'), '+1555@nms.example')
    assert.equal(imapUserFor('{user}/{boxId}', 'tel:+1555'), '+1555/tel:+1555')
  })
  it('does not re-expand placeholders found in the boxId', () => {
    assert.equal(imapUserFor('{user}', 'tel:{boxId}'), '{boxId}')
  })
  it('refuses CR, LF, NUL and empty results', () => {
    for (const bad of ['tel:+1\r\n', 'tel:a\nb', 'tel:a\0b', 'tel:']) {
      assert.throws(() => imapUserFor('{user}', bad), (err: unknown) => (err as { code?: string }).code === 'GW_ERR_INPUT_INVALID', JSON.stringify(bad))
    }
  })
})
