/**
 * The object representation from IMAP metadata (issue 3 item 1): attribute rules (Date form,
 * Message-Context rules, Direction precedence), TextContent vs payload, payloadPart entries and
 * the correlation members, on hand-made metadata.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig } from '../../../../src/config/load.js'
import type { BodyStructure, MessageMeta } from '../../../../src/imap/types.js'
import { makeNode, type FolderNode } from '../../../../src/nms/folders/tree.js'
import { formatNmsDate, inlineTextPart, toNmsObject, type NmsObject } from '../../../../src/nms/objects/representation.js'

const config = loadConfig({
  env: {
    NMS_IMAP_MASTER_USER: 'master',
    NMS_IMAP_MASTER_PASSWORD: 'master-password',
    NMS_AUTH_HS256_SECRET: 'x'.repeat(32),
    NMS_PUBLIC_URL: 'https://nms.example.net'
  }
})
const BOX = 'tel:+15551234567'
const ctx = { config, box: { boxId: BOX }, boxUrl: 'https://nms.example.net/nms/v1/base/tel%3A%2B15551234567' }

function folder (path: string, specialUse?: string): FolderNode {
  return makeNode({ id: 'fid0000000000000000001', path, uidValidity: '7', lastModSeq: 1, firstSeen: '2024-01-01T00:00:00Z' },
    path.split('/'), undefined, { selectable: true, virtual: false, status: { uidValidity: '7' }, specialUse })
}

function meta (over: Partial<MessageMeta> & { body?: BodyStructure } = {}): MessageMeta {
  return {
    uid: 5,
    flags: ['\\Seen', '\\Recent'],
    modseq: '42',
    internalDate: new Date('2024-03-01T10:00:00Z'),
    size: 300,
    envelope: { from: [], sender: [], replyTo: [], to: [], cc: [], bcc: [], ...over.envelope },
    bodyStructure: over.body ?? { part: '1', type: 'text/plain', parameters: { charset: 'utf-8' }, size: 5, encoding: '7bit' },
    headers: over.headers ?? {},
    ...(over.uid === undefined ? {} : { uid: over.uid })
  }
}

function attr (o: NmsObject, name: string): string[] | undefined {
  return o.attributes.attribute.find((a) => a.name === name)?.value
}

describe('toNmsObject', () => {
  it('describes an SMS with TextContent, Direction In and the client correlationTag', () => {
    const m = meta({ headers: { from: ['tel:+15557654321'], to: ['tel:+15551234567'] } })
    assert.equal(inlineTextPart(config, m), '1')
    const o = toNmsObject(ctx, folder('INBOX'), m, { text: 'hello\r\n', truncated: false })
    assert.deepEqual(Object.keys(o), ['parentFolder', 'attributes', 'flags', 'resourceURL', 'path', 'lastModSeq', 'correlationTag'])
    assert.deepEqual(attr(o, 'TextContent'), ['hello'])
    assert.deepEqual(attr(o, 'Message-Context'), ['pager-message'])
    assert.deepEqual(attr(o, 'Direction'), ['In'])
    assert.deepEqual(attr(o, 'From'), ['tel:+15557654321'])
    assert.deepEqual(attr(o, 'Date'), ['2024-03-01T10:00:00+0000'])
    assert.deepEqual(attr(o, 'Content-Type'), ['text/plain; charset=utf-8'])
    assert.deepEqual(o.flags.flag, ['\\Seen'])
    assert.equal(o.flags.resourceURL, `${o.resourceURL}/flags`)
    assert.equal(o.correlationTag, '79eff053eeb25353')
    assert.equal(o.lastModSeq, 42)
    assert.equal(o.parentFolder, `${ctx.boxUrl}/folders/fid0000000000000000001`)
    assert.match(o.resourceURL, /^https:\/\/nms\.example\.net\/nms\/v1\/base\/tel%3A%2B15551234567\/objects\/[A-Za-z0-9_-]+$/)
    assert.equal(o.path, `/INBOX/${o.resourceURL.split('/').pop() as string}`)
  })

  it('falls back to the payload when the text was truncated or not fetched', () => {
    const m = meta({ headers: { from: ['tel:+15557654321'] } })
    for (const text of [undefined, null, { text: 'hel', truncated: true }]) {
      const o = toNmsObject(ctx, folder('INBOX'), m, text)
      assert.equal(attr(o, 'TextContent'), undefined)
      assert.equal(o.payloadURL, `${o.resourceURL}/payload`)
      assert.deepEqual(o.payloadPart, [{ contentType: 'text/plain', size: 5, href: `${o.resourceURL}/payloadParts/1` }])
      assert.equal(o.correlationTag, undefined)
    }
  })

  it('applies the Direction precedence', () => {
    const f = folder('INBOX')
    const dir = (headers: Record<string, string[]>, node = f): string[] | undefined => attr(toNmsObject(ctx, node, meta({ headers })), 'Direction')
    assert.deepEqual(dir({ direction: ['OUT'], 'message-direction': ['received'] }), ['Out'])
    assert.deepEqual(dir({ 'message-direction': ['sent'] }), ['Out'])
    assert.deepEqual(dir({ 'message-direction': ['received'] }, folder('Sent', '\\Sent')), ['In'])
    assert.deepEqual(dir({ from: ['tel:+15557654321'] }, folder('Sent', '\\Sent')), ['Out'])
    assert.deepEqual(dir({ from: ['<tel:+15551234567>'] }), ['Out'])
    assert.deepEqual(dir({ from: ['+15551234567'] }), ['Out'])
    assert.deepEqual(dir({ from: ['tel:+15557654321'] }), ['In'])
  })

  it('picks Message-Context from the header, the rules, or the default', () => {
    const ctxOf = (m: MessageMeta): string[] | undefined => attr(toNmsObject(ctx, folder('INBOX'), m), 'Message-Context')
    assert.deepEqual(ctxOf(meta({ headers: { 'message-context': ['chat-message'] } })), ['chat-message'])
    assert.deepEqual(ctxOf(meta({ envelope: { subject: 'Hi', from: [], sender: [], replyTo: [], to: [], cc: [], bcc: [] } })), ['text-message'])
    assert.deepEqual(ctxOf(meta({ body: { type: 'multipart/related', parameters: { boundary: 'b' }, childNodes: [] } })), ['multimedia-message'])
    assert.deepEqual(ctxOf(meta({ body: { part: '1', type: 'audio/amr', parameters: {} } })), ['voice-message'])
  })

  it('lists first-level parts of a multipart and sets correlationId from the Message-ID', () => {
    const body: BodyStructure = {
      type: 'multipart/related',
      parameters: { boundary: 'b=1 x', type: 'application/smil' },
      childNodes: [
        { part: '1', type: 'application/smil', parameters: {}, id: '<smil>', size: 300 },
        { part: '2', type: 'image/jpeg', parameters: { name: 'a.jpg' }, id: '<img1>', location: 'img1.jpg', size: 48211, encoding: 'base64' },
        { part: '3', type: 'multipart/alternative', parameters: { boundary: 'c' }, childNodes: [] }
      ]
    }
    const m = meta({ body, envelope: { messageId: '<mid-1@mmsc>', from: [], sender: [], replyTo: [], to: [], cc: [], bcc: [] } })
    const o = toNmsObject(ctx, folder('INBOX'), m)
    assert.deepEqual(attr(o, 'Content-Type'), ['multipart/related; boundary="b=1 x"; type="application/smil"'])
    assert.deepEqual(attr(o, 'Message-ID'), ['<mid-1@mmsc>'])
    assert.equal(o.correlationId, 'mid-1@mmsc')
    assert.deepEqual(o.payloadPart, [
      { contentType: 'application/smil', contentId: 'smil', size: 300, href: `${o.resourceURL}/payloadParts/1` },
      { contentType: 'image/jpeg', contentId: 'img1', contentLocation: 'img1.jpg', size: 48211, href: `${o.resourceURL}/payloadParts/2` },
      { contentType: 'multipart/alternative', href: `${o.resourceURL}/payloadParts/3` }
    ])
    const capped = toNmsObject({ ...ctx, config: { ...config, objects: { ...config.objects, maxPayloadParts: 1 } } }, folder('INBOX'), m)
    assert.equal(capped.payloadPart?.length, 1)
  })

  it('prefers the IMDN Message-ID for correlationId and maps configured headers', () => {
    const c = { ...ctx, config: { ...config, objects: { ...config.objects, headerAttributes: { 'X-Priority': 'Priority' } } } }
    const m = meta({
      headers: { 'imdn-message-id': ['imdn-7'], 'conversation-id': ['conv-1'], 'x-priority': ['1'], 'correlation-tag': ['tag-9'] },
      envelope: { messageId: '<m@x>', from: [], sender: [], replyTo: [], to: [], cc: [], bcc: [] }
    })
    const o = toNmsObject(c, folder('INBOX'), m)
    assert.equal(o.correlationId, 'imdn-7')
    assert.equal(o.correlationTag, 'tag-9')
    assert.deepEqual(attr(o, 'Conversation-ID'), ['conv-1'])
    assert.deepEqual(attr(o, 'IMDN-Message-ID'), ['imdn-7'])
    assert.deepEqual(attr(o, 'Priority'), ['1'])
  })

  it('uses the envelope date, else INTERNALDATE, in UTC', () => {
    assert.equal(formatNmsDate(new Date('2024-03-01T12:00:00+02:00')), '2024-03-01T10:00:00+0000')
    const m = meta({ envelope: { date: new Date('invalid'), from: [], sender: [], replyTo: [], to: [], cc: [], bcc: [] } })
    assert.deepEqual(attr(toNmsObject(ctx, folder('INBOX'), m), 'Date'), ['2024-03-01T10:00:00+0000'])
  })
})
