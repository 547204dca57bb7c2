/**
 * `GET /folders/{folderId}` and `GET /folders/{folderId}/folderName` (nms-spec-digest.md R11,
 * R12): the folder, with its child lists when `listFilter` asks, `path` only with `path=Yes`,
 * and the costly count attributes only when named in `attrFilter`.
 */
import { GatewayError } from '../../errors/gateway-error.js'
import type { StatusItem } from '../../imap/types.js'
import { parseAttrFilter, statusItemsFor } from './attributes.js'
import type { FolderContext } from './context.js'
import { listChildren, readListingCursor, type ListFilter, type ListingPosition } from './listing.js'
import { loadFolders } from './load.js'
import { requireFolder } from './lookup.js'
import { folderBody, type NmsFolder } from './representation.js'
import type { GetFolderQuery } from '../wire/folder.js'

/** The `listFilter` values (digest R11). */
export const LIST_FILTERS: readonly ListFilter[] = ['Subfolders', 'Objects', 'All']

export type { GetFolderQuery }

/** `listFilter` in any case, or 400 SVC0003 naming the valid values. */
export function parseListFilter (value: string | undefined): ListFilter | undefined {
  if (value === undefined) return undefined
  const hit = LIST_FILTERS.find((f) => f.toLowerCase() === value.toLowerCase())
  if (hit === undefined) throw new GatewayError('GW_ERR_INPUT_INVALID_CHOICE', { variables: ['listFilter', LIST_FILTERS.join(', ')] })
  return hit
}

/** The folder with `folderId` per `q`; 404 when unknown. */
export async function getFolder (ctx: FolderContext, folderId: string, q: GetFolderQuery): Promise<NmsFolder> {
  let filter = parseListFilter(q.listFilter)
  const costly = parseAttrFilter(q.attrFilter)
  const wantsList = filter !== undefined || q.fromCursor !== undefined
  const status: StatusItem[] = [...new Set<StatusItem>([...(wantsList ? ['messages' as const] : []), ...statusItemsFor(costly)])]
  const tree = await loadFolders(ctx, status)
  const node = requireFolder(ctx, tree, folderId)
  let from: ListingPosition | undefined
  if (q.fromCursor !== undefined) {
    from = await readListingCursor(ctx, node.id, q.fromCursor, filter)
    // A cursor alone continues the listing it came from (root-search results hand these out).
    filter ??= from.f
  }
  const body = folderBody(ctx, tree, node, { path: q.path?.toLowerCase() === 'yes', costly })
  if (filter === undefined) return body
  const max = ctx.config.folders.listMaxEntries
  const limit = Math.min(q.maxEntries ?? max, max)
  const listing = await listChildren(ctx, tree, node, filter, limit, from)
  return {
    ...body,
    ...(listing.cursor === undefined ? {} : { cursor: listing.cursor }),
    ...(listing.subFolders === undefined ? {} : { subFolders: { folderReference: listing.subFolders } }),
    ...(listing.objects === undefined ? {} : { objects: { objectReference: listing.objects } })
  }
}

/** The folder's name (light-weight resource `folderName`). */
export async function getFolderName (ctx: FolderContext, folderId: string): Promise<{ name: string }> {
  const tree = await loadFolders(ctx)
  return { name: requireFolder(ctx, tree, folderId).name }
}
