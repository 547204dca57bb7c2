/**
 * JSON body parsing. Differs from fastify's default in two ways deployed clients need:
 * an empty body with `Content-Type: application/json` parses to `undefined` (the Samsung client
 * sends that on individual flag PUT, nms-client-profile.md check 2), and a charset other than
 * UTF-8 is refused with 415 instead of being misread. Prototype-poisoning keys are refused as
 * fastify does (secure-json-parse).
 */
import fp from 'fastify-plugin'
import sjson from 'secure-json-parse'
import type { FastifyInstance } from 'fastify'
import { GatewayError } from '../../errors/gateway-error.js'

async function jsonBodyPlugin (app: FastifyInstance): Promise<void> {
  // NMS bodies are JSON (or multipart for object creation); fastify's text/plain parser would let
  // a plain-text body reach schema validation as a string and answer 400 instead of 415.
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json(\s*;.*)?$/i, { parseAs: 'buffer' }, (request, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase()
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      done(new GatewayError('GW_ERR_MEDIA_TYPE_UNSUPPORTED', { variables: [`charset=${charset}`] }), undefined)
      return
    }
    const buf = body as Buffer
    const text = buf.toString('utf8').replace(/^\uFEFF/, '')
    if (text.trim() === '') {
      done(null, undefined)
      return
    }
    try {
      done(null, sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }))
    } catch (err) {
      done(new GatewayError('GW_ERR_INPUT_INVALID', { variables: ['body'], detail: `malformed JSON: ${(err as Error).message}` }), undefined)
    }
  })
}

export default fp(jsonBodyPlugin, { name: 'nms-json-body', fastify: '5.x' })
