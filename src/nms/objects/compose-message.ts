/**
 * Composes the RFC 5322 message APPENDed for a created object, with nodemailer's MimeNode (the
 * MIME builder behind its MailComposer). The `attachments` entry is the message body: its
 * Content-Type becomes the message's top-level Content-Type (nms-spec-digest.md R1), so a
 * nested `multipart/related` payload keeps its boundary, `start` and `type` parameters, and the
 * payload served later is what the client stored (architecture.md section 10, Payload).
 *
 * Transfer encodings: a part already in base64 or quoted-printable is copied verbatim; any other
 * leaf (raw binary, 8-bit text) is handed to nodemailer, which picks 7bit, quoted-printable or
 * base64, so the message is 7-bit clean and never carries NUL bytes (RFC 3501 section 4.3 does
 * not allow them in an APPEND literal).
 */
import MimeNode from 'nodemailer/lib/mime-node/index.js'
import { invalidInput } from '../../errors/gateway-error.js'
import type { HeaderField } from './compose-headers.js'
import { formFileName } from './multipart-form.js'
import { headerValue } from '../../shared/mime/header-block.js'
import { decodeTransfer } from '../../shared/mime/transfer-decoding.js'
import { parseMultipart, parseStructured, type MimePart } from './multipart-parse.js'

/** Part headers carried into the stored message (the form-data disposition is not). */
const PART_HEADERS = ['content-id', 'content-location', 'content-description', 'content-language']

/** Deepest nesting of multiparts inside the payload (a guard against hostile input). */
const MAX_DEPTH = 8

/** What goes into the message. */
export interface MessageSpec {
  fields: readonly HeaderField[]
  /** Date header; nodemailer writes it as RFC 5322 date-time in +0000. */
  date: Date
  /** The `attachments` entry, or undefined for an object without payload. */
  payload: MimePart | undefined
  /** Body text when there is no payload (the TextContent attribute), else empty. */
  text: string
  /** Host part of generated Message-IDs. */
  hostname: string
}

/** Header names as the NMS attributes spell them; nodemailer would write `Conversation-Id`. */
const SPELLING = new Map(['Message-ID', 'Conversation-ID', 'Contribution-ID', 'InReplyTo-Contribution-ID',
  'IMDN-Message-ID', 'MIME-Version', 'Content-ID'].map((h) => [h.toLowerCase(), h]))

const VERBATIM_PREFIX = 'X-Nms-Verbatim-'
const VERBATIM = /^X-Nms-Verbatim-/i

function rfc5322Date (d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000')
}

/** Writes a header as given (nodemailer's `prepared` form: no re-encoding, no parsing). */
function setPrepared (node: MimeNode, name: string, value: string): void {
  // The typings omit the `{ prepared, value }` form nodemailer documents for custom headers.
  const add = node.addHeader as (key: string, value: unknown) => MimeNode
  add.call(node, name, { prepared: true, foldLines: true, value })
}

function isText (type: string): boolean {
  return type.startsWith('text/')
}

/** Leaf content in the form nodemailer encodes best: a string for UTF-8 text, else bytes. */
function leafContent (type: string, params: Record<string, string>, body: Buffer): string | Buffer {
  const charset = (params.charset ?? 'utf-8').toLowerCase()
  if (!isText(type) || !['utf-8', 'utf8', 'us-ascii'].includes(charset)) return body
  const text = body.toString('utf8')
  return Buffer.from(text, 'utf8').equals(body) ? text : body
}

/** Copies a part's own headers onto `node`. */
function copyPartHeaders (node: MimeNode, part: MimePart, top: boolean): void {
  for (const h of part.headers) {
    if (!PART_HEADERS.includes(h.name)) continue
    setPrepared(node, SPELLING.get(h.name) ?? h.name.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase()), h.value)
  }
  const disposition = headerValue(part.headers, 'content-disposition')
  // A file name matters for a file payload; an SMS body (`sms.txt`, client profile 3.3) stays inline text.
  const type = parseStructured(headerValue(part.headers, 'content-type') ?? 'text/plain').value
  const filename = top && !isText(type) ? formFileName(part) : undefined
  if (disposition !== undefined && !top) setPrepared(node, 'Content-Disposition', disposition)
  else if (filename !== undefined && filename !== '') node.setHeader('Content-Disposition', `inline; filename="${filename.replace(/["\\]/g, '')}"`)
}

/** Fills `node` (whose Content-Type is already set) from `part`. */
function fill (node: MimeNode, part: MimePart, type: string, params: Record<string, string>, depth: number): void {
  if (type.startsWith('multipart/')) {
    const boundary = params.boundary
    const children = boundary === undefined || boundary === '' ? null : parseMultipart(part.body, boundary)
    if (children === null || children.length === 0 || depth >= MAX_DEPTH) throw invalidInput('attachments', 'unparsable multipart payload')
    for (const child of children) addChild(node, child, depth + 1)
    return
  }
  node.setContent(leafContent(type, params, part.body))
}

function addChild (parent: MimeNode, part: MimePart, depth: number): void {
  const cte = headerValue(part.headers, 'content-transfer-encoding')?.trim().toLowerCase()
  if (cte === 'base64' || cte === 'quoted-printable') {
    // Already 7-bit: the part is copied byte for byte.
    parent.appendChild(new MimeNode('application/octet-stream').setRaw(part.raw))
    return
  }
  const ct = headerValue(part.headers, 'content-type') ?? 'text/plain'
  const { value: type, params } = parseStructured(ct)
  const child = parent.createChild(ct)
  copyPartHeaders(child, part, false)
  fill(child, part, type, params, depth)
}

/** Builds the message; returns its bytes (CRLF line ends). */
export async function composeMessage (spec: MessageSpec): Promise<Buffer> {
  const payload = spec.payload
  const ct = payload === undefined ? 'text/plain; charset=utf-8' : headerValue(payload.headers, 'content-type') ?? 'text/plain'
  // Header names go out as the attributes spell them (nodemailer would write `Is-Cpm-Group`).
  const spelling = new Map(SPELLING)
  for (const f of spec.fields) spelling.set(f.name.toLowerCase(), f.name)
  const root = new MimeNode(ct, {
    hostname: spec.hostname,
    keepBcc: true,
    normalizeHeaderKey: (key: string) => {
      const name = key.replace(VERBATIM, '')
      return spelling.get(name.toLowerCase()) ?? name
    }
  })
  root.setHeader('Date', rfc5322Date(spec.date))
  for (const f of spec.fields) {
    // A verbatim field travels under a placeholder name so nodemailer does not parse it as an
    // address list (`tel:` would read as an RFC 5322 group); the name is restored on output.
    root.addHeader(f.raw === true ? `${VERBATIM_PREFIX}${f.name}` : f.name, f.value)
  }
  if (payload === undefined) {
    root.setContent(spec.text)
  } else {
    const cte = headerValue(payload.headers, 'content-transfer-encoding')?.trim().toLowerCase()
    const { value: type, params } = parseStructured(ct)
    copyPartHeaders(root, payload, true)
    // Encoded by the client: decode, and let nodemailer encode it again (same bytes, checked lines).
    const body = decodeTransfer(payload.body, cte)
    fill(root, { ...payload, body }, type, params, 0)
  }
  return await root.build()
}
