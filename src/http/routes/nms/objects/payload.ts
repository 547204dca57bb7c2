/**
 * Payloads (nms-spec-digest.md R5, R6; architecture.md section 10): streamed from IMAP with
 * `reply.send(stream)`. Fastify destroys the response when the IMAP stream fails after the
 * headers went out (the client sees a truncated body, never a crash), and destroys the stream
 * when the client goes away, which releases the IMAP session.
 *
 * `Accept` never causes a 406: deployed clients send `Accept: application/json` on binary
 * downloads (client profile check 8). Only `message/rfc822` in `Accept` changes the answer, to
 * the whole RFC 5322 source.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppDeps } from '../../../app-deps.js'
import { openPayload, openPayloadPart, type PayloadStream } from '../../../../nms/objects/payload.js'
import { nmsContext } from '../request-context.js'
import { ObjectParams, PartParams, PayloadResponse } from './schemas.js'

const tags = ['objects']

/** True when `Accept` lists `message/rfc822` with a non-zero quality (RFC 9110 section 12.5.1). */
export function wantsRfc822 (accept: string | undefined): boolean {
  if (accept === undefined) return false
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((s) => s.trim().toLowerCase())
    if (type !== 'message/rfc822') return false
    const q = params.find((p) => p.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  })
}

/** RFC 6266 Content-Disposition with the file name (RFC 8187 `filename*` when it is not plain ASCII). */
export function contentDisposition (disposition: string | undefined, fileName: string): string {
  const kind = disposition === 'attachment' ? 'attachment' : 'inline'
  if (/^[\x20-\x7e]*$/.test(fileName)) return `${kind}; filename="${fileName.replace(/(["\\])/g, '\\$1')}"`
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/(["\\])/g, '\\$1')
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

async function sendPayload (reply: FastifyReply, p: PayloadStream): Promise<FastifyReply> {
  reply.header('Content-Type', p.contentType)
  if (p.fileName !== undefined) reply.header('Content-Disposition', contentDisposition(p.disposition, p.fileName))
  return await reply.code(200).send(p.stream)
}

export default async function payloadRoutes (app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.get('/objects/:objectId/payload', {
    config: { omaScope: 'read' },
    schema: {
      tags,
      operationId: 'getPayload',
      summary: 'The message body with its top-level Content-Type, or the whole source with Accept: message/rfc822',
      params: ObjectParams,
      response: { 200: PayloadResponse }
    }
  }, async (request, reply) => {
    const full = wantsRfc822(request.headers.accept)
    return await sendPayload(reply, await openPayload(nmsContext(deps, request), request.params.objectId, full))
  })

  r.get('/objects/:objectId/payloadParts/:partId', {
    config: { omaScope: 'read' },
    schema: {
      tags,
      operationId: 'getPayloadPart',
      summary: 'One first-level MIME part, transfer-decoded',
      params: PartParams,
      response: { 200: PayloadResponse }
    }
  }, async (request, reply) => {
    const { objectId, partId } = request.params
    return await sendPayload(reply, await openPayloadPart(nmsContext(deps, request), objectId, partId))
  })
}
