import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { compileFolderCriteria, type SearchableFolder } from '../../../../src/nms/folders/search-criteria.js'
import { parseDateRange, parseLenientDate } from '../../../../src/nms/search/criteria-common.js'
import { isGatewayError } from '../../../../src/errors/gateway-error.js'

const inbox: SearchableFolder = { name: 'INBOX', date: '2024-01-10T12:00:00Z', attributes: [{ name: 'Name', value: ['INBOX'] }, { name: 'Root', value: ['Yes'] }, { name: 'Date', value: ['2024-01-10T12:00:00Z'] }] }
const conv: SearchableFolder = {
  name: 'conv-42',
  date: '2024-02-01T08:00:00Z',
  attributes: [{ name: 'Name', value: ['conv-42'] }, { name: 'Date', value: ['2024-02-01T08:00:00Z'] }, { name: 'Conversation-ID', value: ['Abc-1'] }]
}

function errorOf (fn: () => unknown): { code: string, variables: readonly string[] } {
  try {
    fn()
  } catch (err) {
    assert.ok(isGatewayError(err))
    return { code: err.code, variables: err.variables }
  }
  assert.fail('no error')
}

describe('folder search criteria', () => {
  it('matches everything without criteria', () => {
    assert.ok(compileFolderCriteria(undefined)(conv))
  })

  it('discovers roots with Root=Yes, name and value in any case', () => {
    const p = compileFolderCriteria({ criterion: [{ type: 'attribute', name: 'root', value: 'yes' }] })
    assert.ok(p(inbox))
    assert.ok(!p(conv))
  })

  it('matches other attribute values exactly and case-sensitively', () => {
    assert.ok(compileFolderCriteria({ criterion: [{ type: 'Attribute', name: 'conversation-id', value: 'Abc-1' }] })(conv))
    assert.ok(!compileFolderCriteria({ criterion: [{ type: 'Attribute', name: 'Conversation-ID', value: 'abc-1' }] })(conv))
    assert.ok(!compileFolderCriteria({ criterion: [{ type: 'Attribute', name: 'Conversation-ID', value: 'Abc' }] })(conv))
  })

  it('matches AllTextAttributes as a case-insensitive substring of the name and values', () => {
    assert.ok(compileFolderCriteria({ criterion: [{ type: 'AllTextAttributes', value: 'ABC' }] })(conv))
    assert.ok(compileFolderCriteria({ criterion: [{ type: 'AllTextAttributes', value: 'box' }] })(inbox))
    assert.ok(!compileFolderCriteria({ criterion: [{ type: 'AllTextAttributes', value: 'zzz' }] })(conv))
  })

  it('matches Date with minDate inclusive and maxDate exclusive', () => {
    const at = (v: string): boolean => compileFolderCriteria({ criterion: [{ type: 'Date', value: v }] })(conv)
    assert.ok(at('minDate=2024-02-01T08:00:00Z'))
    assert.ok(!at('maxDate=2024-02-01T08:00:00Z'))
    assert.ok(at('minDate=2024-01-01T00:00:00Z&maxDate=2024-03-01T00:00:00Z'))
    assert.ok(!at('minDate=2024-02-01T08:00:01Z'))
  })

  it('applies And, Or and Not (= NOT of the conjunction)', () => {
    const root = { type: 'Attribute', name: 'Root', value: 'Yes' }
    const named = { type: 'Attribute', name: 'Name', value: 'conv-42' }
    assert.ok(!compileFolderCriteria({ criterion: [root, named] })(conv))
    assert.ok(compileFolderCriteria({ operator: 'Or', criterion: [root, named] })(conv))
    assert.ok(compileFolderCriteria({ operator: 'Not', criterion: [root, named] })(conv))
    assert.ok(!compileFolderCriteria({ operator: 'Not', criterion: [named] })(conv))
  })

  it('refuses Flag, unknown types and unknown operators with SVC0003 listing the valid values', () => {
    for (const type of ['Flag', 'Bogus']) {
      assert.deepEqual(errorOf(() => compileFolderCriteria({ criterion: [{ type, value: '' }] })),
        { code: 'GW_ERR_INPUT_INVALID_CHOICE', variables: ['searchCriteria.criterion.type', 'Attribute, AllTextAttributes, Date, WholeWord'] })
    }
    assert.deepEqual(errorOf(() => compileFolderCriteria({ operator: 'Xor', criterion: [{ type: 'Date', value: 'minDate=2020-01-01' }] })),
      { code: 'GW_ERR_INPUT_INVALID_CHOICE', variables: ['searchCriteria.operator', 'And, Or, Not'] })
  })

  it('answers PresetSearch and the simplified-sync types with 405 POL2006 (architecture.md section 10)', () => {
    for (const type of ['PresetSearch', 'CreatedObjects', 'vanishedobjects']) {
      assert.equal(errorOf(() => compileFolderCriteria({ criterion: [{ type, value: '' }] })).code, 'GW_ERR_SEARCH_UNSUPPORTED', type)
    }
  })

  it('matches WholeWord against whole words of the name and attribute values, ignoring case', () => {
    assert.ok(compileFolderCriteria({ criterion: [{ type: 'WholeWord', value: 'CONV' }] })(conv))
    assert.ok(!compileFolderCriteria({ criterion: [{ type: 'WholeWord', value: 'con' }] })(conv))
  })

  it('refuses an Attribute without a name and a Date it cannot read with SVC0002', () => {
    assert.equal(errorOf(() => compileFolderCriteria({ criterion: [{ type: 'Attribute', value: 'x' }] })).code, 'GW_ERR_INPUT_INVALID')
    for (const v of ['', 'minDate=soon', 'since=2024-01-01', 'minDate=2024-02-30T00:00:00Z', 'minDate']) {
      assert.deepEqual(errorOf(() => compileFolderCriteria({ criterion: [{ type: 'Date', value: v }] })).variables, ['searchCriteria.criterion.value'], v)
    }
  })
})

describe('lenient dates', () => {
  it('reads xsd:dateTime with and without seconds, fractions and zones', () => {
    assert.equal(parseLenientDate('2013-11-11T09:30:10Z'), Date.UTC(2013, 10, 11, 9, 30, 10))
    assert.equal(parseLenientDate('2014-01-01T12:00Z'), Date.UTC(2014, 0, 1, 12, 0))
    assert.equal(parseLenientDate('2014-01-01T12:00:00.5+01:00'), Date.UTC(2014, 0, 1, 11, 0, 0, 500))
    assert.equal(parseLenientDate('2014-01-01T12:00:00-0230'), Date.UTC(2014, 0, 1, 14, 30))
    assert.equal(parseLenientDate('2014-01-01'), Date.UTC(2014, 0, 1))
    assert.equal(parseLenientDate('2014-01-01T25:00Z'), undefined)
    assert.equal(parseLenientDate('yesterday'), undefined)
  })

  it('keeps + as the zone sign in the query-string form and decodes %2B', () => {
    assert.deepEqual(parseDateRange('minDate=2014-01-01T12:00:00+01:00'), { min: Date.UTC(2014, 0, 1, 11) })
    assert.deepEqual(parseDateRange('maxDate=2014-01-01T12:00:00%2B01:00'), { max: Date.UTC(2014, 0, 1, 11) })
    assert.equal(parseDateRange('minDate=2014-01-01&minDate=2015-01-01'), undefined)
  })
})
