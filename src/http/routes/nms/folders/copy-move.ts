/**
 * `POST /folders/operations/copyToFolder` and `/moveToFolder` (nms-spec-digest.md R15, R16;
 * scope `modify`, digest 0.4). The body is `{"targetSourceRef": {...}}`; the bare
 * `TargetSourceRef` is accepted too (deployed client request classes send it unwrapped, client
 * profile section 3). The answer is a `bulkResponseList`, 200 when any item succeeded, else the
 * first failure's status (src/nms/folders/transfer.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import type { AppDeps } from '../../../app-deps.js'
import { invalidInput } from '../../../../errors/gateway-error.js'
import type { FolderContext } from '../../../../nms/folders/context.js'
import { copyToFolder, moveToFolder } from '../../../../nms/folders/transfer.js'
import { TargetSourceRefSchema, type TargetSourceRef } from '../../../../nms/wire/folder.js'
import { BoxParams, BulkResponseBody } from './schemas.js'

const tags = ['folders']

/** Wrapped (`targetSourceRef`) or bare. */
const TransferRequest = Type.Object({
  targetSourceRef: Type.Optional(TargetSourceRefSchema),
  targetRef: Type.Optional(TargetSourceRefSchema.properties.targetRef),
  sourceRefs: Type.Optional(TargetSourceRefSchema.properties.sourceRefs)
})

/** The TargetSourceRef of either body form; 400 SVC0002 `targetSourceRef` when there is none. */
function unwrap (body: Static<typeof TransferRequest>): TargetSourceRef {
  if (body.targetSourceRef !== undefined) return body.targetSourceRef
  if (body.targetRef !== undefined && body.sourceRefs !== undefined) {
    return { targetRef: body.targetRef, sourceRefs: body.sourceRefs }
  }
  throw invalidInput('targetSourceRef')
}

import { nmsContext } from '../request-context.js'

export default async function copyMoveRoutes (app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const ctxOf = (request: FastifyRequest): FolderContext => nmsContext(deps, request)

  const routes = [
    { url: '/folders/operations/copyToFolder', run: copyToFolder, operationId: 'copyToFolder', summary: 'Copy objects and folder subtrees into a folder' },
    { url: '/folders/operations/moveToFolder', run: moveToFolder, operationId: 'moveToFolder', summary: 'Move objects and folders into a folder' }
  ] as const
  for (const route of routes) {
    r.post(route.url, {
      config: { omaScope: 'modify' },
      schema: {
        tags,
        operationId: route.operationId,
        summary: route.summary,
        params: BoxParams,
        body: TransferRequest,
        response: { 200: BulkResponseBody }
      }
    }, async (request, reply) => {
      const result = await route.run(ctxOf(request), unwrap(request.body))
      // Only 200 is typed: when every item failed, the status is the first failure's, with the
      // same bulkResponseList body (so the per-item reasons are not lost).
      return await reply.code(result.status as 200).send({ bulkResponseList: { response: result.items } })
    })
  }
}
