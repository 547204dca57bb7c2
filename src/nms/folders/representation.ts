/**
 * NMS JSON shapes of folders and references (nms-spec-digest.md sections 2.6 and 2.7). Arrays
 * are always arrays; URLs are absolute with the boxId percent-encoded.
 */
import { encodeObjectId } from '../ids/object-id.js'
import type { NmsFolder } from '../wire/folder.js'
import type { NmsReference } from '../wire/reference.js'
import { folderAttributes, type CostlyAttribute } from './attributes.js'
import { folderUrl, objectUrl, type FolderContext } from './context.js'
import type { FolderNode, FolderTree } from './tree.js'

export type { NmsFolder, NmsReference }

/** `{resourceURL, path}` of a folder. */
export function folderReference (ctx: Pick<FolderContext, 'boxUrl'>, node: FolderNode): Required<NmsReference> {
  return { resourceURL: folderUrl(ctx, node.id), path: node.nmsPath }
}

/** `{resourceURL, path}` of the message `uid` in `node`; an object's path ends in its id (digest 0.2). */
export function objectReference (ctx: Pick<FolderContext, 'boxUrl'>, node: FolderNode, uidValidity: string, uid: number): Required<NmsReference> {
  const id = encodeObjectId({ folderId: node.id, uidValidity, uid })
  return { resourceURL: objectUrl(ctx, id), path: `${node.nmsPath}/${id}` }
}

/** The folder without lists: parentFolder (not on roots), attributes, resourceURL, path, name, lastModSeq. */
export function folderBody (
  ctx: Pick<FolderContext, 'boxUrl'>,
  tree: FolderTree,
  node: FolderNode,
  opts: { path: boolean, costly?: ReadonlySet<CostlyAttribute> }
): NmsFolder {
  return {
    ...(node.parentId === undefined ? {} : { parentFolder: folderUrl(ctx, node.parentId) }),
    attributes: { attribute: folderAttributes(tree, node, opts.costly) },
    resourceURL: folderUrl(ctx, node.id),
    ...(opts.path ? { path: node.nmsPath } : {}),
    name: node.name,
    lastModSeq: node.lastModSeq
  }
}
