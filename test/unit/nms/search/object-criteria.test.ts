/**
 * Object criteria compilation (src/nms/search/object-criteria.ts): the IMAP narrowing is sound
 * (never narrower than the exact test) and the exact test has the spec's semantics.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig } from '../../../../src/config/load.js'
import { compileObjectCriteria, type ObjectView } from '../../../../src/nms/search/object-criteria.js'
import type { NmsObject } from '../../../../src/nms/objects/representation.js'
import type { CriterionInput } from '../../../../src/nms/search/criteria-common.js'

const ENV = { NMS_IMAP_MASTER_USER: 'master', NMS_IMAP_MASTER_PASSWORD: 'pw', NMS_AUTH_HS256_SECRET: 'x'.repeat(32) }
const config = loadConfig({ env: ENV })

function view (attrs: Record<string, string[]>, flags: string[] = [], at = '2024-01-01T00:00:00Z', parts: string[] = []): ObjectView {
  const object: NmsObject = {
    parentFolder: 'https://x/f',
    attributes: { attribute: Object.entries(attrs).map(([name, value]) => ({ name, value })) },
    flags: { flag: flags, resourceURL: 'https://x/o/flags' },
    resourceURL: 'https://x/o',
    path: '/INBOX/1'
  }
  return { object, internalDate: new Date(at), parts }
}

const plan = (...criterion: CriterionInput[]) => compileObjectCriteria(config, { criterion })
const codeOf = (fn: () => unknown): string | undefined => {
  try { fn() } catch (err) { return (err as { code?: string }).code }
  return undefined
}

describe('object criteria', () => {
  it('matches nothing but everything without criteria, with no IMAP narrowing', () => {
    const p = compileObjectCriteria(config, undefined)
    assert.deepEqual(p.imap, { kind: 'all' })
    assert.ok(p.test(view({})))
  })

  it('narrows header-backed attributes with HEADER and keeps only exact values', () => {
    const p = plan({ type: 'Attribute', name: 'SUBJECT', value: 'Hi' })
    assert.deepEqual(p.imap, { kind: 'header', field: 'Subject', value: 'Hi' })
    assert.ok(p.test(view({ Subject: ['Hi'] })))
    assert.ok(!p.test(view({ Subject: ['hi'] })))
    assert.ok(!p.test(view({ Subject: ['Hi there'] })))
    const from = plan({ type: 'Attribute', name: 'From', value: 'Ann <ann@example.com>' })
    assert.deepEqual(from.imap, { kind: 'header', field: 'From', value: 'ann@example.com' }, 'address narrowed by its bare form')
  })

  it('maps configured header attributes back to their header', () => {
    const c = loadConfig({ env: ENV, overrides: { objects: { headerAttributes: { 'X-Chat-Kind': 'ChatKind' } } } })
    const p = compileObjectCriteria(c, { criterion: [{ type: 'Attribute', name: 'chatkind', value: 'group' }] })
    assert.deepEqual(p.imap, { kind: 'header', field: 'X-Chat-Kind', value: 'group' })
  })

  it('does not narrow derived attributes and compares them caselessly', () => {
    const p = plan({ type: 'Attribute', name: 'Direction', value: 'OUT' })
    assert.deepEqual(p.imap, { kind: 'all' })
    assert.ok(p.test(view({ Direction: ['Out'] })))
    assert.ok(!p.test(view({ Direction: ['In'] })))
  })

  it('answers an empty value or an unknown attribute with no IMAP work', () => {
    assert.deepEqual(plan({ type: 'Attribute', name: 'Subject', value: ' ' }).imap, { kind: 'none' })
    assert.deepEqual(plan({ type: 'Attribute', name: 'X-Unknown', value: 'a' }).imap, { kind: 'none' })
  })

  it('widens Date by a day on each side and tests the internal date exactly', () => {
    const p = plan({ type: 'Date', value: 'minDate=2024-01-10T10:00:00Z&maxDate=2024-01-11T00:00:00Z' })
    assert.deepEqual(p.imap, { kind: 'and', keys: [{ kind: 'since', day: new Date('2024-01-09T00:00:00Z') }, { kind: 'before', day: new Date('2024-01-13T00:00:00Z') }] })
    assert.ok(p.test(view({}, [], '2024-01-10T10:00:00Z')))
    assert.ok(!p.test(view({}, [], '2024-01-10T09:59:59Z')))
    assert.ok(!p.test(view({}, [], '2024-01-11T00:00:00Z')))
  })

  it('negates on the server only when every criterion is exact there', () => {
    const seen = { type: 'Flag', name: '\\Seen', value: 'true' }
    const subject = { type: 'Attribute', name: 'Subject', value: 'x' }
    assert.deepEqual(compileObjectCriteria(config, { operator: 'Not', criterion: [seen] }).imap,
      { kind: 'not', key: { kind: 'flag', flag: '\\Seen', set: true } })
    const mixed = compileObjectCriteria(config, { operator: 'Not', criterion: [seen, subject] })
    assert.deepEqual(mixed.imap, { kind: 'all' })
    assert.ok(mixed.test(view({ Subject: ['x'] })), 'NOT(seen AND subject=x) holds for an unseen message')
    assert.ok(!mixed.test(view({ Subject: ['x'] }, ['\\Seen'])))
  })

  it('gives up narrowing an Or that contains an un-narrowable criterion', () => {
    const p = compileObjectCriteria(config, { operator: 'Or', criterion: [{ type: 'Attribute', name: 'Direction', value: 'In' }, { type: 'Flag', name: '\\Seen', value: '' }] })
    assert.deepEqual(p.imap, { kind: 'all' })
  })

  it('matches WholeWord in text attributes and textual parts, not in derived attributes', () => {
    const p = plan({ type: 'WholeWord', value: 'kiwi' })
    assert.ok(p.needsParts)
    assert.ok(p.test(view({ Subject: ['Kiwi!'] })))
    assert.ok(p.test(view({}, [], undefined, ['a kiwi tree'])))
    assert.ok(!p.test(view({ Subject: ['kiwis'] })))
    assert.ok(!plan({ type: 'WholeWord', value: 'In' }).test(view({ Direction: ['In'] })))
  })

  it('refuses what it cannot honour, with the code the client profile expects', () => {
    assert.equal(codeOf(() => plan({ type: 'PresetSearch', name: 'UPOneDotO', value: '' })), 'GW_ERR_SEARCH_UNSUPPORTED')
    assert.equal(codeOf(() => plan({ type: 'CreatedObjects', value: '' })), 'GW_ERR_SEARCH_UNSUPPORTED')
    assert.equal(codeOf(() => plan({ type: 'Conversation', value: '' })), 'GW_ERR_INPUT_INVALID_CHOICE')
    assert.equal(codeOf(() => plan({ type: 'WholeWord', value: '  ' })), 'GW_ERR_INPUT_INVALID')
    assert.equal(codeOf(() => plan({ type: 'Flag', name: '\\Recent', value: 'true' })), 'GW_ERR_INPUT_INVALID')
    assert.equal(codeOf(() => plan({ type: 'PresetSearch', name: 'RemoteParty', value: ' , ' })), 'GW_ERR_INPUT_INVALID')
  })

  it('RemoteParty matches any listed party by bare address and imposes newest-first', () => {
    const p = plan({ type: 'PresetSearch', name: 'remoteparty', value: 'tel:+1555, ann@example.com' })
    assert.deepEqual(p.sort, [{ type: 'Date', dir: -1 }])
    assert.ok(p.test(view({ Cc: ['Ann <ann@example.com>'] })))
    assert.ok(p.test(view({ From: ['tel:+1555'] })))
    assert.ok(!p.test(view({ Bcc: ['tel:+1555'] })))
  })
})
