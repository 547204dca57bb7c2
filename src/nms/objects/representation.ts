/**
 * The NMS `Object` (nms-spec-digest.md 2.1) built from IMAP metadata only (architecture.md
 * section 3): ENVELOPE, FLAGS, MODSEQ, INTERNALDATE, RFC822.SIZE, BODYSTRUCTURE and the header
 * fields in `objectHeaderFields(config)`. The only body ever read is the small text of a pager
 * message, inlined as `TextContent` (see `inlineTextPart`).
 *
 * Members are emitted in the XSD order (digest 2.1); every URL is absolute with the boxId
 * percent-encoded (client profile 1.4); every attribute value is an array of decoded strings.
 */
import type { Config } from '../../config/schema.js'
import type { MessageMeta, TextPart } from '../../imap/types.js'
import { folderUrl, objectUrl, type FolderContext } from '../folders/context.js'
import { objectReference, type NmsReference } from '../folders/representation.js'
import type { FolderNode } from '../folders/tree.js'
import { encodeObjectId } from '../ids/object-id.js'
import { addressValues, bareAddress } from './addresses.js'
import { smsCorrelationTag, stripAngles } from './correlation.js'
import { outputFlags } from './flags.js'
import { directionOf, messageContextOf } from './message-context.js'
import { contentTypeOf, payloadParts } from './payload-parts.js'
import type { NmsAttribute, NmsObject, NmsPayloadPart } from '../wire/object.js'

export { objectReference, type NmsReference }
export type { NmsAttribute, NmsObject, NmsPayloadPart }

/** Message-Context of SMS-like objects (digest 7.1). */
export const PAGER_MESSAGE = 'pager-message'

/**
 * Header fields every object description fetches (lower case). `objectHeaderFields(config)`
 * adds the configured `objects.headerAttributes`; fetch with that.
 */
export const OBJECT_HEADER_FIELDS: readonly string[] = [
  'from', 'to', 'cc', 'bcc', 'message-context', 'direction', 'message-direction', 'conversation-id',
  'contribution-id', 'inreplyto-contribution-id', 'imdn-message-id', 'correlation-tag'
]

/** OBJECT_HEADER_FIELDS plus the headers of `objects.headerAttributes`. */
export function objectHeaderFields (config: Readonly<Config>): string[] {
  const extra = Object.keys(config.objects.headerAttributes).map((h) => h.toLowerCase())
  return [...new Set([...OBJECT_HEADER_FIELDS, ...extra])]
}

/** Headers copied 1:1 to attributes of the same name (digest 7.1). */
const PLAIN_ATTRIBUTES: ReadonlyArray<[header: string, attribute: string]> = [
  ['conversation-id', 'Conversation-ID'],
  ['contribution-id', 'Contribution-ID'],
  ['inreplyto-contribution-id', 'InReplyTo-Contribution-ID'],
  ['imdn-message-id', 'IMDN-Message-ID']
]

/** `yyyy-MM-ddTHH:mm:ss+0000` in UTC: the first pattern deployed clients try (client profile 3.1). */
export function formatNmsDate (d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, '+0000')
}

/** True for a single-part text/plain message. */
function isSingleTextPlain (meta: MessageMeta): boolean {
  return meta.bodyStructure.childNodes === undefined && meta.bodyStructure.type.toLowerCase() === 'text/plain'
}

/**
 * The IMAP part to fetch (with `fetchText`, at most `objects.textContentMaxBytes`) for
 * `TextContent`, or undefined when the object is not inlined: only single-part text/plain
 * `pager-message` objects whose encoded body could decode to at most the limit.
 */
export function inlineTextPart (config: Readonly<Config>, meta: MessageMeta): string | undefined {
  const max = config.objects.textContentMaxBytes
  if (max <= 0 || !isSingleTextPlain(meta) || messageContextOf(config, meta) !== PAGER_MESSAGE) return undefined
  // Quoted-printable may triple the size of UTF-8 text (RFC 2045 section 6.7); the exact limit is
  // applied to the decoded text (TextPart.truncated).
  const encoded = meta.bodyStructure.size ?? meta.size
  return encoded <= max * 3 + 64 ? '1' : undefined
}

/** The decoded text without the one line terminator that ends the body (architecture.md section 10). */
export function textContentOf (text: TextPart): string {
  return text.text.replace(/\r?\n$/, '')
}

function attribute (name: string, value: readonly string[]): NmsAttribute[] {
  const v = value.map((s) => s.trim()).filter((s) => s !== '')
  return v.length === 0 ? [] : [{ name, value: v }]
}

/**
 * The object `meta` describes in `folder`. `text` is the result of `fetchText` for
 * `inlineTextPart(...)`, when that named a part; a missing or truncated text means the object is
 * described with its payload instead.
 */
