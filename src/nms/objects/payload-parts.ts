/**
 * Payload parts from BODYSTRUCTURE (nms-spec-digest.md 2.5, R5/R6): only the first-level MIME
 * parts are exposed, a nested multipart counting as one part; a single-part message has the one
 * part `1` (RFC 3501 section 6.4.5: `BODY[1]` of a non-multipart message is its body).
 */
import type { BodyStructure } from '../../imap/types.js'
import type { NmsPayloadPart } from '../wire/object.js'
import { stripAngles } from './correlation.js'

export type { NmsPayloadPart }

/** RFC 2045 token characters; anything else is sent as a quoted-string. */
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/

/** A header parameter value, quoted when it is not a token (RFC 2045 section 5.1). */
export function quoteParam (value: string): string {
  return TOKEN.test(value) ? value : `"${value.replace(/(["\\])/g, '\\$1')}"`
}

/**
 * The Content-Type of a BODYSTRUCTURE node: `type/subtype` and, when asked, its parameters
 * (`boundary` of a multipart, `charset`, `name`, ...) so that the entity parses as sent.
 */
export function contentTypeOf (node: BodyStructure, withParams = true): string {
  const type = node.type === '' ? 'text/plain' : node.type.toLowerCase()
  if (!withParams) return type
  const params = Object.entries(node.parameters)
    // A non-ASCII parameter value would make an invalid HTTP header; RFC 2231 form is not worth it here.
    .filter(([, v]) => /^[\x20-\x7e]*$/.test(v))
    .map(([k, v]) => `; ${k}=${quoteParam(v)}`)
  return type + params.join('')
}

/** The first-level parts with their IMAP part numbers, in order. */
export function firstLevelParts (root: BodyStructure): Array<{ part: string, node: BodyStructure }> {
  if (root.childNodes === undefined || !root.type.startsWith('multipart/')) return [{ part: '1', node: root }]
  return root.childNodes.map((node, i) => ({ part: node.part ?? String(i + 1), node }))
}

/** The form of a first-level part id (`1`, `2`, ...). */
export const FIRST_LEVEL_PART = /^[1-9][0-9]{0,5}$/

/** The first-level part `partId` names, or undefined. */
export function findFirstLevelPart (root: BodyStructure, partId: string): BodyStructure | undefined {
  if (!FIRST_LEVEL_PART.test(partId)) return undefined
  return firstLevelParts(root).find((p) => p.part === partId)?.node
}

/** The file name of a part (Content-Disposition `filename`, else Content-Type `name`). */
export function fileNameOf (node: BodyStructure): string | undefined {
  const name = node.dispositionParameters?.filename ?? node.parameters.name
  return name === undefined || name.trim() === '' ? undefined : name.trim()
}

/** `payloadPart[]` of an object, at most `max` entries; `objectUrl` is the object's resourceURL. */
export function payloadParts (root: BodyStructure, objectUrl: string, max: number): NmsPayloadPart[] {
  return firstLevelParts(root).slice(0, max).map(({ part, node }) => {
    const contentId = node.id === undefined ? '' : stripAngles(node.id)
    const location = node.location?.trim() ?? ''
    return {
      // Bare type/subtype, as in every TS example; the part's own GET carries the parameters.
      contentType: contentTypeOf(node, false),
      ...(contentId === '' ? {} : { contentId }),
      ...(location === '' ? {} : { contentLocation: location }),
      ...(node.size === undefined ? {} : { size: node.size }),
      href: `${objectUrl}/payloadParts/${part}`
    }
  })
}
