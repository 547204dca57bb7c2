/**
 * Copying and moving objects (nms-spec-digest.md R15, R16; architecture.md section 3 row
 * copy / move): the sources are grouped by folder and each folder gets ONE `UID COPY` or
 * `UID MOVE` (RFC 6851) into the target; UIDPLUS COPYUID (RFC 4315) maps every source UID to
 * its new UID, which makes the new objectId without a search.
 *
 * A moved object gets a new id: an objectId encodes (folderId, UIDVALIDITY, UID) and IMAP gives
 * the message a new UID in the target (documented deviation from the spec's "move keeps ids").
 * Moving an object into the folder it is in changes nothing and keeps its id.
 *
 * Each source that names no object of this box (undecodable, another box's, a stale folder or
 * UIDVALIDITY, a UID that is gone) fails alone with 400 SVC0002 naming the reference (digest R15).
 * A source named twice is copied once; both items get the same new reference.
 */
import { invalidInput, isGatewayError } from '../../errors/gateway-error.js'
import { noteCorrelations } from '../objects/correlation-notes.js'
import { findObject, objectIdFromUrl, type ObjectLocation } from '../objects/locate.js'
import type { FolderContext } from './context.js'
import type { BulkItemResponse } from '../wire/bulk.js'
import { objectReference } from './representation.js'
import { failedItem, isRequestWide, okItem, type TransferMode } from './transfer-request.js'
import type { FolderNode, FolderTree } from './tree.js'

interface Group {
  folder: FolderNode
  uidValidity: string
  /** Request positions per source UID. */
  items: Map<number, number[]>
}

/** Locates each reference; groups the good ones by folder and fails the others. */
function group (
  ctx: FolderContext, tree: FolderTree, urls: readonly string[], out: BulkItemResponse[]
): Map<string, Group> {
  const groups = new Map<string, Group>()
  urls.forEach((url, i) => {
    const id = objectIdFromUrl(ctx, url)
    const loc: ObjectLocation | undefined = id === undefined ? undefined : findObject(tree, id)
    if (loc === undefined) {
      out[i] = failedItem(invalidInput(url))
      return
    }
    let g = groups.get(loc.folder.id)
    if (g === undefined) {
      g = { folder: loc.folder, uidValidity: loc.uidValidity, items: new Map() }
      groups.set(loc.folder.id, g)
    }
    const at = g.items.get(loc.uid)
    if (at === undefined) g.items.set(loc.uid, [i])
    else at.push(i)
  })
  return groups
}

/** Fails every item of the group with `err` (or 400 naming the reference when it is a 404). */
function failGroup (g: Group, urls: readonly string[], out: BulkItemResponse[], err: unknown): void {
  if (isRequestWide(err) || !isGatewayError(err)) throw err
  for (const positions of g.items.values()) {
    for (const i of positions) {
      // A vanished mailbox or changed UIDVALIDITY means the reference names nothing any more.
      out[i] = failedItem(err.code === 'GW_ERR_NOT_FOUND' ? invalidInput(urls[i] as string) : err)
    }
  }
}

/** Moving within one folder: nothing to do, but each UID must still exist. */
async function stayPut (ctx: FolderContext, g: Group, urls: readonly string[], out: BulkItemResponse[]): Promise<void> {
  for (const [uid, positions] of g.items) {
    const page = await ctx.imap.listUids(ctx.box, g.folder.imapPath, { afterUid: uid - 1, limit: 1 })
    const exists = page.uidValidity === g.uidValidity && page.uids[0] === uid
    for (const i of positions) {
      out[i] = exists
        ? okItem(objectReference(ctx, g.folder, g.uidValidity, uid))
        : failedItem(invalidInput(urls[i] as string))
    }
  }
}

/**
 * Copies or moves the objects named by `urls` into `target`; returns one bulk item per URL, in
 * order. Objects cannot go into a `\Noselect` target: each such item fails with 400 SVC0002
 * naming `targetRef`.
 */
export async function transferObjects (
  ctx: FolderContext,
  tree: FolderTree,
  target: FolderNode,
  urls: readonly string[],
  mode: TransferMode
): Promise<BulkItemResponse[]> {
  const out: BulkItemResponse[] = new Array<BulkItemResponse>(urls.length)
  const groups = group(ctx, tree, urls, out)
  for (const g of groups.values()) {
    if (!target.selectable) {
      failGroup(g, urls, out, invalidInput('targetRef', 'the target folder cannot hold objects'))
      continue
    }
    try {
      if (mode === 'move' && g.folder.id === target.id) {
        await stayPut(ctx, g, urls, out)
        continue
      }
      const uids = [...g.items.keys()].sort((a, b) => a - b)
      // A moved object's old id is deleted (architecture.md section 3): keep what it correlated by.
      if (mode === 'move') await noteCorrelations(ctx, g.folder, uids)
      const run = mode === 'copy' ? ctx.imap.copyMessages : ctx.imap.moveMessages
      const result = await run.call(ctx.imap, ctx.box, g.folder.imapPath, uids, target.imapPath, g.uidValidity)
      for (const [uid, positions] of g.items) {
        const newUid = result.uidMap.get(uid)
        for (const i of positions) {
          out[i] = newUid === undefined
            ? failedItem(invalidInput(urls[i] as string))
            : okItem(objectReference(ctx, target, result.uidValidity, newUid))
        }
      }
    } catch (err) {
      failGroup(g, urls, out, err)
    }
  }
  return out
}
