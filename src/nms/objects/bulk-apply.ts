/**
 * The shared shape of bulkUpdate and bulkDelete: resolve the references, run ONE IMAP command
 * per folder for all of its UIDs, and answer one response per reference in request order
 * (client profile check 24): 200 with the object's reference when the UID existed, 404 SVC0004
 * when it did not, and the command's error for every item of a folder whose command failed.
 */
import type { FolderContext } from '../folders/context.js'
import { loadFolders } from '../folders/load.js'
import { objectReference } from '../folders/representation.js'
import { checkBulkSize } from './bulk-create.js'
import { groupUids, resolveRefs, type FolderGroup } from './bulk-refs.js'
import { bulkFailure, bulkSuccess, type BulkItemResponse } from './bulk-response.js'
import { objectNotFound } from './locate.js'

/** Runs the folder's command; returns the UIDs that existed. */
export type FolderCommand = (group: FolderGroup, uids: number[]) => Promise<ReadonlySet<number>>

/** Applies `command` per folder to the referenced objects. */
export async function applyPerFolder (
  ctx: FolderContext,
  refs: readonly unknown[],
  requestId: string,
  onFault: (err: unknown) => void,
  command: FolderCommand
): Promise<BulkItemResponse[]> {
  checkBulkSize(ctx, refs.length)
  const tree = await loadFolders(ctx)
  const { groups, failures } = resolveRefs(ctx, tree, refs)
  const out = new Array<BulkItemResponse | undefined>(refs.length)
  for (const [index, err] of failures) out[index] = bulkFailure(err, requestId)
  for (const g of groups) {
    try {
      const existing = await command(g, groupUids(g))
      for (const { index, uid } of g.items) {
        out[index] = existing.has(uid)
          ? bulkSuccess(200, objectReference(ctx, g.folder, g.uidValidity, uid))
          : bulkFailure(objectNotFound((refs[index] as { resourceURL: string }).resourceURL), requestId)
      }
    } catch (err) {
      onFault(err)
      for (const { index } of g.items) out[index] = bulkFailure(err, requestId)
    }
  }
  return out.map((r) => r as BulkItemResponse)
}
