/**
 * Renders errors as the OMA `requestError` body (nms-spec-digest.md section 6.1), and as the
 * wrapper-less `failure` member of a bulk response item.
 */
import { ERROR_CODES } from './codes.js'
import type { GatewayError } from './gateway-error.js'
import type { NmsException } from './wire.js'

export type { NmsException }

/**
 * The content of a requestError: the wire schema `RequestFailure` lists both exceptions as
 * optional; this type says exactly one is present.
 */
export type NmsFailure =
  | { link?: Array<{ rel: string, href: string }>, serviceException: NmsException }
  | { link?: Array<{ rel: string, href: string }>, policyException: NmsException }

/** The content of a requestError (used bare inside bulk responses). */
export function toFailure (err: GatewayError): NmsFailure {
  const spec = ERROR_CODES[err.code]
  const exception: NmsException = { messageId: spec.messageId, text: spec.text, variables: [...err.variables] }
  const link = err.links.length > 0 ? { link: err.links.map((l) => ({ ...l })) } : {}
  return spec.kind === 'serviceException'
    ? { ...link, serviceException: exception }
    : { ...link, policyException: exception }
}

/** `{"requestError": {...}}` for an HTTP error response. */
export function toRequestErrorBody (err: GatewayError): { requestError: NmsFailure } {
  return { requestError: toFailure(err) }
}
