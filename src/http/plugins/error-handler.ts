/**
 * Renders every error as an NMS `requestError` (nms-spec-digest.md section 6.1) and every
 * unknown route as 404 SVC0004. fastify's own errors (validation, body limit, media type,
 * malformed JSON) are mapped to the catalogue, so no request ends in an unhandled 500.
 */
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ERROR_CODES } from '../../errors/codes.js'
import { GatewayError, isGatewayError, notFound } from '../../errors/gateway-error.js'
import { toRequestErrorBody } from '../../errors/to-nms-body.js'

interface AjvLikeError {
  instancePath?: string
  params?: Record<string, unknown>
  message?: string
}

/** Names the offending part of a schema-invalid request, e.g. `folder.name` or `maxEntries`. */
export function validationPart (context: string | undefined, errors: readonly AjvLikeError[]): string {
  const first = errors[0]
  if (first === undefined) return context ?? 'body'
  const segments = (first.instancePath ?? '').split('/').filter((s) => s !== '').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
  const missing = first.params?.missingProperty ?? first.params?.additionalProperty
  if (typeof missing === 'string') segments.push(missing)
  if (segments.length === 0) return context ?? 'body'
  return context === 'body' || context === undefined ? segments.join('.') : segments.join('.')
}

/** Maps any thrown value to a GatewayError. */
export function toGatewayError (err: unknown, requestId: string): GatewayError {
  if (isGatewayError(err)) return err
  const e = err as FastifyError & { validation?: AjvLikeError[], validationContext?: string }
  if (Array.isArray(e.validation)) {
    const part = validationPart(e.validationContext, e.validation)
    return new GatewayError('GW_ERR_INPUT_INVALID', { variables: [part], detail: e.message, cause: err })
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('GW_ERR_BODY_TOO_LARGE', { variables: ['body'], detail: e.message })
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('GW_ERR_MEDIA_TYPE_UNSUPPORTED', { variables: ['Content-Type'], detail: e.message })
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError('GW_ERR_INPUT_INVALID', { variables: ['Content-Length'], detail: e.message })
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_INVALID_URL':
      return new GatewayError('GW_ERR_INPUT_INVALID', { variables: ['Request-URI'], detail: e.message })
    default:
      break
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500
  if (status === 413) return new GatewayError('GW_ERR_BODY_TOO_LARGE', { variables: ['body'], detail: e.message })
  if (status === 415) return new GatewayError('GW_ERR_MEDIA_TYPE_UNSUPPORTED', { variables: ['Content-Type'], detail: e.message })
  if (status >= 400 && status < 500) {
    // Malformed JSON and other body-parsing failures land here (SyntaxError with statusCode 400).
    return new GatewayError('GW_ERR_INPUT_INVALID', { variables: ['body'], detail: e.message, cause: err })
  }
  return new GatewayError('GW_ERR_INTERNAL', { variables: [requestId], detail: e.message, cause: err })
}

/** Sends a GatewayError as an NMS error response. */
export function sendGatewayError (reply: FastifyReply, err: GatewayError): FastifyReply {
  for (const [name, value] of Object.entries(err.headers)) reply.header(name, value)
  return reply.code(ERROR_CODES[err.code].status).type('application/json').send(toRequestErrorBody(err))
}

async function errorHandlerPlugin (app: FastifyInstance): Promise<void> {
  app.setErrorHandler(async (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const gwErr = toGatewayError(error, request.id)
    const log = { err: error, code: gwErr.code, detail: gwErr.detail }
    if (gwErr.statusCode >= 500) request.log.error(log, 'request failed')
    else request.log.warn(log, 'request refused')
    return sendGatewayError(reply, gwErr)
  })
  app.setNotFoundHandler(async (_request: FastifyRequest, reply: FastifyReply) => {
    return sendGatewayError(reply, notFound('Request-URI'))
  })
}

export default fp(errorHandlerPlugin, { name: 'nms-error-handler', fastify: '5.x' })
