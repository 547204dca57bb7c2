/**
 * bulkUpdate and bulkDelete (client profile 3.4, checks 24 and 25). bulkDelete answers both
 * DELETE with a JSON body (what the deployed client sends) and POST. Both answer a
 * bulkResponseList, 200 when any item succeeded, else the first failure's status, never an
 * empty body.
 */
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppDeps } from '../../../app-deps.js'
import { bulkDelete } from '../../../../nms/objects/bulk-delete.js'
import { bulkStatus } from '../../../../nms/objects/bulk-response.js'
import { bulkUpdate } from '../../../../nms/objects/bulk-update.js'
import { BoxParams, BulkResponseBody } from '../folders/schemas.js'
import { BulkDeleteRequest, BulkUpdateRequest } from './bulk-schemas.js'
import { faultLogger } from './create.js'
import { nmsContext } from '../request-context.js'

const tags = ['objects']

export default async function bulkRoutes (app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.post('/objects/operations/bulkUpdate', {
    config: { omaScope: 'modify' },
    schema: {
      tags,
      operationId: 'bulkUpdateObjects',
      summary: 'Add or remove flags on several objects',
      params: BoxParams,
      body: BulkUpdateRequest,
      response: { 200: BulkResponseBody }
    }
  }, async (request, reply) => {
    const ctx = nmsContext(deps, request)
    const response = await bulkUpdate(ctx, request.body.bulkUpdate, request.id, faultLogger(request))
    // All-failed answers carry the same list with a 4xx/5xx status (no schema: plain JSON).
    return await reply.code(bulkStatus(response) as 200).send({ bulkResponseList: { response } })
  })

  // Same handler under two methods; each method gets its own operationId (OpenAPI needs unique ones).
  for (const [method, operationId] of [['DELETE', 'bulkDeleteObjects'], ['POST', 'bulkDeleteObjectsByPost']] as const) {
    r.route({
      method,
      url: '/objects/operations/bulkDelete',
      config: { omaScope: 'modify' },
      schema: {
        tags,
        operationId,
        summary: method === 'DELETE' ? 'Delete several objects (DELETE with a JSON body)' : 'Delete several objects (POST form)',
        params: BoxParams,
        body: BulkDeleteRequest,
        response: { 200: BulkResponseBody }
      },
      handler: async (request, reply) => {
        const ctx = nmsContext(deps, request)
        const response = await bulkDelete(ctx, request.body.bulkDelete, request.id, faultLogger(request))
        // All-failed answers carry the same list with a 4xx/5xx status (no schema: plain JSON).
        return await reply.code(bulkStatus(response) as 200).send({ bulkResponseList: { response } })
      }
    })
  }
}
