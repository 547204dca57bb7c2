/**
 * The folder resources (nms-spec-digest.md R10 to R14) under `/nms/v1/:storeName/:boxId`. The
 * auth hook has run: `request.box` is the authorized box. Handlers stay thin: they build a
 * FolderContext and call src/nms/folders. OMA scopes per digest 0.4: creating, deleting and
 * renaming folders need `modify`; reading, searching and pathToId need `read`.
 *
 * Operation endpoints (`/folders/operations/...`) are static routes, which find-my-way matches
 * before `/folders/:folderId`; `operations` is never a folderId anyway.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppDeps } from '../../../app-deps.js'
import type { FolderContext } from '../../../../nms/folders/context.js'
import { createFolder } from '../../../../nms/folders/create-folder.js'
import { deleteFolder } from '../../../../nms/folders/delete-folder.js'
import { getFolder, getFolderName } from '../../../../nms/folders/get-folder.js'
import { folderPathToId, folderPathsToIds } from '../../../../nms/folders/path-to-id.js'
import { renameFolder } from '../../../../nms/folders/rename-folder.js'
import { searchFolders } from '../../../../nms/folders/search.js'
import copyMoveRoutes from './copy-move.js'
import {
  BoxParams, BulkResponseBody, CreateFolderRequest, FolderBody, FolderListBody, FolderParams, FolderQuery,
  FolderSearchRequest, NameBody, NoContent, PathListRequest, PathQuery, ReferenceBody
} from './schemas.js'

import { nmsContext } from '../request-context.js'

const tags = ['folders']

export default async function folderRoutes (app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  await app.register(copyMoveRoutes, { deps })
  const ctxOf = (request: FastifyRequest): FolderContext => nmsContext(deps, request)

  r.post('/folders/operations/search', {
    config: { omaScope: 'read' },
    schema: { tags, operationId: 'searchFolders', summary: 'Folder search (root discovery)', params: BoxParams, body: FolderSearchRequest, response: { 200: FolderListBody } }
  }, async (request) => ({ folderList: await searchFolders(ctxOf(request), request.body.selectionCriteria) }))

  r.get('/folders/operations/pathToId', {
    config: { omaScope: 'read' },
    schema: { tags, operationId: 'folderPathToId', summary: 'Folder reference by path', params: BoxParams, querystring: PathQuery, response: { 200: ReferenceBody } }
  }, async (request) => ({ reference: await folderPathToId(ctxOf(request), request.query.path) }))

  r.post('/folders/operations/pathToId', {
    config: { omaScope: 'read' },
    schema: { tags, operationId: 'folderPathsToIds', summary: 'Folder references by path, in bulk', params: BoxParams, body: PathListRequest, response: { 200: BulkResponseBody } }
  }, async (request) => {
    const response = await folderPathsToIds(ctxOf(request), request.body.pathList.path)
    return { bulkResponseList: { response } }
  })

  r.post('/folders', {
    config: { omaScope: 'modify' },
    schema: { tags, operationId: 'createFolder', summary: 'Create a folder', params: BoxParams, body: CreateFolderRequest, response: { 201: ReferenceBody } }
  }, async (request, reply) => {
    const reference = await createFolder(ctxOf(request), request.body.folder)
    return await reply.code(201).header('Location', reference.resourceURL).send({ reference })
  })

  r.get('/folders/:folderId', {
    config: { omaScope: 'read' },
    schema: { tags, operationId: 'getFolder', summary: 'A folder, with its lists on request', params: FolderParams, querystring: FolderQuery, response: { 200: FolderBody } }
  }, async (request) => ({ folder: await getFolder(ctxOf(request), request.params.folderId, request.query) }))

  r.delete('/folders/:folderId', {
    config: { omaScope: 'modify' },
    schema: { tags, operationId: 'deleteFolder', summary: 'Delete a folder and everything in it', params: FolderParams, response: { 204: NoContent } }
  }, async (request, reply) => {
    await deleteFolder(ctxOf(request), request.params.folderId)
    return await reply.code(204).send(null)
  })

  r.get('/folders/:folderId/folderName', {
    config: { omaScope: 'read' },
    schema: { tags, operationId: 'getFolderName', summary: 'A folder\'s name', params: FolderParams, response: { 200: NameBody } }
  }, async (request) => await getFolderName(ctxOf(request), request.params.folderId))

  r.put('/folders/:folderId/folderName', {
    config: { omaScope: 'modify' },
    schema: { tags, operationId: 'renameFolder', summary: 'Rename a folder', params: FolderParams, body: NameBody, response: { 200: NameBody } }
  }, async (request) => await renameFolder(ctxOf(request), request.params.folderId, request.body.name))
}
