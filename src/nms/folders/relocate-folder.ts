/**
 * The step folderName rename and moveToFolder share: IMAP RENAME of a folder's mailbox to a new
 * path, which moves its inferiors too (RFC 3501 section 6.3.5), then the registry follows. The
 * folder and its descendants keep their ids (their registry paths change); only the folder
 * itself gets a new lastModSeq (nms-spec-digest.md R12, R16: descendants do not count as changed).
 */
import { invalidInput, isGatewayError } from '../../errors/gateway-error.js'
import type { FolderContext } from './context.js'
import type { FolderNode, FolderTree } from './tree.js'

/** Renames `node`'s mailbox to `newPath`; `part` names the input for a 400 when the path was taken meanwhile. */
export async function relocateFolder (
  ctx: FolderContext,
  tree: FolderTree,
  node: FolderNode,
  newPath: string,
  part: string
): Promise<void> {
  try {
    await ctx.imap.renameMailbox(ctx.box, node.imapPath, newPath)
  } catch (err) {
    // A concurrent request took the path between the caller's checks and the RENAME.
    if (!isGatewayError(err) || err.code !== 'GW_ERR_IMAP_FAILED') throw err
    if ((await ctx.imap.listMailboxes(ctx.box)).some((m) => m.path === newPath)) throw invalidInput(part, 'taken concurrently')
    throw err
  }
  const registry = ctx.store.folders
  const boxId = ctx.box.boxId
  const seq = await registry.nextSeq(boxId)
  await Promise.all(tree.subtree(node.id).map(async (n) => {
    const path = newPath + n.imapPath.slice(node.imapPath.length)
    await registry.update(boxId, { ...n.record, path, ...(n.id === node.id ? { lastModSeq: seq } : {}) })
  }))
}
