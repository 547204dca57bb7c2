/**
 * README's error table is the catalogue (style-and-layout.md rule 12), and the catalogue follows
 * the NMS error conventions (nms-spec-digest.md section 6).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { ERROR_CODES } from '../../src/errors/codes.js'
import { renderErrorTable } from './readme-tables.js'

describe('error catalogue', () => {
  it('README contains the error table generated from ERROR_CODES', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const table = renderErrorTable()
    assert.ok(readme.includes(`${table}\n`), `README.md must contain verbatim:\n${table}`)
  })

  it('follows the naming and NMS exception conventions', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      assert.match(code, /^GW_ERR_[A-Z]+(_[A-Z]+)*$/, code)
      assert.match(spec.messageId, /^(SVC|POL)\d{4}$/, code)
      // OMA: SVCnnnn ids are ServiceExceptions, POLnnnn ids are PolicyExceptions.
      assert.equal(spec.kind, spec.messageId.startsWith('SVC') ? 'serviceException' : 'policyException', code)
      assert.ok(spec.status >= 400 && spec.status <= 599, code)
      assert.ok(spec.when.trim().length > 0, `${code} needs a README line`)
    }
  })

  it('answers 503 only with codes whose README line mentions Retry-After', () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      if (spec.status === 503) assert.match(spec.when, /Retry-After/, code)
    }
  })
})
