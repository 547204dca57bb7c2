import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { canonicalFlag, outputFlags, parseFlagName, sameFlagSet } from '../../../../src/nms/objects/flags.js'

describe('object flags', () => {
  it('spells system flags canonically and keeps keywords', () => {
    assert.equal(canonicalFlag('\\SEEN'), '\\Seen')
    assert.equal(canonicalFlag('$Label1'), '$Label1')
  })
  it('accepts settable flags and keywords only', () => {
    assert.equal(parseFlagName('\\seen'), '\\Seen')
    assert.equal(parseFlagName('$Forwarded'), '$Forwarded')
    for (const bad of ['\\Recent', '\\Foo', '', 'a b', 'x(y', 'a%', 'a*', 'q"', 'k]', 'ü']) {
      assert.equal(parseFlagName(bad), undefined, bad)
    }
  })
  it('drops \\Recent and case duplicates from output', () => {
    assert.deepEqual(outputFlags(['\\seen', '\\Recent', '\\SEEN', '$A']), ['\\Seen', '$A'])
  })
  it('compares sets ignoring case and order', () => {
    assert.ok(sameFlagSet(['\\Seen', '\\Flagged'], ['\\flagged', '\\seen']))
    assert.ok(!sameFlagSet(['\\Seen'], ['\\Seen', '\\Flagged']))
    assert.ok(sameFlagSet(['\\Recent'], []))
  })
})
