/**
 * `DELETE /folders/{folderId}` (nms-spec-digest.md R11): deletes the folder and everything
 * below it. IMAP DELETE does not remove inferior mailboxes (RFC 3501 section 6.3.4), so the
 * subtree is deleted deepest first; the ids of what was deleted are retired from the registry
 * even when a later DELETE fails, and the next request's LIST settles the rest.
 *
 * A recursive delete deletes the objects too, and each must be notified (digest 3.2). Once the
 * mailbox is gone IMAP cannot say which UIDs it held, so their UIDs are noted for the change
 * tracker first (src/sync/tracker.ts turns them into deletedObject events).
 */
import { GatewayError } from '../../errors/gateway-error.js'
import type { DeletionNote } from '../../store/tracker-store.js'
import { formatUidSet } from '../../imap/uid-set.js'
import type { FolderContext } from './context.js'
import { loadFolders } from './load.js'
import { requireFolder } from './lookup.js'
import { isProtected } from './protection.js'
import type { FolderNode } from './tree.js'

/** Notes what each folder about to be deleted holds (for tracked boxes: others have no one to tell). */
async function noteDeletions (ctx: FolderContext, doomed: readonly FolderNode[]): Promise<void> {
  if (await ctx.store.tracker.head(ctx.box.boxId) === undefined) return
  const notes: DeletionNote[] = []
  for (const n of doomed) {
    if (!n.selectable || n.virtual || (n.status?.messages ?? 1) === 0) continue
    const found = await ctx.imap.searchUids(ctx.box, n.imapPath, { kind: 'all' }, { uidValidity: n.uidValidity, order: 'uid' })
    if (found.uids.length === 0) continue
    notes.push({
      folderId: n.id,
      at: Date.now(),
      uidValidity: n.uidValidity,
      uids: formatUidSet(found.uids),
      highestModseq: n.status?.highestModseq ?? '0'
    })
  }
  await ctx.store.tracker.noteDeletions(ctx.box.boxId, notes)
}

/** Deletes the folder and its subtree; 404 when unknown, 403 POL1030 when protected. */
export async function deleteFolder (ctx: FolderContext, folderId: string): Promise<void> {
  const tree = await loadFolders(ctx, ['messages', 'highestModseq'])
  const node = requireFolder(ctx, tree, folderId)
  if (isProtected(ctx.config, tree, node)) throw new GatewayError('GW_ERR_FOLDER_PROTECTED')
  const doomed = tree.subtree(node.id).sort((a, b) => b.segments.length - a.segments.length)
  await noteDeletions(ctx, doomed)
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
