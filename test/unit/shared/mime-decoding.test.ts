/**
 * The shared MIME decoding (src/shared/mime/): the one header-block parser and the transfer
 * decoders over libqp and libbase64, at the edges where the libraries alone would differ from
 * the gateway's documented behaviour (docs/mime-decoding.md).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { headerValue, parseHeaderBlock } from '../../../src/shared/mime/header-block.js'
import { Base64Decoder, QuotedPrintableDecoder, decodeTransfer } from '../../../src/shared/mime/transfer-decoding.js'

async function through (decoder: NodeJS.ReadWriteStream, input: Buffer, step: number): Promise<Buffer> {
  const pieces: Buffer[] = []
  for (let i = 0; i < input.length; i += step) pieces.push(input.subarray(i, i + step))
  const out: Buffer[] = []
  for await (const c of Readable.from(pieces).pipe(decoder)) out.push(c as Buffer)
  return Buffer.concat(out)
}

describe('parseHeaderBlock', () => {
  const block = 'Subject: one\r\n  two\r\nno colon here\r\n  x: continues the skipped line\r\nBad Name: v\r\nX-B:\tb\r\nx-b: c'
  it('unfolds by removing the CRLF only (RFC 5322 section 2.2.3), keeping field order and skipping malformed lines', () => {
    assert.deepEqual(parseHeaderBlock(block), [{ name: 'subject', value: 'one  two' }, { name: 'x-b', value: 'b' }, { name: 'x-b', value: 'c' }])
  })
  it('collapses each fold to one space when asked (form-data part headers)', () => {
    assert.deepEqual(parseHeaderBlock('Content-Type: a/b; \r\n\t x=1\nContent-ID: <c>', { collapseFolds: true }), [
      { name: 'content-type', value: 'a/b; x=1' }, { name: 'content-id', value: '<c>' }])
  })
  it('reads header bytes as UTF-8 and finds the first value of a field', () => {
    const fields = parseHeaderBlock(Buffer.from('Content-Disposition: form-data; filename="n\u00e4me.txt"\r\nX-A: 1\r\nx-a: 2'))
    assert.equal(headerValue(fields, 'content-disposition'), 'form-data; filename="n\u00e4me.txt"')
    assert.equal(headerValue(fields, 'x-a'), '1')
    assert.equal(headerValue(fields, 'absent'), undefined)
  })
})

describe('base64 over libbase64', () => {
  it('ignores 8-bit bytes, which libbase64 alone would read as letters (RFC 2045 section 6.8)', async () => {
    const encoded = Buffer.concat([Buffer.from('aG'), Buffer.from([0xc1, 0xe2]), Buffer.from('k=')])
    assert.deepEqual(decodeTransfer(encoded, 'base64'), Buffer.from('hi'))
    for (const step of [1, 2, 100]) assert.deepEqual(await through(new Base64Decoder(), encoded, step), Buffer.from('hi'), `step ${step}`)
  })
  it('decodes a body whose lines are padded one by one', async () => {
    const encoded = Buffer.from('aGk=\r\naG8=\r\n')
    assert.deepEqual(decodeTransfer(encoded, 'base64'), Buffer.from('hiho'))
    for (const step of [1, 3, 100]) assert.deepEqual(await through(new Base64Decoder(), encoded, step), Buffer.from('hiho'), `step ${step}`)
  })
})

describe('quoted-printable over libqp', () => {
  it('drops white space after a soft line break\'s `=` and before a CRLF hard line end (RFC 2045 section 6.7)', () => {
    assert.equal(decodeTransfer(Buffer.from('a= \t\r\nb  \r\nc\t\nd'), 'quoted-printable').toString('latin1'), 'ab\r\nc\nd')
  })
  it('keeps a stray `=` and, when decoding a whole buffer, white space at its end', () => {
    assert.equal(decodeTransfer(Buffer.from('1=2 =ZZ x ='), 'quoted-printable').toString('latin1'), '1=2 =ZZ x =')
    assert.equal(decodeTransfer(Buffer.from('tail  '), 'QUOTED-PRINTABLE').toString('latin1'), 'tail  ')
  })
  it('keeps the white space before a soft line break that ends a chunk, and drops it at the end of the stream', async () => {
    const qp = Buffer.from('one =\r\ntwo =\r\nthree  ')
    for (const step of [1, 4, 8, 100]) assert.equal((await through(new QuotedPrintableDecoder(), qp, step)).toString('latin1'), 'one two three', `step ${step}`)
  })
})
