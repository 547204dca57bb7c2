/**
 * copyToFolder and moveToFolder (nms-spec-digest.md R15, R16): folders first, then objects, each
 * source in request order, one bulk item per DIRECT source (items made by recursion are not
 * listed). The target is checked once for the whole request (404 SVC0004, 403 POL1031); each
 * source then succeeds or fails on its own.
 *
 * Folder items run one after the other on a freshly loaded folder tree, since each may change
 * the tree (a copy adds a name under the target, a move changes paths); objects run last on the
 * tree as the folder items left it, so an object inside a folder moved by the same request is
 * still found (the folder kept its id and UIDVALIDITY).
 */
import { GatewayError, invalidInput } from '../../errors/gateway-error.js'
import { bulkStatus } from '../objects/bulk-response.js'
import type { FolderContext } from './context.js'
import { copyFolder } from './copy-folder.js'
import { loadFolders } from './load.js'
import { folderIdFromUrl } from './lookup.js'
import { moveFolder } from './move-folder.js'
import type { BulkItemResponse } from '../wire/bulk.js'
import { transferObjects } from './transfer-objects.js'
import { failedItem, okItem, perItem, resolveTarget, type TargetSourceRef, type TransferMode } from './transfer-request.js'
import type { FolderTree } from './tree.js'

/** The bulk items and the HTTP status of the response. */
export interface TransferResult {
  /** 200 when at least one item succeeded, else the first failure's status (never an empty 200). */
  status: number
  items: BulkItemResponse[]
}

async function transferFolder (
  ctx: FolderContext,
  tree: FolderTree,
  url: string,
  targetId: string,
  mode: TransferMode
): Promise<BulkItemResponse> {
  const id = folderIdFromUrl(ctx, url)
  const source = id === undefined ? undefined : tree.byId(id)
  if (source === undefined) return failedItem(invalidInput(url))
  const target = tree.byId(targetId)
  // The target was checked at the start; only a concurrent delete makes it vanish.
  if (target === undefined) return failedItem(invalidInput('targetRef'))
  const ref = mode === 'copy'
    ? await copyFolder(ctx, tree, source, target, url)
    : await moveFolder(ctx, tree, source, target, url)
  return okItem(ref)
}

/** Runs a copy or move; see the module comment. */
export async function transfer (
  ctx: FolderContext,
  input: TargetSourceRef,
  mode: TransferMode
): Promise<TransferResult> {
  const folderUrls = input.sourceRefs.folders.folderReference.map((r) => r.resourceURL)
  const objectUrls = input.sourceRefs.objects.objectReference.map((r) => r.resourceURL)
  const count = folderUrls.length + objectUrls.length
  if (count === 0) throw invalidInput('sourceRefs', 'no source given')
  const max = ctx.config.objects.bulkMaxItems
  if (count > max) throw new GatewayError('GW_ERR_BULK_TOO_MANY', { variables: [`${count} sources, at most ${max}`] })

  let tree = await loadFolders(ctx)
  const targetId = resolveTarget(ctx, tree, input.targetRef.resourceURL).id
  const items: BulkItemResponse[] = []
  for (const [i, url] of folderUrls.entries()) {
    if (i > 0) tree = await loadFolders(ctx)
    items.push(await perItem(async () => await transferFolder(ctx, tree, url, targetId, mode)))
  }
  if (objectUrls.length > 0) {
    if (folderUrls.length > 0) tree = await loadFolders(ctx)
    const target = tree.byId(targetId)
    if (target === undefined) {
      items.push(...objectUrls.map(() => failedItem(invalidInput('targetRef'))))
    } else {
      items.push(...await transferObjects(ctx, tree, target, objectUrls, mode))
    }
  }
  return { status: bulkStatus(items), items }
}

/** copyToFolder (digest R15). */
export async function copyToFolder (ctx: FolderContext, input: TargetSourceRef): Promise<TransferResult> {
  return await transfer(ctx, input, 'copy')
}

/** moveToFolder (digest R16). */
export async function moveToFolder (ctx: FolderContext, input: TargetSourceRef): Promise<TransferResult> {
  return await transfer(ctx, input, 'move')
}
