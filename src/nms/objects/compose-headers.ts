/**
 * From the attributes of a creation request to RFC 5322 header fields (architecture.md
 * section 3, attributes row, read in reverse). Decisions:
 *
 * - `Date` becomes the Date header and the APPEND internal date (RFC 3501 section 6.3.11);
 *   ISO 8601 (`Z`, `+0000`, `+00:00`) and RFC 5322 dates are read.
 * - `Direction` accepts `In`/`Out` in any case (deployed clients send `IN`/`OUT`, client
 *   profile 3.3) and is stored canonical; anything else is 400 SVC0003.
 * - `Message-ID` gets angle brackets (RFC 5322 section 3.6.4); without one, `correlationId`
 *   becomes the Message-ID. `correlationTag` is stored as `Correlation-Tag` (architecture.md 10).
 * - Address attributes (From, To, Cc, Bcc, Reply-To): values with `@` are formatted and
 *   encoded by nodemailer; other values (`tel:+1555...`, bare E.164 numbers, as deployed
 *   clients send) are stored verbatim, the way RCC.07 message stores write them.
 * - `TextContent` is the text of a payload-less object (digest 3.6), never a header.
 * - `Content-Type`, `Content-Transfer-Encoding`, `Content-Disposition`, `Content-ID` and
 *   `MIME-Version` are ignored: the `attachments` entry decides the MIME structure.
 * - Other attributes, including the `objects.headerAttributes` mappings in reverse, become
 *   header fields when the name is a valid field name (RFC 5322 section 3.6.8), else 400.
 * - No value may hold CR, LF or another control character (header injection); non-ASCII values
 *   are RFC 2047 encoded by nodemailer.
 */
import { GatewayError, invalidInput } from '../../errors/gateway-error.js'
import type { InputAttribute } from './create-input.js'

/** A header field to write: `raw` values are written verbatim, never parsed as addresses. */
export interface HeaderField {
  name: string
  value: string
  raw?: boolean
}

/** What the attributes say about the message. */
export interface ComposedHeaders {
  fields: HeaderField[]
  /** The Date attribute, also the internal date; undefined when none was given. */
  date: Date | undefined
  /** `TextContent`, the body of a payload-less object. */
  textContent: string | undefined
}

/** Attribute names (lower case) with their header spelling. */
const KNOWN = new Map(['From', 'To', 'Cc', 'Bcc', 'Reply-To', 'Subject', 'Message-ID', 'Message-Context', 'Direction',
  'Conversation-ID', 'Contribution-ID', 'InReplyTo-Contribution-ID', 'IMDN-Message-ID', 'In-Reply-To']
  .map((h) => [h.toLowerCase(), h]))

const ADDRESS = new Set(['from', 'to', 'cc', 'bcc', 'reply-to'])
const IGNORED = new Set(['content-type', 'content-transfer-encoding', 'content-disposition', 'content-id', 'mime-version'])
const SINGLE = new Set(['date', 'subject', 'message-id', 'message-context', 'direction', 'textcontent'])

// RFC 5322 section 3.6.8: ftext = %d33-57 / %d59-126.
const FIELD_NAME = /^[!-9;-~]{1,76}$/
// Any control character but TAB; CR and LF above all.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/
// TextContent is a body: line breaks are fine there, NUL is not (RFC 5322 section 2.3).
const TEXT_CONTROL = /[\u0000\u2028\u2029]/ // eslint-disable-line no-control-regex
const VERBATIM_ADDRESS = /^[!-~]+$/

/** Reads an ISO 8601 or RFC 5322 date; undefined when it is not one. */
export function parseAttributeDate (value: string): Date | undefined {
  const v = value.trim()
  const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(v)
  let ms: number
  if (iso !== null) {
    const zone = iso[3] === undefined || iso[3].toUpperCase() === 'Z' ? 'Z' : iso[3].replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2')
    ms = Date.parse(`${iso[1] as string}T${iso[2] as string}${zone}`)
  } else if (/^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}/.test(v)) {
    ms = Date.parse(v)
  } else {
    return undefined
  }
  return Number.isNaN(ms) ? undefined : new Date(ms)
}

