/**
 * Object search (nms-spec-digest.md R7, section 4): `POST /objects/operations/search` with
 * `selectionCriteria`, answering `objectList` (src/nms/search/object-search.ts). Needs the
 * `read` OMA scope. GET/PUT answer 405 with `Allow: POST` (method-not-allowed plugin).
 */
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { AppDeps } from '../../../app-deps.js'
import { searchObjects } from '../../../../nms/search/object-search.js'
import { createdObjects, simplifiedKind, vanishedObjects, type SyncAccess } from '../../../../nms/search/simplified-sync.js'
import { nmsContext } from '../request-context.js'
import { SearchRequest } from '../search-schemas.js'
import { ObjectListSchema, VanishedObjectListSchema } from '../../../../nms/wire/object.js'
import { BoxParams } from './schemas.js'

/**
 * `{"objectList": ...}`, or for a VanishedObjects search `{"objectReferenceList": ...}`
 * (digest 2.2, 2.7, 4.2); a CreatedObjects answer carries `creationCursor`.
 */
const SearchResultBody = Type.Object({
  objectList: Type.Optional(ObjectListSchema),
  objectReferenceList: Type.Optional(VanishedObjectListSchema)
})

export default async function objectSearchRoutes (app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts
  const sync: SyncAccess = {
    sync: async (boxId) => (await deps.notifications.syncer.run(boxId)).head,
    vectorAt: async (boxId, seq) => await deps.store.tracker.vectorAt(boxId, seq)
  }
  app.withTypeProvider<TypeBoxTypeProvider>().post('/objects/operations/search', {
    config: { omaScope: 'read' },
    schema: {
      tags: ['objects'],
      operationId: 'searchObjects',
      summary: 'Object search: criteria, scope, sort and cursor batching',
      params: BoxParams,
      body: SearchRequest,
      response: { 200: SearchResultBody }
    }
  }, async (request) => {
    const ctx = nmsContext(deps, request)
    const criteria = request.body.selectionCriteria
    switch (simplifiedKind(criteria.searchCriteria)) {
      case 'CreatedObjects':
        return { objectList: await createdObjects(ctx, sync, criteria) }
      case 'VanishedObjects':
        return { objectReferenceList: await vanishedObjects(ctx, sync, criteria) }
      default: {
        const { object, cursor } = await searchObjects(ctx, criteria)
        return { objectList: cursor === undefined ? { object } : { object, cursor } }
      }
    }
  })
}
