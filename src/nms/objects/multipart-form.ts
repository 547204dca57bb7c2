/**
 * The `multipart/form-data` body of object creation (nms-spec-digest.md R1 and R9): a
 * `root-fields` entry with the JSON, then `attachments` entries (one for POST /objects, one per
 * object, in order, for bulkCreation). Entry names are read leniently (digest R1): the TS
 * examples write `Content-Disposition: multipart/form-data; name="attachments"`, use
 * typographic quotes, and deployed clients send `form-data;name=` without a space.
 */
import { invalidInput } from '../../errors/gateway-error.js'
import { headerValue } from '../../shared/mime/header-block.js'
import { parseMultipart, parseStructured, type MimePart } from './multipart-parse.js'

/** The entries of a creation form, in order. */
export interface CreationForm {
  /** The first `root-fields` entry; undefined when there is none. */
  rootFields: MimePart | undefined
  /** Every `attachments` entry, in request order. */
  attachments: MimePart[]
}

/**
 * The form field name of a part: the `name` parameter of its Content-Disposition, whatever the
 * disposition type says. Unnamed parts give undefined.
 */
export function formFieldName (part: MimePart): string | undefined {
  const cd = headerValue(part.headers, 'content-disposition')
  if (cd === undefined) return undefined
  const name = parseStructured(cd).params.name
  return name === undefined ? undefined : name.trim().toLowerCase()
}

/** The `filename` parameter of a form entry, if any. */
export function formFileName (part: MimePart): string | undefined {
  const cd = headerValue(part.headers, 'content-disposition')
  return cd === undefined ? undefined : parseStructured(cd).params.filename
}

/**
 * Splits a `multipart/form-data` body. Entries with other names are ignored (RFC 7578 section
 * 5.2 lets receivers skip unknown fields).
 * @throws GatewayError 400 SVC0002 `Content-Type` when the boundary is missing or never occurs.
 */
export function readCreationForm (body: Buffer, contentType: string): CreationForm {
  const boundary = parseStructured(contentType).params.boundary
  if (boundary === undefined || boundary === '') throw invalidInput('Content-Type', 'multipart without boundary')
  const parts = parseMultipart(body, boundary)
  if (parts === null) throw invalidInput('Content-Type', 'boundary not found in the body')
  const form: CreationForm = { rootFields: undefined, attachments: [] }
  for (const part of parts) {
    const name = formFieldName(part)
    if (name === 'root-fields' && form.rootFields === undefined) form.rootFields = part
    else if (name === 'attachments') form.attachments.push(part)
  }
  return form
}