/** `<id>` for an id given with or without brackets; undefined when it cannot be a msg-id. */
export function messageIdValue (id: string): string | undefined {
  const bare = id.trim().replace(/^<(.*)>$/, '$1')
  return /^[!-;=?-~]+$/.test(bare) ? `<${bare}>` : undefined
}

function headerNameOf (attr: string, reverse: ReadonlyMap<string, string>): string | undefined {
  const key = attr.toLowerCase()
  return KNOWN.get(key) ?? reverse.get(key) ?? (FIELD_NAME.test(attr) ? attr : undefined)
}

function addressField (name: string, values: readonly string[]): HeaderField {
  if (values.every((v) => v.includes('@'))) return { name, value: values.join(', ') }
  if (!values.every((v) => VERBATIM_ADDRESS.test(v.trim()))) throw invalidInput(`attribute ${name}`, 'not an address')
  return { name, value: values.map((v) => v.trim()).join(', '), raw: true }
}

/**
 * Header fields for the attributes and correlation members of one creation object.
 * @param headerAttributes - `objects.headerAttributes` (header name -> attribute name).
 * @throws GatewayError 400 SVC0002 naming the attribute; 400 SVC0003 for a bad Direction.
 */
export function composeHeaders (
  attributes: readonly InputAttribute[],
  correlation: { correlationId?: string | undefined, correlationTag?: string | undefined },
  headerAttributes: Readonly<Record<string, string>>
): ComposedHeaders {
  const reverse = new Map(Object.entries(headerAttributes).map(([header, attr]) => [attr.toLowerCase(), header]))
  const fields: HeaderField[] = []
  const seen = new Set<string>()
  let date: Date | undefined
  let textContent: string | undefined
  for (const a of attributes) {
    const key = a.name.toLowerCase()
    const where = `attribute ${a.name}`
    if (seen.has(key)) throw invalidInput(where, 'repeated attribute')
    seen.add(key)
    if (a.value.some((v) => (key === 'textcontent' ? TEXT_CONTROL : CONTROL).test(v))) {
      throw invalidInput(where, 'control character in a value')
    }
    if (a.value.length === 0 || IGNORED.has(key)) continue
    if (SINGLE.has(key) && a.value.length > 1) throw invalidInput(where, 'one value only')
    const first = a.value[0] as string
    if (key === 'textcontent') {
      textContent = first
    } else if (key === 'date') {
      date = parseAttributeDate(first)
      if (date === undefined) throw invalidInput(where, 'not a date')
    } else if (key === 'direction') {
      const d = first.trim().toLowerCase()
      if (d !== 'in' && d !== 'out') throw new GatewayError('GW_ERR_INPUT_INVALID_CHOICE', { variables: [where, 'In, Out'] })
      fields.push({ name: 'Direction', value: d === 'in' ? 'In' : 'Out' })
    } else if (key === 'message-id' || key === 'imdn-message-id' || key === 'in-reply-to') {
      const ids = a.value.map(messageIdValue)
      if (ids.some((id) => id === undefined)) throw invalidInput(where, 'not a message id')
      fields.push({ name: KNOWN.get(key) as string, value: ids.join(' ') })
    } else if (ADDRESS.has(key)) {
      fields.push(addressField(KNOWN.get(key) as string, a.value))
    } else {
      const name = headerNameOf(a.name, reverse)
      if (name === undefined) throw invalidInput(where, 'not a header field name')
      for (const v of a.value) fields.push({ name, value: v })
    }
  }
  addCorrelation(fields, seen, correlation)
  return { fields, date, textContent }
}

function addCorrelation (
  fields: HeaderField[],
  seen: ReadonlySet<string>,
  c: { correlationId?: string | undefined, correlationTag?: string | undefined }
): void {
  if (c.correlationId !== undefined && !seen.has('message-id')) {
    const id = messageIdValue(c.correlationId)
    if (id === undefined) throw invalidInput('correlationId')
    fields.push({ name: 'Message-ID', value: id })
  }
  if (c.correlationTag !== undefined) {
    if (CONTROL.test(c.correlationTag)) throw invalidInput('correlationTag')
    if (!seen.has('correlation-tag')) fields.push({ name: 'Correlation-Tag', value: c.correlationTag })
  }
}
