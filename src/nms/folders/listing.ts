/**
 * A folder's child lists, paged (nms-spec-digest.md R11 and section 4.5): subfolders first, in
 * name order, then objects in UID order; `maxEntries` bounds both together. The cursor records
 * where the page ended (the last subfolder name, or the UIDVALIDITY and last UID), so on a folder
 * that does not change the pages join up with nothing left out and nothing repeated. If the
 * folder's UIDVALIDITY changed in between, the object list starts again (best effort, 4.5).
 */
import { invalidInput } from '../../errors/gateway-error.js'
import { decodeCursor, encodeCursor, type CursorBinding } from '../ids/cursor.js'
import type { FolderContext } from './context.js'
import { folderReference, objectReference, type NmsReference } from './representation.js'
import { compareStrings, type FolderNode, type FolderTree } from './tree.js'

/** Which child lists a listing returns. */
export type ListFilter = 'Subfolders' | 'Objects' | 'All'

/** Where a listing resumes. `o` set: subfolders are done, objects continue after `o.u`. */
export interface ListingPosition {
  f: ListFilter
  /** Last subfolder name returned. */
  s?: string
  o?: { v: string, u: number }
}

/** One page of a folder's child lists. */
export interface Listing {
  subFolders?: NmsReference[]
  objects?: NmsReference[]
  /** Present when more entries may follow. */
  cursor?: string
}

/** A folder cursor belongs to its box and folder (and carries its listFilter). */
function binding (ctx: FolderContext, folderId: string): CursorBinding {
  return { box: ctx.box.boxId, kind: 'folder', request: { folder: folderId } }
}

function isPosition (p: unknown): p is ListingPosition {
  if (p === null || typeof p !== 'object') return false
  const { f, s, o } = p as Record<string, unknown>
  if (f !== 'Subfolders' && f !== 'Objects' && f !== 'All') return false
  if (s !== undefined && typeof s !== 'string') return false
  if (o === undefined) return true
  if (o === null || typeof o !== 'object') return false
  const { v, u } = o as Record<string, unknown>
  return typeof v === 'string' && typeof u === 'number' && Number.isInteger(u) && u >= 0
}

/**
 * Decodes `fromCursor` of GET folder. A cursor of another folder, box or secret, a tampered one,
 * or one made for another listFilter than the one asked for is refused: 400 SVC0002 `fromCursor`.
 */
export async function readListingCursor (
  ctx: FolderContext,
  folderId: string,
  cursor: string,
  filter: ListFilter | undefined
): Promise<ListingPosition> {
  const p = decodeCursor(await ctx.store.sharedSecret(), binding(ctx, folderId), cursor)
  if (!isPosition(p) || (filter !== undefined && filter !== p.f)) throw invalidInput('fromCursor')
  return p
}

/** Lists up to `limit` children of `node` from `from` (or the start). */
export async function listChildren (
  ctx: FolderContext,
  tree: FolderTree,
  node: FolderNode,
  filter: ListFilter,
  limit: number,
  from?: ListingPosition
): Promise<Listing> {
  const wantSub = filter !== 'Objects'
  const wantObj = filter !== 'Subfolders'
  let budget = limit
  let next: ListingPosition | undefined
  const subFolders: NmsReference[] = []
  const objects: NmsReference[] = []

  if (wantSub && from?.o === undefined) {
    const after = from?.s
    const rest = tree.children(node.id).filter((c) => after === undefined || compareStrings(c.name, after) > 0)
    const page = rest.slice(0, budget)
    for (const c of page) subFolders.push(folderReference(ctx, c))
    budget -= page.length
    const last = page[page.length - 1]
    // limit >= 1, so a page that leaves children behind is never empty.
    if (rest.length > page.length && last !== undefined) next = { f: filter, s: last.name }
  }

  if (wantObj && next === undefined && node.selectable) {
    const uv = node.uidValidity
    const afterUid = from?.o !== undefined && from.o.v === uv ? from.o.u : 0
    if (budget > 0) {
      const page = await ctx.imap.listUids(ctx.box, node.imapPath, { afterUid, limit: budget })
      for (const uid of page.uids) objects.push(objectReference(ctx, node, page.uidValidity, uid))
      const lastUid = page.uids[page.uids.length - 1]
      if (page.more) next = { f: filter, o: { v: page.uidValidity, u: lastUid ?? afterUid } }
    } else if (node.status?.messages === undefined || node.status.messages > 0) {
      // The page filled up with subfolders; objects may follow.
      next = { f: filter, o: { v: uv, u: afterUid } }
    }
  }

  const out: Listing = {}
  if (wantSub) out.subFolders = subFolders
  if (wantObj) out.objects = objects
  if (next !== undefined) out.cursor = encodeCursor(await ctx.store.sharedSecret(), binding(ctx, node.id), next)
  return out
}
