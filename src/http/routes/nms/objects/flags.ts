/**
 * Object flags (nms-spec-digest.md R3, R4). Individual-flag answers per the spec: GET 204 set /
 * 404 `{"empty": null}` not set; PUT 201 + Location + `{"empty": null}` when added / 204 when
 * already set; DELETE 204 when removed / 404 `{"empty": null}` when absent. An unknown object is
 * a 404 requestError (SVC0004), not `empty`. The PUT body may be empty even with
 * `Content-Type: application/json` (client profile check 2; architecture.md section 10).
 */
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppDeps } from '../../../app-deps.js'
import { addFlag, flagUrl, getFlags, hasFlag, putFlags, removeFlag } from '../../../../nms/objects/object-flags.js'
import { nmsContext } from '../request-context.js'
import {
  EmptyBody, EmptyRequest, FlagListBody, FlagListRequest, FlagNotFoundBody, FlagParams, NoContent, ObjectParams
} from './schemas.js'

const tags = ['objects']
const EMPTY = { empty: null }

export default async function flagRoutes (app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.get('/objects/:objectId/flags', {
    config: { omaScope: 'read' },
    schema: { tags, operationId: 'getFlags', summary: 'The flags of an object', params: ObjectParams, response: { 200: FlagListBody } }
  }, async (request) => ({ flagList: await getFlags(nmsContext(deps, request), request.params.objectId) }))

  r.put('/objects/:objectId/flags', {
    config: { omaScope: 'modify' },
    schema: {
      tags,
      operationId: 'putFlags',
      summary: 'Replace the flags of an object',
      params: ObjectParams,
      body: FlagListRequest,
      response: { 200: FlagListBody }
    }
  }, async (request) => {
    const flagList = await putFlags(nmsContext(deps, request), request.params.objectId, request.body.flagList.flag)
    return { flagList }
  })

  r.get('/objects/:objectId/flags/:flagName', {
    config: { omaScope: 'read' },
    schema: {
      tags,
      operationId: 'getFlag',
      summary: 'Whether one flag is set (204) or not (404 empty)',
      params: FlagParams,
      response: { 204: NoContent, 404: FlagNotFoundBody }
    }
  }, async (request, reply) => {
    const set = await hasFlag(nmsContext(deps, request), request.params.objectId, request.params.flagName)
    return set ? await reply.code(204).send(null) : await reply.code(404).send(EMPTY)
  })

  r.put('/objects/:objectId/flags/:flagName', {
    config: { omaScope: 'modify' },
    schema: {
      tags,
      operationId: 'putFlag',
      summary: 'Set one flag: 201 when added, 204 when already set',
      params: FlagParams,
      body: EmptyRequest,
      response: { 201: EmptyBody, 204: NoContent }
    }
  }, async (request, reply) => {
    const ctx = nmsContext(deps, request)
    const { objectId, flagName } = request.params
    if (!await addFlag(ctx, objectId, flagName)) return await reply.code(204).send(null)
    return await reply.code(201).header('Location', flagUrl(ctx, objectId, flagName)).send(EMPTY)
  })

  r.delete('/objects/:objectId/flags/:flagName', {
    config: { omaScope: 'modify' },
    schema: {
      tags,
      operationId: 'deleteFlag',
      summary: 'Clear one flag: 204 when removed, 404 empty when it was not set',
      params: FlagParams,
      response: { 204: NoContent, 404: FlagNotFoundBody }
    }
  }, async (request, reply) => {
    const removed = await removeFlag(nmsContext(deps, request), request.params.objectId, request.params.flagName)
    return removed ? await reply.code(204).send(null) : await reply.code(404).send(EMPTY)
  })
}
