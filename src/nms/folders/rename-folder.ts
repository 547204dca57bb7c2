/**
 * `PUT /folders/{folderId}/folderName` (nms-spec-digest.md R12): IMAP RENAME of the mailbox,
 * which also renames its inferiors (RFC 3501 section 6.3.5). The folder keeps its id and its
 * descendants keep theirs (their registry paths follow); only the renamed folder's lastModSeq
 * bumps. Renaming to the current name changes nothing.
 */
import { GatewayError, invalidInput } from '../../errors/gateway-error.js'
import { canonicalTop } from '../paths.js'
import type { FolderContext } from './context.js'
import { loadFolders } from './load.js'
import { requireFolder } from './lookup.js'
import { folderNameProblem } from './names.js'
import { isProtected } from './protection.js'
import { relocateFolder } from './relocate-folder.js'

/** Renames the folder; 404 unknown, 403 POL1030 protected, 400 SVC0002 `name` for a bad or taken name. */
export async function renameFolder (ctx: FolderContext, folderId: string, name: string): Promise<{ name: string }> {
  const tree = await loadFolders(ctx)
  const node = requireFolder(ctx, tree, folderId)
  if (isProtected(ctx.config, tree, node)) throw new GatewayError('GW_ERR_FOLDER_PROTECTED')
  const problem = folderNameProblem(name, tree.delimiter)
  if (problem !== undefined) throw invalidInput('name', problem)
  if (name === node.name) return { name }

  const siblings = node.parentId === undefined ? tree.roots() : tree.children(node.parentId)
  // At the top level `inbox` is INBOX (RFC 3501 section 5.1), so it clashes too.
  const key = (s: string): string => (node.root ? canonicalTop(s) : s)
  if (siblings.some((s) => s.id !== node.id && key(s.name) === key(name))) throw invalidInput('name', 'a sibling has this name')

  const newSegments = [...node.segments.slice(0, -1), name]
  const newPath = newSegments.join(tree.delimiter)
  await relocateFolder(ctx, tree, node, newPath, 'name')
  return { name }
}
