/**
 * Moving a folder (nms-spec-digest.md R16): IMAP RENAME of the mailbox to a path under the
 * target, which moves its inferiors with it (RFC 3501 section 6.3.5). As with a folderName
 * rename (rename-folder.ts), the folder and its descendants keep their ids (the registry paths
 * follow) and only the moved folder's lastModSeq bumps (digest R16: descendants and the target
 * do not count as changed). Refused per item: a protected folder (403 POL1030), a move into the
 * folder itself or below it, a target that already has a child of the same name, and a
 * synthesized parent with no mailbox of its own to rename (400 SVC0002 naming the reference).
 * Moving a folder to the parent it already has changes nothing.
 */
import { GatewayError, invalidInput } from '../../errors/gateway-error.js'
import { nmsPathOf } from '../paths.js'
import { folderUrl, type FolderContext } from './context.js'
import { hasChild } from './copy-folder.js'
import { isProtected } from './protection.js'
import { relocateFolder } from './relocate-folder.js'
import { folderReference, type NmsReference } from './representation.js'
import type { FolderNode, FolderTree } from './tree.js'

/** Moves `source` under `target`; returns its (unchanged) URL and new path. */
export async function moveFolder (
  ctx: FolderContext,
  tree: FolderTree,
  source: FolderNode,
  target: FolderNode,
  url: string
): Promise<Required<NmsReference>> {
  if (isProtected(ctx.config, tree, source)) throw new GatewayError('GW_ERR_FOLDER_PROTECTED')
  if (tree.subtree(source.id).some((n) => n.id === target.id)) throw invalidInput(url, 'a folder cannot move into itself or below itself')
  if (source.parentId === target.id) return folderReference(ctx, source)
  if (hasChild(tree, target, source.name)) throw invalidInput(url, 'the target has a folder of this name')
  if (source.virtual) throw invalidInput(url, 'the folder has no mailbox of its own')

  const segments = [...target.segments, source.name]
  const newPath = segments.join(tree.delimiter)
  await relocateFolder(ctx, tree, source, newPath, url)
  return { resourceURL: folderUrl(ctx, source.id), path: nmsPathOf(segments) }
}
