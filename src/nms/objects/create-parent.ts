/**
 * The folder a new object goes into (nms-spec-digest.md R1): `parentFolder` (a folder URL of
 * this box), else `parentFolderPath`, else the configured `objects.defaultFolderPath`. Unlike
 * POST /folders, missing folders on a path are created, parents first (the TS "SHALL create
 * them implicitly", R1 example 2); the default folder too. A parent under a `folders.serverOnly`
 * folder refuses user tokens with 403 POL1031 before anything is created.
 */
import { GatewayError, invalidInput, isGatewayError } from '../../errors/gateway-error.js'
import type { FolderContext } from '../folders/context.js'
import { loadFolders } from '../folders/load.js'
import { folderIdFromUrl } from '../folders/lookup.js'
import { folderNameProblem } from '../folders/names.js'
import { isServerOnlyPath } from '../folders/protection.js'
import type { FolderNode, FolderTree } from '../folders/tree.js'
import { imapPathOf, nmsPathOf, parseNmsPath } from '../paths.js'

/** The parent found (or made) and the folder tree that holds it. */
export interface ResolvedParent {
  node: FolderNode
  tree: FolderTree
}

function refuseServerOnly (ctx: FolderContext, segments: readonly string[]): void {
  if (!ctx.serverScope && isServerOnlyPath(ctx.config, segments)) {
    throw new GatewayError('GW_ERR_FOLDER_CREATE_PROHIBITED', { variables: [nmsPathOf(segments)] })
  }
}

/** CREATE of one mailbox; one created by a concurrent request in the meantime is fine. */
async function createMissing (ctx: FolderContext, path: string): Promise<void> {
  try {
    await ctx.imap.createMailbox(ctx.box, path)
  } catch (err) {
    if (!isGatewayError(err) || err.code !== 'GW_ERR_IMAP_FAILED') throw err
    const now = await ctx.imap.listMailboxes(ctx.box)
    if (!now.some((m) => m.path === path)) throw err
  }
}

/** The folder at `path`, creating what is missing. */
async function byPath (ctx: FolderContext, tree: FolderTree, path: string, member: string): Promise<ResolvedParent> {
  const segments = parseNmsPath(path)
  if (segments === null) throw invalidInput(member === 'default' ? 'objects.defaultFolderPath' : path, 'malformed path')
  refuseServerOnly(ctx, segments)
  let node = tree.byPath(segments)
  if (node === undefined) {
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i)
      if (tree.byPath(prefix)?.virtual === false) continue
      const problem = folderNameProblem(prefix[i - 1] as string, tree.delimiter)
      if (problem !== undefined) throw invalidInput(path, problem)
      await createMissing(ctx, imapPathOf(prefix, tree.delimiter))
    }
    tree = await loadFolders(ctx)
    node = tree.byPath(segments)
  }
  if (node === undefined || !node.selectable) throw invalidInput(path, 'folder cannot hold objects')
  return { node, tree }
}

/**
 * Finds or creates the parent of a new object.
 * @param tree - the box's folders; reloaded (and returned) when folders are created.
 * @throws GatewayError 400 SVC0002 naming an unknown parentFolder or a bad path; 403 POL1031.
 */
export async function resolveParent (
  ctx: FolderContext,
  tree: FolderTree,
  input: { parentFolder?: string | undefined, parentFolderPath?: string | undefined }
): Promise<ResolvedParent> {
  if (input.parentFolder !== undefined) {
    const id = folderIdFromUrl(ctx, input.parentFolder)
    const node = id === undefined ? undefined : tree.byId(id)
    if (node === undefined || !node.selectable) throw invalidInput(input.parentFolder, 'unknown parent folder')
    refuseServerOnly(ctx, node.segments)
    return { node, tree }
  }
  if (input.parentFolderPath !== undefined) return await byPath(ctx, tree, input.parentFolderPath, 'parentFolderPath')
  return await byPath(ctx, tree, ctx.config.objects.defaultFolderPath, 'default')
}
