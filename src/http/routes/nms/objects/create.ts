/**
 * Object creation (nms-spec-digest.md R1, R9): `POST /objects` and
 * `POST /objects/operations/bulkCreation`, both `multipart/form-data`. This encapsulated plugin
 * owns the multipart parser, so every other route keeps answering 415 to multipart bodies. The
 * body is buffered up to `http.maxBodyBytes` (NMS_MAX_BODY_BYTES; 413 POL2004 beyond) and split
 * by src/nms/objects/multipart-form.ts, not busboy (see multipart-parse.ts for why).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppDeps } from '../../../app-deps.js'
import { isGatewayError } from '../../../../errors/gateway-error.js'
import { loadFolders } from '../../../../nms/folders/load.js'
import { bulkCreate } from '../../../../nms/objects/bulk-create.js'
import { bulkStatus } from '../../../../nms/objects/bulk-response.js'
import { parseRootFields, singleObjectInput } from '../../../../nms/objects/create-input.js'
import { createObject } from '../../../../nms/objects/create-object.js'
import { readCreationForm, type CreationForm } from '../../../../nms/objects/multipart-form.js'
import { BoxParams, BulkResponseBody, ReferenceBody } from '../folders/schemas.js'

import { nmsContext } from '../request-context.js'

const tags = ['objects']

/** Logs item errors that are gateway faults rather than refusals. */
export function faultLogger (request: FastifyRequest): (err: unknown) => void {
  return (err) => {
    if (!isGatewayError(err)) request.log.error({ err }, 'bulk item failed')
    else if (err.statusCode >= 500) request.log.error({ err, code: err.code, detail: err.detail }, 'bulk item failed')
  }
}

export default async function createRoutes (app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      done(null, readCreationForm(body as Buffer, request.headers['content-type'] ?? ''))
    } catch (err) {
      done(err as Error, undefined)
    }
  })

  r.post('/objects', {
    config: { omaScope: 'create' },
    schema: {
      tags,
      operationId: 'createObject',
      summary: 'Create an object (multipart/form-data: root-fields + attachments)',
      consumes: ['multipart/form-data'],
      params: BoxParams,
      response: { 201: ReferenceBody }
    }
  }, async (request, reply) => {
    const form = request.body as CreationForm
    const ctx = nmsContext(deps, request)
    const input = singleObjectInput(parseRootFields(form.rootFields))
    const { reference } = await createObject(ctx, await loadFolders(ctx), input, form.attachments[0])
    return await reply.code(201).header('Location', reference.resourceURL).send({ reference })
  })

  r.post('/objects/operations/bulkCreation', {
    config: { omaScope: 'create' },
    schema: {
      tags,
      operationId: 'bulkCreateObjects',
      summary: 'Create several objects (root-fields objectList + one attachments entry per object)',
      consumes: ['multipart/form-data'],
      params: BoxParams,
      response: { 200: BulkResponseBody }
    }
  }, async (request, reply) => {
    const form = request.body as CreationForm
    const response = await bulkCreate(nmsContext(deps, request), form, request.id, faultLogger(request))
    // All-failed answers carry the same list with a 4xx/5xx status (no schema: plain JSON).
    return await reply.code(bulkStatus(response) as 200).send({ bulkResponseList: { response } })
  })
}
