/**
 * From a change plan to change events (OMA NMS TS sections 5.3.2.23 and 5.3.2.25 to 5.3.2.29,
 * OMA NMS TS being OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C), in batches, so a large plan (a folder
 * of 100,000 new messages) never sits in memory whole. Changed messages are described from IMAP
 * as they are now (metadata only, the TextContent of pager messages included: correlationTag
 * needs it), `describeChunk` UIDs per FETCH.
 *
 * Order: `resetBox` alone; else changed folders (parents before children), the changed objects
 * folder by folder, deleted objects, deleted folders. Every event carries the item's complete
 * resulting state (OMA NMS TS section 5.1.4.1), so the order inside a list does not matter to a
 * client, but parents first lets a client build its tree as it reads.
 */
import { isGatewayError } from '../errors/gateway-error.js'
import type { MessageMeta } from '../imap/types.js'
import { folderAttributes } from '../nms/folders/attributes.js'
import type { FolderContext } from '../nms/folders/context.js'
import type { SearchableFolder } from '../nms/folders/search-criteria.js'
import type { FolderNode, FolderTree } from '../nms/folders/tree.js'
import { describeMessages, fetchMetas } from '../nms/objects/describe.js'
import type { NmsObject } from '../nms/objects/representation.js'
import type { Tombstone } from '../store/tracker-store.js'
import type { ChangePlan } from './change-plan.js'

export type ChangeEvent =
  | { type: 'resetBox' }
  | { type: 'changedFolder', node: FolderNode, created: boolean, searchable: SearchableFolder }
  | { type: 'changedObject', node: FolderNode, meta: MessageMeta, object: NmsObject, created: boolean }
  | { type: 'deletedObject', tombstone: Tombstone }
  | { type: 'deletedFolder', id: string, lastModSeq: number }

/** Yields the events of `plan` in batches of at most `batch` (a folder's objects per FETCH chunk). */
export async function * planEvents (
  ctx: FolderContext, plan: ChangePlan, tree: FolderTree, opts: { chunk: number, batch: number }
): AsyncGenerator<ChangeEvent[]> {
  if (plan.reset) {
    yield [{ type: 'resetBox' }]
    return
  }
  const folders = [...plan.folders].sort((a, b) => a.node.segments.length - b.node.segments.length)
  for (let i = 0; i < folders.length; i += opts.batch) {
    yield folders.slice(i, i + opts.batch).map(({ node, created }) => ({
      type: 'changedFolder',
      node,
      created,
      searchable: { name: node.name, attributes: folderAttributes(tree, node), date: node.firstSeen }
    }))
  }
  for (const changes of plan.objects) {
    for (let i = 0; i < changes.uids.length; i += opts.chunk) {
      const uids = changes.uids.slice(i, i + opts.chunk)
      const described = await describeChunk(ctx, changes.node, uids)
      const events: ChangeEvent[] = described.map(({ meta, object }) => ({
        type: 'changedObject',
        node: changes.node,
        meta,
        object,
        created: meta.uid >= changes.createdFromUid
      }))
      for (let k = 0; k < events.length; k += opts.batch) yield events.slice(k, k + opts.batch)
    }
  }
  for (let i = 0; i < plan.deletions.length; i += opts.batch) {
    yield plan.deletions.slice(i, i + opts.batch).map((tombstone) => ({ type: 'deletedObject', tombstone }))
  }
  for (let i = 0; i < plan.folderDeletions.length; i += opts.batch) {
    yield plan.folderDeletions.slice(i, i + opts.batch).map((d) => ({ type: 'deletedFolder', id: d.id, lastModSeq: d.lastModSeq }))
  }
}

/** The messages of `uids` that still exist, described; none when the folder is gone. */
async function describeChunk (
  ctx: FolderContext, node: FolderNode, uids: readonly number[]
): Promise<Array<{ meta: MessageMeta, object: NmsObject }>> {
  try {
    const metas = await fetchMetas(ctx, node, uids)
    const objects = await describeMessages(ctx, node, metas)
    return metas.map((meta, i) => ({ meta, object: objects[i] as NmsObject }))
  } catch (err) {
    // Deleted or recreated since the sync: its deletion reaches the client with the next sync.
    if (isGatewayError(err) && err.code === 'GW_ERR_NOT_FOUND') return []
    throw err
  }
}
