/**
 * Reading and deleting objects (nms-spec-digest.md R2, R8) and, registered from here, their
 * flags (R3, R4: flags.ts) and payloads (R5, R6: payload.ts). OMA scopes per digest 0.4: GETs
 * and POST pathToId need `read`; DELETE and flag changes need `modify`. PUT/POST on an object
 * answer 405 through the method-not-allowed plugin.
 *
 * `/objects/operations/pathToId` is a static route, which find-my-way matches before
 * `/objects/:objectId`; `operations` is never an objectId anyway (object-id.ts).
 */
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppDeps } from '../../../app-deps.js'
import { deleteObject, getObject } from '../../../../nms/objects/get-object.js'
import { objectPathToId, objectPathsToIds } from '../../../../nms/objects/path-to-id.js'
import flagRoutes from './flags.js'
import payloadRoutes from './payload.js'
import { nmsContext } from '../request-context.js'
import {
  BoxParams, BulkResponseBody, NoContent, ObjectBody, ObjectParams, ObjectPathQuery, PathListRequest, ReferenceBody
} from './schemas.js'

const tags = ['objects']

export default async function objectReadRoutes (app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.get('/objects/operations/pathToId', {
    config: { omaScope: 'read' },
    schema: {
      tags,
      operationId: 'objectPathToId',
      summary: 'Object reference by path',
      params: BoxParams,
      querystring: ObjectPathQuery,
      response: { 200: ReferenceBody }
    }
  }, async (request) => ({ reference: await objectPathToId(nmsContext(deps, request), request.query.path) }))

  r.post('/objects/operations/pathToId', {
    config: { omaScope: 'read' },
    schema: {
      tags,
      operationId: 'objectPathsToIds',
      summary: 'Object references by path, in bulk',
      params: BoxParams,
      body: PathListRequest,
      response: { 200: BulkResponseBody }
    }
  }, async (request) => {
    const response = await objectPathsToIds(nmsContext(deps, request), request.body.pathList.path)
    return { bulkResponseList: { response } }
  })

  r.get('/objects/:objectId', {
    config: { omaScope: 'read' },
    schema: { tags, operationId: 'getObject', summary: 'An object', params: ObjectParams, response: { 200: ObjectBody } }
  }, async (request) => ({ object: await getObject(nmsContext(deps, request), request.params.objectId) }))

  r.delete('/objects/:objectId', {
    config: { omaScope: 'modify' },
    schema: { tags, operationId: 'deleteObject', summary: 'Delete an object', params: ObjectParams, response: { 204: NoContent } }
  }, async (request, reply) => {
    await deleteObject(nmsContext(deps, request), request.params.objectId)
    return await reply.code(204).send(null)
  })

  await app.register(flagRoutes, { deps })
  await app.register(payloadRoutes, { deps })
}
