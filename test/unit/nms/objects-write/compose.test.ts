/**
 * Attribute-to-header mapping, flag checks, root-fields reading and message composition
 * (src/nms/objects/compose-*.ts, create-flags.ts, create-input.ts).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { composeHeaders, messageIdValue, parseAttributeDate } from '../../../../src/nms/objects/compose-headers.js'
import { composeMessage } from '../../../../src/nms/objects/compose-message.js'
import { decodeQuotedPrintable } from '../../../../src/shared/mime/transfer-decoding.js'
import { imapFlags } from '../../../../src/nms/objects/create-flags.js'
import { bulkObjectInputs, singleObjectInput } from '../../../../src/nms/objects/create-input.js'
import { bulkFailure, bulkStatus, bulkSuccess } from '../../../../src/nms/objects/bulk-response.js'
import { GatewayError } from '../../../../src/errors/gateway-error.js'

function code (fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    return `${(e as GatewayError).code} ${(e as GatewayError).variables.join('|')}`
  }
  return undefined
}

describe('composeHeaders', () => {
  it('maps the known attributes, canonicalises Direction, and adds correlation headers', () => {
    const h = composeHeaders([
      { name: 'direction', value: ['IN'] },
      { name: 'From', value: ['tel:+15550001111'] },
      { name: 'To', value: ['+15550002222', 'tel:+15550003333'] },
      { name: 'Date', value: ['2024-03-01T10:00:00+0100'] },
      { name: 'TextContent', value: ['hi\nthere'] },
      { name: 'Content-Type', value: ['ignored/type'] }
    ], { correlationId: 'abc@x', correlationTag: 't1' }, {})
    assert.deepEqual(h.fields, [
      { name: 'Direction', value: 'In' },
      { name: 'From', value: 'tel:+15550001111', raw: true },
      { name: 'To', value: '+15550002222, tel:+15550003333', raw: true },
      { name: 'Message-ID', value: '<abc@x>' },
      { name: 'Correlation-Tag', value: 't1' }
    ])
    assert.equal(h.date?.toISOString(), '2024-03-01T09:00:00.000Z')
    assert.equal(h.textContent, 'hi\nthere')
  })

  it('prefers a Message-ID attribute over correlationId and maps configured attributes back to headers', () => {
    const h = composeHeaders([{ name: 'Message-ID', value: ['<m1@x>'] }, { name: 'Prio', value: ['1'] }], { correlationId: 'other@x' }, { 'X-Prio': 'Prio' })
    assert.deepEqual(h.fields, [{ name: 'Message-ID', value: '<m1@x>' }, { name: 'X-Prio', value: '1' }])
  })

  it('refuses CR/LF and other controls, bad names, repeated and multi-valued single attributes', () => {
    assert.equal(code(() => composeHeaders([{ name: 'Subject', value: ['a\r\nBcc: x'] }], {}, {})), 'GW_ERR_INPUT_INVALID attribute Subject')
    assert.equal(code(() => composeHeaders([{ name: 'X-A', value: ['a\u0000'] }], {}, {})), 'GW_ERR_INPUT_INVALID attribute X-A')
    assert.equal(code(() => composeHeaders([{ name: 'A:B', value: ['v'] }], {}, {})), 'GW_ERR_INPUT_INVALID attribute A:B')
    assert.equal(code(() => composeHeaders([{ name: 'Subject', value: ['a', 'b'] }], {}, {})), 'GW_ERR_INPUT_INVALID attribute Subject')
    assert.equal(code(() => composeHeaders([{ name: 'X-A', value: ['1'] }, { name: 'x-a', value: ['2'] }], {}, {})), 'GW_ERR_INPUT_INVALID attribute x-a')
    assert.equal(code(() => composeHeaders([{ name: 'Direction', value: ['up'] }], {}, {})), 'GW_ERR_INPUT_INVALID_CHOICE attribute Direction|In, Out')
    assert.equal(code(() => composeHeaders([{ name: 'To', value: ['John Smith'] }], {}, {})), 'GW_ERR_INPUT_INVALID attribute To')
    assert.equal(code(() => composeHeaders([{ name: 'constructor', value: ['x'] }], {}, {})), undefined)
  })

  it('reads ISO 8601 and RFC 5322 dates, and msg-ids with or without brackets', () => {
    for (const d of ['2021-03-04T10:11:12Z', '2021-03-04T10:11:12+0000', '2021-03-04T10:11:12+00:00', '2021-03-04T10:11:12.000Z', 'Thu, 04 Mar 2021 10:11:12 +0000']) {
      assert.equal(parseAttributeDate(d)?.toISOString(), '2021-03-04T10:11:12.000Z', d)
    }
    assert.equal(parseAttributeDate('2021-13-45T99:00:00Z'), undefined)
    assert.equal(parseAttributeDate('soon'), undefined)
    assert.equal(messageIdValue('a@b'), '<a@b>')
    assert.equal(messageIdValue('<a@b>'), '<a@b>')
    assert.equal(messageIdValue('a b'), undefined)
  })
})

describe('imapFlags', () => {
  it('canonicalises system flags, keeps keywords, drops duplicates, refuses \\Recent and non-atoms', () => {
    assert.deepEqual(imapFlags(['\\SEEN', '$Label', '\\seen', '\\flagged'], 'f'), ['\\Seen', '$Label', '\\Flagged'])
    assert.equal(code(() => imapFlags(['\\Recent'], 'f')), 'GW_ERR_INPUT_INVALID f: \\Recent')
    for (const bad of ['a b', 'a(b', 'x]', 'x*', 'é', '\\Custom']) assert.ok(code(() => imapFlags([bad], 'f')) !== undefined, bad)
  })
})

describe('root-fields objects', () => {
  it('accepts wrapped and unwrapped objects, single strings for arrays, and refuses server members', () => {
    const wrapped = singleObjectInput({ object: { parentFolderPath: '/a', flags: { flag: '\\Seen' }, attributes: { attribute: [{ name: 'To', value: 'x' }] } } })
    assert.deepEqual(wrapped.flags, ['\\Seen'])
    assert.deepEqual(wrapped.attributes, [{ name: 'To', value: ['x'] }])
    assert.equal(singleObjectInput({ parentFolderPath: '/b' }).parentFolderPath, '/b')
    assert.equal(code(() => singleObjectInput({ object: { path: '/x' } })), 'GW_ERR_INPUT_INVALID object.path')
    assert.equal(code(() => singleObjectInput([])), 'GW_ERR_INPUT_INVALID object')
    assert.equal(bulkObjectInputs({ objectList: { object: [{}, {}] } }).length, 2)
    assert.equal(bulkObjectInputs({ object: {} }).length, 1)
    assert.equal(code(() => bulkObjectInputs({ objectList: { object: [] } })), 'GW_ERR_INPUT_INVALID objectList.object')
  })
})

describe('composeMessage', () => {
  it('re-encodes a client base64 payload after decoding it, so bytes survive and nothing is double-encoded', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251])
    const payload = {
      headers: [{ name: 'content-type', value: 'image/gif' }, { name: 'content-transfer-encoding', value: 'base64' }],
      body: Buffer.from(bytes.toString('base64')),
      raw: Buffer.alloc(0)
    }
    const msg = (await composeMessage({ fields: [], date: new Date(0), payload, text: '', hostname: 'h' })).toString()
    assert.match(msg, /^Content-Transfer-Encoding: base64\r$/m)
    assert.ok(msg.includes(`\r\n\r\n${bytes.toString('base64')}`), msg)
  })

  it('decodes quoted-printable (the shared decoder a client QP payload goes through)', () => {
    assert.equal(decodeQuotedPrintable(Buffer.from('a=3Db=\r\nc =C3=A9')).toString('utf8'), 'a=bc é')
  })
})

describe('bulk responses', () => {
  it('answers 200 when one item succeeded, else the first failure status', () => {
    const ok = bulkSuccess(201, { resourceURL: 'u' })
    const nf = bulkFailure(new GatewayError('GW_ERR_NOT_FOUND', { variables: ['x'] }), 'r')
    const forbidden = bulkFailure(new GatewayError('GW_ERR_FOLDER_CREATE_PROHIBITED', { variables: ['/Default'] }), 'r')
    assert.deepEqual(ok, { code: 201, reason: 'Created', success: { resourceURL: 'u' } })
    assert.equal(nf.reason, 'Not Found')
    assert.equal(bulkStatus([nf, ok]), 200)
    assert.equal(bulkStatus([forbidden, nf]), 403)
    assert.deepEqual(bulkFailure(new Error('boom'), 'req-1').failure, { serviceException: { messageId: 'SVC0001', text: 'A service error occurred. Error code is %1', variables: ['req-1'] } })
  })
})
