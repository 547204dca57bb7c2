/**
 * From an objectId or object URL to the message it names (architecture.md section 3): decode
 * (folderId, UIDVALIDITY, UID), find the folder in the box's reconciled folder tree, and check
 * the UIDVALIDITY is still the mailbox's. No per-message state is consulted anywhere: a forged
 * id fails to decode, a stale one names a folder or UIDVALIDITY that no longer exists. Whether
 * the UID itself still exists is learned from the IMAP command that uses it.
 */
import { isGatewayError, notFound } from '../../errors/gateway-error.js'
import { decodeObjectId } from '../ids/object-id.js'
import type { FolderContext } from '../folders/context.js'
import { loadFolders } from '../folders/load.js'
import { cachedFolders, rememberFolders } from '../folders/tree-cache.js'
import { resourceIdFromUrl } from '../resource-url.js'
import type { FolderNode, FolderTree } from '../folders/tree.js'

/** Where an object lives. */
export interface ObjectLocation {
  /** The objectId as given (canonical). */
  id: string
  folder: FolderNode
  uidValidity: string
  uid: number
}

/** 404 SVC0004 for an object id or URL that names nothing (digest R2). */
export function objectNotFound (what = 'Request-URI'): ReturnType<typeof notFound> {
  return notFound(what)
}

/** The location of `objectId` in `tree`, or undefined when it names nothing there. */
export function findObject (tree: FolderTree, objectId: string): ObjectLocation | undefined {
  const parts = decodeObjectId(objectId)
  if (parts === null) return undefined
  const folder = tree.byId(parts.folderId)
  if (folder === undefined || !folder.selectable || folder.uidValidity !== parts.uidValidity) return undefined
  return { id: objectId, folder, uidValidity: parts.uidValidity, uid: parts.uid }
}

/**
 * Runs `fn` on the object's location, resolved first with the box's cached folder tree. When
 * the cached tree does not know the id, or `fn` answers GW_ERR_NOT_FOUND (the cached view may be
 * out of date: see src/nms/folders/tree-cache.ts), the tree is loaded afresh and `fn` runs once
 * more with the fresh location. `fn` must have no effect when it throws GW_ERR_NOT_FOUND (every
 * message command checks UIDVALIDITY and existence before it changes anything).
 * @throws GatewayError GW_ERR_NOT_FOUND (404 SVC0004) when the object does not exist
 */
export async function withObject<T> (
  ctx: FolderContext,
  objectId: string,
  fn: (loc: ObjectLocation) => Promise<T>
): Promise<T> {
  if (decodeObjectId(objectId) === null) throw objectNotFound()
  const cached = cachedFolders(ctx)
  const early = cached === undefined ? undefined : findObject(cached, objectId)
  if (early !== undefined) {
    try {
      return await fn(early)
    } catch (err) {
      if (!isGatewayError(err) || err.code !== 'GW_ERR_NOT_FOUND') throw err
    }
  }
  const fresh = await loadFolders(ctx)
  rememberFolders(ctx, fresh)
  const loc = findObject(fresh, objectId)
  if (loc === undefined) throw objectNotFound()
  return await fn(loc)
}

/** The objectId an object URL of this box names (see resourceIdFromUrl). */
export function objectIdFromUrl (ctx: Pick<FolderContext, 'boxUrl' | 'box'>, url: string): string | undefined {
  return resourceIdFromUrl(ctx, url, 'objects')
}
