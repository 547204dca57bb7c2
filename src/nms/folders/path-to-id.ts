/**
 * Folder pathToId (nms-spec-digest.md R14): a path to the folder's reference.
 *
 * GET: without a path, the only root folder, or 400 SVC1009 when there are several; a
 * malformed or unknown path is 404 SVC0004 with the path as the variable. POST: one bulk item
 * per path, in order: 200 with the reference, 400 SVC0002 for a malformed path, 404 SVC2008
 * `Unknown path <p>` for a well-formed one that names nothing.
 */
import { GatewayError, invalidInput, notFound } from '../../errors/gateway-error.js'
import { toFailure } from '../../errors/to-nms-body.js'
import { parseNmsPath } from '../paths.js'
import type { BulkItemResponse } from '../wire/bulk.js'
import type { FolderContext } from './context.js'
import { loadFolders } from './load.js'
import { folderReference, type NmsReference } from './representation.js'

/** GET pathToId: the reference of the folder at `path`, or of the only root without one. */
export async function folderPathToId (ctx: FolderContext, path: string | undefined): Promise<Required<NmsReference>> {
  const tree = await loadFolders(ctx)
  if (path === undefined || path === '') {
    const roots = tree.roots()
    if (roots.length > 1) throw new GatewayError('GW_ERR_FOLDER_PATH_MISSING')
    const only = roots[0]
    if (only === undefined) throw notFound('path')
    return folderReference(ctx, only)
  }
  const segments = parseNmsPath(path)
  const node = segments === null ? undefined : tree.byPath(segments)
  if (node === undefined) throw notFound(path)
  return folderReference(ctx, node)
}

/** POST pathToId: one bulk item per path, in request order. */
export async function folderPathsToIds (ctx: FolderContext, paths: readonly string[]): Promise<BulkItemResponse[]> {
  const tree = await loadFolders(ctx)
  return paths.map((p): BulkItemResponse => {
    const segments = parseNmsPath(p)
    if (segments === null) return { code: 400, reason: 'Bad Request', failure: toFailure(invalidInput(p)) }
    const node = tree.byPath(segments)
    if (node === undefined) {
      return { code: 404, reason: 'Not Found', failure: toFailure(new GatewayError('GW_ERR_PATH_UNKNOWN', { variables: ['path', p] })) }
    }
    return { code: 200, reason: 'OK', success: folderReference(ctx, node) }
  })
}
