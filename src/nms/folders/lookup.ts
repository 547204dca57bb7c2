/**
 * Finding the folder a request names, and the errors when it does not exist.
 */
import { GatewayError, notFound } from '../../errors/gateway-error.js'
import { folderUrl, type FolderContext } from './context.js'
import type { FolderNode, FolderTree } from './tree.js'
import { resourceIdFromUrl } from '../resource-url.js'

/** 404 SVC0004 for an unknown folder, with `link rel="folder"` (nms-spec-digest.md R11). */
export function folderNotFound (ctx: FolderContext, folderId: string): GatewayError {
  return notFound('Request-URI', [{ rel: 'folder', href: folderUrl(ctx, folderId) }])
}

/** The folder with `folderId`, or 404. */
export function requireFolder (ctx: FolderContext, tree: FolderTree, folderId: string): FolderNode {
  const node = tree.byId(folderId)
  if (node === undefined) throw folderNotFound(ctx, folderId)
  return node
}

/** The folderId a folder URL of this box names (see resourceIdFromUrl). */
export function folderIdFromUrl (ctx: FolderContext, url: string): string | undefined {
  return resourceIdFromUrl(ctx, url, 'folders')
}
