/**
 * `DELETE /folders/{folderId}` (nms-spec-digest.md R11): deletes the folder and everything
 * below it. IMAP DELETE does not remove inferior mailboxes (RFC 3501 section 6.3.4), so the
 * subtree is deleted deepest first; the ids of what was deleted are retired from the registry
 * even when a later DELETE fails, and the next request's LIST settles the rest.
 */
import { GatewayError } from '../../errors/gateway-error.js'
import type { FolderContext } from './context.js'
import { loadFolders } from './load.js'
import { requireFolder } from './lookup.js'
import { isProtected } from './protection.js'

/** Deletes the folder and its subtree; 404 when unknown, 403 POL1030 when protected. */
export async function deleteFolder (ctx: FolderContext, folderId: string): Promise<void> {
  const tree = await loadFolders(ctx)
  const node = requireFolder(ctx, tree, folderId)
  if (isProtected(ctx.config, tree, node)) throw new GatewayError('GW_ERR_FOLDER_PROTECTED')
  const doomed = tree.subtree(node.id).sort((a, b) => b.segments.length - a.segments.length)
  const deleted: string[] = []
  try {
    for (const n of doomed) {
      // A synthesized parent has no mailbox of its own; it goes away with its children.
      if (!n.virtual) await ctx.imap.deleteMailbox(ctx.box, n.imapPath)
      deleted.push(n.id)
    }
  } finally {
    await ctx.store.folders.remove(ctx.box.boxId, deleted)
  }
}
