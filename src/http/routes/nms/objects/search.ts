/**
 * Object search (nms-spec-digest.md R7, section 4): `POST /objects/operations/search` with
 * `selectionCriteria`, answering `objectList` (src/nms/search/object-search.ts). Needs the
 * `read` OMA scope. GET/PUT answer 405 with `Allow: POST` (method-not-allowed plugin).
 */
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { AppDeps } from '../../../../app.js'
import { searchObjects } from '../../../../nms/search/object-search.js'
import { nmsContext } from '../request-context.js'
import { SearchRequest } from '../search-schemas.js'
import { BoxParams, NmsObject } from './schemas.js'

/** `{"objectList": ...}` */
const ObjectListBody = Type.Object({
  objectList: Type.Object({ object: Type.Array(NmsObject), cursor: Type.Optional(Type.String()) })
})

export default async function objectSearchRoutes (app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts
  app.withTypeProvider<TypeBoxTypeProvider>().post('/objects/operations/search', {
    config: { omaScope: 'read' },
    schema: {
      tags: ['objects'],
      operationId: 'searchObjects',
      summary: 'Object search: criteria, scope, sort and cursor batching',
      params: BoxParams,
      body: SearchRequest,
      response: { 200: ObjectListBody }
    }
  }, async (request) => {
    const objectList = await searchObjects(nmsContext(deps, request), request.body.selectionCriteria)
    return { objectList }
  })
}