export function toNmsObject (
  ctx: Pick<FolderContext, 'boxUrl' | 'config' | 'box'>,
  folder: FolderNode,
  meta: MessageMeta,
  text?: TextPart | null
): NmsObject {
  const { config } = ctx
  const h = meta.headers
  const ref = objectReference(ctx, folder, folder.uidValidity, meta.uid)
  const from = addressValues(h.from, meta.envelope.from)
  const to = addressValues(h.to, meta.envelope.to)
  const sent = meta.envelope.date
  const date = sent !== undefined && !Number.isNaN(sent.getTime()) ? sent : meta.internalDate
  const messageContext = messageContextOf(config, meta)
  const direction = directionOf(meta, folder, ctx.box.boxId, from)
  const inline = text != null && !text.truncated && inlineTextPart(config, meta) !== undefined
    ? textContentOf(text)
    : undefined

  const attributes: NmsAttribute[] = [
    ...attribute('Date', [formatNmsDate(date)]),
    ...attribute('From', from),
    ...attribute('To', to),
    ...attribute('Cc', addressValues(h.cc, meta.envelope.cc)),
    ...attribute('Bcc', addressValues(h.bcc, meta.envelope.bcc)),
    ...attribute('Subject', meta.envelope.subject === undefined ? [] : [meta.envelope.subject]),
    ...attribute('Message-ID', meta.envelope.messageId === undefined ? [] : [meta.envelope.messageId]),
    ...attribute('Content-Type', [contentTypeOf(meta.bodyStructure)]),
    ...attribute('Message-Context', [messageContext]),
    ...attribute('Direction', [direction]),
    ...PLAIN_ATTRIBUTES.flatMap(([header, name]) => attribute(name, h[header] ?? [])),
    ...Object.entries(config.objects.headerAttributes)
      .flatMap(([header, name]) => attribute(name, h[header.toLowerCase()] ?? [])),
    // TextContent keeps its text exactly (no trimming): it is the message.
    ...(inline === undefined ? [] : [{ name: 'TextContent', value: [inline] }])
  ]

  const correlationId = correlationIdOf(meta)
  const correlationTag = correlationTagOf(config, meta, { messageContext, direction, from, to, text: inline })
  const modseq = Number(meta.modseq)
  return {
    parentFolder: folderUrl(ctx, folder.id),
    attributes: { attribute: attributes },
    flags: { flag: outputFlags(meta.flags), resourceURL: `${ref.resourceURL}/flags` },
    resourceURL: ref.resourceURL,
    path: ref.path,
    ...(inline === undefined
      ? {
          payloadURL: `${ref.resourceURL}/payload`,
          payloadPart: payloadParts(meta.bodyStructure, ref.resourceURL, config.objects.maxPayloadParts)
        }
      : {}),
    ...(Number.isSafeInteger(modseq) && modseq > 0 ? { lastModSeq: modseq } : {}),
    ...(correlationId === undefined ? {} : { correlationId }),
    ...(correlationTag === undefined ? {} : { correlationTag })
  }
}

/**
 * `correlationId` (digest 3.9): the IMDN Message-ID when the message has one (RCS clients
 * correlate by it: client profile 3.1), else the Message-ID, without angle brackets.
 */
export function correlationIdOf (meta: MessageMeta): string | undefined {
  const imdn = meta.headers['imdn-message-id']?.[0]
  const raw = imdn !== undefined && imdn.trim() !== '' ? imdn : meta.envelope.messageId
  const id = raw === undefined ? '' : stripAngles(raw)
  return id === '' ? undefined : id
}

/**
 * `correlationTag` (architecture.md section 10): a stored `Correlation-Tag` header, else for an
 * inlined pager message (when `objects.smsCorrelationTag`) the deployed-client SMS hash over the
 * remote party (From when received, the first To when sent) and the text.
 */
function correlationTagOf (
  config: Readonly<Config>,
  meta: MessageMeta,
  o: { messageContext: string, direction: string, from: string[], to: string[], text: string | undefined }
): string | undefined {
  const stored = meta.headers['correlation-tag']?.[0]?.trim()
  if (stored !== undefined && stored !== '') return stored
  if (!config.objects.smsCorrelationTag || o.messageContext !== PAGER_MESSAGE || o.text === undefined) return undefined
  if (o.direction !== 'In' && o.direction !== 'Out') return undefined
  const remote = o.direction === 'In' ? o.from[0] : o.to[0]
  return remote === undefined ? undefined : smsCorrelationTag(o.direction, bareAddress(remote), o.text)
}

/** The object's `{resourceURL, path}` from its folder and UID. */
export function objectReferenceOf (ctx: Pick<FolderContext, 'boxUrl'>, folder: FolderNode, uid: number): Required<NmsReference> {
  return objectReference(ctx, folder, folder.uidValidity, uid)
}

/** The objectId of a message in `folder`. */
export function objectIdOf (folder: FolderNode, uid: number): string {
  return encodeObjectId({ folderId: folder.id, uidValidity: folder.uidValidity, uid })
}

export { objectUrl }
