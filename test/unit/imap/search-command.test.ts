/**
 * SearchKey -> IMAP SEARCH/SORT command text (src/imap/search-command.ts), checked on the wire
 * form imapflow's own command writer produces from the attribute tree.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
// imapflow's command writer: the one every command goes through.
import compiler from 'imapflow/lib/handler/imap-compiler.js'
import { compileSearch, expandUidSet, imapDate, searchArguments, sortArguments } from '../../../src/imap/search-command.js'
import type { SearchKey } from '../../../src/imap/search-types.js'

async function wire (command: string, attributes: unknown[]): Promise<string> {
  const out = await (compiler as (r: unknown, o: unknown) => Promise<Buffer>)({ tag: 'A1', command, attributes }, { literalPlus: true })
  return out.toString('utf8')
}

async function search (key: SearchKey, esearch = false): Promise<string> {
  return await wire('UID SEARCH', searchArguments(compileSearch(key), esearch))
}

describe('IMAP search command', () => {
  it('quotes values, escaping only DQUOTE and backslash, so IMAP syntax in a value stays text', async () => {
    assert.equal(await search({ kind: 'header', field: 'Subject', value: '") OR ALL ("' }), 'A1 UID SEARCH HEADER "Subject" "\\") OR ALL (\\""')
    assert.equal(await search({ kind: 'text', value: 'a\\b {5}' }), 'A1 UID SEARCH TEXT "a\\\\b {5}"')
  })

  it('sends 8-bit values as literals with CHARSET UTF-8 (after RETURN with ESEARCH)', async () => {
    assert.equal(await search({ kind: 'body', value: 'Köln' }, true), 'A1 UID SEARCH RETURN (ALL) CHARSET UTF-8 BODY {5+}\r\nKöln')
  })

  it('refuses CR, LF and NUL, and header names that are not RFC 5322 field names', () => {
    for (const value of ['a\r\nb', 'a\nb', 'a\u0000b']) {
      assert.throws(() => compileSearch({ kind: 'text', value }), { code: 'GW_ERR_INPUT_INVALID' })
    }
    for (const field of ['X Foo', 'Subject:', '', 'Süß']) {
      assert.throws(() => compileSearch({ kind: 'header', field, value: 'x' }), { code: 'GW_ERR_INPUT_INVALID' })
    }
    assert.throws(() => compileSearch({ kind: 'flag', flag: 'a(b', set: true }), { code: 'GW_ERR_INPUT_INVALID' })
  })

  it('writes flags as system keys or KEYWORD/UNKEYWORD', async () => {
    assert.equal(await search({ kind: 'flag', flag: '\\seen', set: false }), 'A1 UID SEARCH UNSEEN')
    assert.equal(await search({ kind: 'flag', flag: '$Important', set: true }), 'A1 UID SEARCH KEYWORD $Important')
    assert.equal(await search({ kind: 'flag', flag: '$Important', set: false }), 'A1 UID SEARCH UNKEYWORD $Important')
  })

  it('nests OR pairwise, parenthesizes AND lists and negates one search-key', async () => {
    const a: SearchKey = { kind: 'flag', flag: '\\Seen', set: true }
    const b: SearchKey = { kind: 'flag', flag: '\\Flagged', set: true }
    const c: SearchKey = { kind: 'header', field: 'To', value: 'x' }
    assert.equal(await search({ kind: 'or', keys: [a, b, c] }), 'A1 UID SEARCH OR (OR SEEN FLAGGED) (HEADER "To" "x")')
    assert.equal(await search({ kind: 'and', keys: [a, c] }), 'A1 UID SEARCH (SEEN HEADER "To" "x")')
    assert.equal(await search({ kind: 'not', key: { kind: 'and', keys: [a, b] } }), 'A1 UID SEARCH NOT (SEEN FLAGGED)')
    assert.equal(await search({ kind: 'or', keys: [] }), 'A1 UID SEARCH NOT ALL')
    assert.equal(await search({ kind: 'none' }), 'A1 UID SEARCH NOT ALL')
  })

  it('writes days as RFC 3501 dates and UID ranges as sequence sets', async () => {
    assert.equal(imapDate(new Date(Date.UTC(2021, 2, 4, 23, 59))), '4-Mar-2021')
    assert.equal(await search({ kind: 'and', keys: [{ kind: 'since', day: new Date(Date.UTC(2021, 0, 1)) }, { kind: 'uidFrom', from: 42 }] }),
      'A1 UID SEARCH (SINCE 1-Jan-2021 UID 42:*)')
  })

  it('builds SORT (ARRIVAL) with the mandatory charset', async () => {
    assert.equal(await wire('UID SORT', sortArguments(compileSearch({ kind: 'all' }))), 'A1 UID SORT (ARRIVAL) US-ASCII ALL')
    assert.equal(await wire('UID SORT', sortArguments(compileSearch({ kind: 'text', value: 'ß' }))), 'A1 UID SORT (ARRIVAL) UTF-8 TEXT {2+}\r\nß')
  })

  it('expands the sequence sets of ESEARCH answers', () => {
    assert.deepEqual(expandUidSet('1:3,7,10:9'), [1, 2, 3, 7, 9, 10])
    assert.deepEqual(expandUidSet('x,5'), [5])
  })
})
