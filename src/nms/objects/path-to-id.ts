/**
 * Object pathToId (nms-spec-digest.md R8): `/Folder/sub/{objectId}` to the object's reference.
 * An object's path is its folder's path + `/` + its id (digest 0.2), so the folder part must be
 * the folder the id names and the UID must still exist.
 *
 * GET: a missing, malformed or unknown path is 404 SVC0004 with the path in `variables`. POST:
 * one bulk item per path, in request order, like the folder variant: 200 with the reference,
 * 400 SVC0002 for a malformed path, 404 SVC2008 `Unknown path <p>` for one that names nothing.
 * The existence checks cost one metadata FETCH per folder, whatever the number of paths.
 */
import { GatewayError, invalidInput, isGatewayError, notFound } from '../../errors/gateway-error.js'
import { toFailure } from '../../errors/to-nms-body.js'
import type { FolderContext } from '../folders/context.js'
import { loadFolders } from '../folders/load.js'
import type { BulkItemResponse } from '../wire/bulk.js'
import type { FolderNode, FolderTree } from '../folders/tree.js'
import { parseNmsPath } from '../paths.js'
import { findObject, type ObjectLocation } from './locate.js'
import { objectReference, type NmsReference } from './representation.js'

/** The location a path names by its form alone: null when malformed, undefined when unknown. */
function parseObjectPath (tree: FolderTree, path: string): ObjectLocation | null | undefined {
  const segments = parseNmsPath(path)
  if (segments === null || segments.length < 2) return null
  const folder = tree.byPath(segments.slice(0, -1))
  const loc = findObject(tree, segments[segments.length - 1] as string)
  return folder !== undefined && loc !== undefined && loc.folder.id === folder.id ? loc : undefined
}

/** The UIDs of `locs` that still exist, one FETCH per folder. */
async function existing (ctx: FolderContext, locs: readonly ObjectLocation[]): Promise<Set<ObjectLocation>> {
  const byFolder = new Map<string, ObjectLocation[]>()
  for (const l of locs) byFolder.set(l.folder.id, [...(byFolder.get(l.folder.id) ?? []), l])
  const found = new Set<ObjectLocation>()
  await Promise.all([...byFolder.values()].map(async (group) => {
    const folder = (group[0] as ObjectLocation).folder
    const uids = new Set(await existingUids(ctx, folder, group.map((l) => l.uid)))
    for (const l of group) if (uids.has(l.uid)) found.add(l)
  }))
  return found
}

/** The UIDs that exist; none when the folder went stale since the tree was loaded. */
async function existingUids (ctx: FolderContext, folder: FolderNode, uids: number[]): Promise<number[]> {
  try {
    const opts = { headers: [], uidValidity: folder.uidValidity }
    const res = await ctx.imap.fetchMessages(ctx.box, folder.imapPath, { uids }, opts)
    return res.messages.map((m) => m.uid)
  } catch (err) {
    if (isGatewayError(err) && err.code === 'GW_ERR_NOT_FOUND') return []
    throw err
  }
}

function referenceOf (ctx: FolderContext, loc: ObjectLocation): Required<NmsReference> {
  return objectReference(ctx, loc.folder, loc.uidValidity, loc.uid)
}

/** GET pathToId. */
export async function objectPathToId (ctx: FolderContext, path: string | undefined): Promise<Required<NmsReference>> {
  if (path === undefined || path === '') throw notFound('path')
  const loc = parseObjectPath(await loadFolders(ctx), path)
  if (loc == null || !(await existing(ctx, [loc])).has(loc)) throw notFound(path)
  return referenceOf(ctx, loc)
}

/** POST pathToId: one bulk item per path, in request order. */
export async function objectPathsToIds (ctx: FolderContext, paths: readonly string[]): Promise<BulkItemResponse[]> {
  const tree = await loadFolders(ctx)
  const locs = paths.map((p) => parseObjectPath(tree, p))
  const found = await existing(ctx, locs.filter((l): l is ObjectLocation => l != null))
  return paths.map((p, i): BulkItemResponse => {
    const loc = locs[i]
    if (loc === null) return { code: 400, reason: 'Bad Request', failure: toFailure(invalidInput(p)) }
    if (loc === undefined || !found.has(loc)) {
      return { code: 404, reason: 'Not Found', failure: toFailure(new GatewayError('GW_ERR_PATH_UNKNOWN', { variables: ['path', p] })) }
    }
    return { code: 200, reason: 'OK', success: referenceOf(ctx, loc) }
  })
}
