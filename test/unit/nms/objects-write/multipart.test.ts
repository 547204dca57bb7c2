/**
 * The lenient multipart splitter and form reader (src/nms/objects/multipart-*.ts).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseMultipart, parseStructured } from '../../../../src/nms/objects/multipart-parse.js'
import { formFieldName, readCreationForm } from '../../../../src/nms/objects/multipart-form.js'

describe('parseMultipart', () => {
  it('splits parts, keeps binary bodies byte for byte and drops the CRLF before each delimiter', () => {
    const bin = Buffer.from([0, 13, 10, 255, 45, 45])
    const body = Buffer.concat([Buffer.from('preamble\r\n--b\r\nContent-Type: x/y\r\n\r\n'), bin, Buffer.from('\r\n--b\r\n\r\nno headers\r\n--b--\r\nepilogue')])
    const parts = parseMultipart(body, 'b')
    assert.equal(parts?.length, 2)
    assert.deepEqual(parts?.[0]?.headers, [{ name: 'content-type', value: 'x/y' }])
    assert.deepEqual(parts?.[0]?.body, bin)
    assert.deepEqual(parts?.[1]?.headers, [])
    assert.equal(parts?.[1]?.body.toString(), 'no headers')
  })

  it('accepts bare LF line ends, unfolds headers and ends an unterminated last part at the end', () => {
    const parts = parseMultipart(Buffer.from('--b\nContent-Type: a/b;\n  x=1\n\nbody\n--b\n\ntail'), 'b')
    assert.equal(parts?.length, 2)
    assert.deepEqual(parts?.[0]?.headers, [{ name: 'content-type', value: 'a/b; x=1' }])
    assert.equal(parts?.[1]?.body.toString(), 'tail')
  })

  it('returns null when the boundary never occurs, and ignores the boundary inside a line', () => {
    assert.equal(parseMultipart(Buffer.from('nothing here'), 'b'), null)
    const parts = parseMultipart(Buffer.from('--b\r\n\r\nx --b y\r\n--b--'), 'b')
    assert.equal(parts?.[0]?.body.toString(), 'x --b y')
  })
})

describe('parseStructured and form field names', () => {
  it('reads quoted, unquoted and typographically quoted parameters', () => {
    assert.deepEqual(parseStructured('multipart/related; boundary="a;b"; type=application/smil'), { value: 'multipart/related', params: { boundary: 'a;b', type: 'application/smil' } })
    assert.deepEqual(parseStructured('form-data; name=\u201croot-fields\u201d').params, { name: 'root-fields' })
    assert.deepEqual(parseStructured('form-data;name=attachments;filename="sms.txt"').params, { name: 'attachments', filename: 'sms.txt' })
  })

  it('names a part by its Content-Disposition name whatever the disposition type', () => {
    const part = (cd: string): Parameters<typeof formFieldName>[0] => ({ headers: [{ name: 'content-disposition', value: cd }], body: Buffer.alloc(0), raw: Buffer.alloc(0) })
    assert.equal(formFieldName(part('multipart/form-data; name="attachments"')), 'attachments')
    assert.equal(formFieldName(part('form-data; NAME="Root-Fields"')), 'root-fields')
    assert.equal(formFieldName(part('form-data')), undefined)
  })

  it('reads the root-fields entry and every attachments entry in order, ignoring other fields', () => {
    const body = Buffer.from([
      '--X', 'Content-Disposition: form-data; name="attachments"', '', 'one',
      '--X', 'Content-Disposition: form-data; name="root-fields"', '', '{}',
      '--X', 'Content-Disposition: form-data; name="other"', '', 'skip',
      '--X', 'Content-Disposition: form-data; name="attachments"', '', 'two', '--X--'].join('\r\n'))
    const form = readCreationForm(body, 'multipart/form-data; boundary=X')
    assert.equal(form.rootFields?.body.toString(), '{}')
    assert.deepEqual(form.attachments.map((p) => p.body.toString()), ['one', 'two'])
  })

  it('refuses a form without boundary with 400 naming Content-Type', () => {
    assert.throws(() => readCreationForm(Buffer.from('x'), 'multipart/form-data'), (e: { code?: string, variables?: string[] }) => e.code === 'GW_ERR_INPUT_INVALID' && e.variables?.[0] === 'Content-Type')
  })
})
