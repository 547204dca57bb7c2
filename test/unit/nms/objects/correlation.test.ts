/**
 * The deployed-client SMS correlationTag (nms-client-profile.md 3.1). Expected values were
 * computed independently (Python hashlib: first 8 MD5 bytes as big-endian hex, no leading zeros).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { e164, smsCorrelationTag, stripAngles } from '../../../../src/nms/objects/correlation.js'

describe('e164', () => {
  it('normalises numbers the way the client does', () => {
    assert.equal(e164('tel:+15557654321'), '+15557654321')
    assert.equal(e164('5557654321'), '+15557654321')
    assert.equal(e164('(555) 765-4321'), '+15557654321')
    assert.equal(e164('445557654321'), '+445557654321')
    assert.equal(e164('12345'), '12345')
    assert.equal(e164('tel:+15557654321;phone-context=x'), '+15557654321')
  })
})

describe('smsCorrelationTag', () => {
  it('hashes ":::" + number + "::" + body for received messages', () => {
    // md5(':::+15557654321::hello') = 79eff053eeb25353 9d58ae20786709b5
    assert.equal(smsCorrelationTag('In', 'tel:+15557654321', 'hello'), '79eff053eeb25353')
    assert.equal(smsCorrelationTag('In', '5557654321', 'hello'), '79eff053eeb25353')
  })
  it('hashes number + ":::::" + body for sent messages', () => {
    assert.equal(smsCorrelationTag('Out', '+15557654321', 'hello'), 'd62427ae893d9d6d')
  })
  it('hashes the UTF-8 bytes of the text', () => {
    assert.equal(smsCorrelationTag('In', '+15557654321', 'Grüße 👋'), '6c19038f98d2f6a8')
    assert.equal(smsCorrelationTag('In', '445557654321', 'x'), '3e523e05b286e6c3')
  })
  it('prints no leading zeros', () => {
    // md5(':::+15551230000::msg 25') = 085ee131b0d5031a...
    assert.equal(smsCorrelationTag('In', '+15551230000', 'msg 25'), '85ee131b0d5031a')
  })
})

describe('stripAngles', () => {
  it('removes one pair of angle brackets', () => {
    assert.equal(stripAngles(' <a@b> '), 'a@b')
    assert.equal(stripAngles('a@b'), 'a@b')
  })
})
