/**
 * `POST /folders/operations/search` (nms-spec-digest.md R13, section 4): folders matching the
 * criteria, within `searchScope` (all its descendants, or only its direct children with
 * `nonRecursiveScope`; the whole box without a scope), in path order, at most `maxEntries` (and
 * at most `folders.listMaxEntries`) per batch. Root folders in the results carry their
 * `subFolders` and `objects` lists (mandatory for root discovery), bounded by
 * `folders.listMaxEntries`, with a folder cursor for `GET /folders/{id}?fromCursor=` when cut.
 *
 * `sortCriteria` is accepted and not applied: the order is always by path (the spec lets the
 * server choose when it does not sort).
 */
import { invalidInput } from '../../errors/gateway-error.js'
import { decodeCursor, encodeCursor, type CursorBinding } from '../ids/cursor.js'
import { folderAttributes } from './attributes.js'
import type { FolderContext } from './context.js'
import { listChildren } from './listing.js'
import { loadFolders } from './load.js'
import { folderIdFromUrl } from './lookup.js'
import { folderBody, type NmsFolder } from './representation.js'
import { compileFolderCriteria, type SearchCriteriaInput } from './search-criteria.js'
import { compareSegments, type FolderNode } from './tree.js'

/** `selectionCriteria` of a folder search, as received. */
export interface FolderSearchInput {
  maxEntries: number
  fromCursor?: string | undefined
  searchCriteria?: SearchCriteriaInput | undefined
  searchScope?: { resourceURL: string } | undefined
  nonRecursiveScope?: boolean | undefined
}

/** `folderList`: one batch of folders and, when more may follow, a cursor. */
export interface FolderList {
  folder: NmsFolder[]
  cursor?: string
}

/** Search cursors belong to the box and to the exact criteria and scope (digest 4.5). */
function binding (ctx: FolderContext, input: FolderSearchInput): CursorBinding {
  return {
    box: ctx.box.boxId,
    kind: 'folderSearch',
    request: {
      c: input.searchCriteria ?? null,
      s: input.searchScope?.resourceURL ?? null,
      n: input.nonRecursiveScope === true
    }
  }
}

function isSegments (p: unknown): p is string[] {
  return Array.isArray(p) && p.length > 0 && p.every((s) => typeof s === 'string')
}

/** Runs one batch of a folder search. */
export async function searchFolders (ctx: FolderContext, input: FolderSearchInput): Promise<FolderList> {
  const matches = compileFolderCriteria(input.searchCriteria)
  const secret = await ctx.store.sharedSecret()
  let after: string[] | undefined
  if (input.fromCursor !== undefined) {
    const p = decodeCursor(secret, binding(ctx, input), input.fromCursor)
    if (!isSegments(p)) throw invalidInput('fromCursor')
    after = p
  }
  const tree = await loadFolders(ctx, ['messages'])

  let candidates: readonly FolderNode[] = tree.all()
  if (input.searchScope !== undefined) {
    const scopeId = folderIdFromUrl(ctx, input.searchScope.resourceURL)
    const scope = scopeId === undefined ? undefined : tree.byId(scopeId)
    if (scope === undefined) throw invalidInput('searchScope.resourceURL')
    candidates = input.nonRecursiveScope === true ? tree.children(scope.id) : tree.subtree(scope.id).slice(1)
  }
  const hits = candidates
    .filter((n) => after === undefined || compareSegments(n.segments, after) > 0)
    .filter((n) => matches({ name: n.name, attributes: folderAttributes(tree, n), date: n.firstSeen }))
    .sort((a, b) => compareSegments(a.segments, b.segments))

  const max = ctx.config.folders.listMaxEntries
  const page = hits.slice(0, Math.min(input.maxEntries, max))
  const folder: NmsFolder[] = []
  for (const node of page) {
    const body = folderBody(ctx, tree, node, { path: true })
    if (!node.root) {
      folder.push(body)
      continue
    }
    const listing = await listChildren(ctx, tree, node, 'All', max)
    folder.push({
      ...body,
      ...(listing.cursor === undefined ? {} : { cursor: listing.cursor }),
      subFolders: { folderReference: listing.subFolders ?? [] },
      objects: { objectReference: listing.objects ?? [] }
    })
  }
  const last = page[page.length - 1]
  return hits.length > page.length && last !== undefined
    ? { folder, cursor: encodeCursor(secret, binding(ctx, input), last.segments) }
    : { folder }
}
