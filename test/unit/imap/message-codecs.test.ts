/**
 * Pure helpers of the message port: flag names, RFC 2047 words, header fields, address lists,
 * streaming transfer decoders and UID sets.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { imapFlag, imapFlags, storedFlags } from '../../../src/imap/flag-names.js'
import { decodeCharset, decodeEncodedWords } from '../../../src/imap/encoded-words.js'
import { headerFields } from '../../../src/imap/header-fields.js'
import { parseAddressList } from '../../../src/imap/address-list.js'
import { Base64Decoder, QuotedPrintableDecoder, decodeTransfer } from '../../../src/shared/mime/transfer-decoding.js'
import { uidSet } from '../../../src/imap/mailbox-access.js'
import { isGatewayError } from '../../../src/errors/gateway-error.js'

async function through (decoder: NodeJS.ReadWriteStream, input: Buffer, step: number): Promise<Buffer> {
  const pieces: Buffer[] = []
  for (let i = 0; i < input.length; i += step) pieces.push(input.subarray(i, i + step))
  const out: Buffer[] = []
  const piped = Readable.from(pieces).pipe(decoder)
  for await (const c of piped) out.push(c as Buffer)
  return Buffer.concat(out)
}

describe('flag names', () => {
  it('spells system flags canonically and keeps keywords', () => {
    assert.equal(imapFlag('\\seen'), '\\Seen')
    assert.equal(imapFlag('\\DRAFT'), '\\Draft')
    assert.equal(imapFlag('$MDNSent'), '$MDNSent')
    assert.deepEqual(imapFlags(['\\Seen', '\\SEEN', '$a']), ['\\Seen', '$a'])
    assert.deepEqual(storedFlags(new Set(['\\Recent', '\\Seen'])), ['\\Seen'])
  })
  it('refuses what an IMAP atom cannot carry', () => {
    for (const bad of ['', 'a b', '\\Recent', '\\Xyz', '\\', 'a(', 'a)', 'a{', 'a%', 'a*', 'a"', 'a\\b', 'a]', 'é', 'a\x00', 'a\x7f']) {
      assert.throws(() => imapFlag(bad), (e: unknown) => isGatewayError(e) && e.code === 'GW_ERR_INPUT_INVALID' && e.variables[0] === 'flag', JSON.stringify(bad))
    }
  })
})

describe('encoded words and charsets', () => {
  it('decodes B and Q words, joins adjacent ones and keeps plain text', () => {
    assert.equal(decodeEncodedWords('=?UTF-8?B?R3LDvMOfZQ==?= =?utf-8?q?_=E6=97=A5?= x'), 'Grüße 日 x')
    assert.equal(decodeEncodedWords('a =?iso-8859-1?q?M=FCnchen?= b'), 'a München b')
    // A character split over two words of the same charset survives.
    assert.equal(decodeEncodedWords('=?utf-8?q?=E6=97?= =?utf-8?q?=A5?='), '日')
    assert.equal(decodeEncodedWords('no words'), 'no words')
  })
  it('ignores an RFC 2231 language suffix and falls back to UTF-8 for an unknown charset (libmime)', () => {
    assert.equal(decodeEncodedWords('=?utf-8*de?q?gr=C3=BC=C3=9Fe?='), 'grüße')
    assert.equal(decodeEncodedWords('=?x-unknown?b?w7w=?= x'), 'ü x')
    // Words of different charsets are decoded one by one; the white space between them still goes.
    assert.equal(decodeEncodedWords('=?iso-8859-1?q?=FC?= =?utf-8?q?=C3=BC?='), 'üü')
  })
  it('decodes charsets, falling back to UTF-8', () => {
    assert.equal(decodeCharset(Buffer.from([0x47, 0xfc]), 'ISO-8859-1'), 'Gü')
    assert.equal(decodeCharset(Buffer.from('ü'), 'x-unknown'), 'ü')
    assert.equal(decodeCharset(Buffer.from('ü'), undefined), 'ü')
  })
})

describe('header fields', () => {
  it('unfolds, lower-cases names, keeps every occurrence and decodes', () => {
    const block = 'X-A: one\r\n  folded\r\nx-a: =?utf-8?q?zw=C3=B6lf?=\r\nSubject: s\r\n\r\n'
    assert.deepEqual(headerFields(Buffer.from(block), ['X-A', 'absent']), { 'x-a': ['one  folded', 'zwölf'] })
  })
})

describe('address lists', () => {
  it('keeps tel: URIs whole and parses names, quotes, comments and groups', () => {
    assert.deepEqual(parseAddressList('tel:+15551234567, "Bob, B." <tel:+1555>'), [
      { name: undefined, address: 'tel:+15551234567' }, { name: 'Bob, B.', address: 'tel:+1555' }])
    assert.deepEqual(parseAddressList('=?utf-8?q?J=C3=BCrgen?= <j@example.com> (work)'), [{ name: 'Jürgen', address: 'j@example.com' }])
    assert.deepEqual(parseAddressList('Team: a@x.org, <b@y.org>;'), [{ name: undefined, address: 'a@x.org' }, { name: undefined, address: 'b@y.org' }])
    assert.deepEqual(parseAddressList('undisclosed-recipients:;'), [])
  })
})

describe('transfer decoders', () => {
  const data = Buffer.from(Array.from({ length: 5000 }, (_v, i) => (i * 31) % 256))
  it('decodes base64 across any chunk boundary', async () => {
    const encoded = Buffer.from((data.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n'))
    for (const step of [1, 3, 7, 77, 4096]) assert.deepEqual(await through(new Base64Decoder(), encoded, step), data, `step ${step}`)
  })
  it('decodes quoted-printable across any chunk boundary', async () => {
    const qp = Buffer.from('Gr=FC=DFe aus M=FCnchen, weich =\r\numbrochen  \r\nzwei=3D3\r\n')
    const expected = Buffer.from('Grüße aus München, weich umbrochen\r\nzwei=3\r\n', 'latin1')
    for (const step of [1, 2, 5, 1000]) assert.deepEqual(await through(new QuotedPrintableDecoder(), qp, step), expected, `step ${step}`)
    assert.deepEqual(decodeTransfer(qp, 'quoted-printable'), expected)
    assert.deepEqual(decodeTransfer(Buffer.from('aGk='), 'BASE64'), Buffer.from('hi'))
    assert.deepEqual(decodeTransfer(Buffer.from('raw'), '8bit'), Buffer.from('raw'))
  })
})

describe('uid sets', () => {
  it('compresses ascending runs and drops invalid UIDs', () => {
    assert.equal(uidSet([5, 1, 2, 3, 9, 3, 0, -1, 1.5, 2 ** 32]), '1:3,5,9')
    assert.equal(uidSet([]), '')
  })
})
