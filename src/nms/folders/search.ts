/**
 * `POST /folders/operations/search` (nms-spec-digest.md R13, section 4): folders matching the
 * criteria, within `searchScope` (all its descendants, or only its direct children with
 * `nonRecursiveScope`; the whole box without a scope), in path order, at most `maxEntries` (and
 * at most `folders.listMaxEntries`) per batch. Root folders in the results carry their
 * `subFolders` and `objects` lists (mandatory for root discovery), bounded by
 * `folders.listMaxEntries`, with a folder cursor for `GET /folders/{id}?fromCursor=` when cut.
 *
 * Order: by path without sort criteria; otherwise by `Date` (the folder's internal date) and/or
 * `Attribute` values (src/nms/search/sort-spec.ts), equal keys by path in the first criterion's
 * direction. The cursor holds the last folder's keys and path, so a static box pages precisely.
 */
import { invalidInput } from '../../errors/gateway-error.js'
import { compareKeys, isKeyTuple, parseSort, type SortKey, type SortSpec } from '../search/sort-spec.js'
import { decodeCursor, encodeCursor, type CursorBinding } from '../ids/cursor.js'
import { folderAttributes } from './attributes.js'
import type { FolderContext } from './context.js'
import { listChildren } from './listing.js'
import { loadFolders } from './load.js'
import { folderIdFromUrl } from './lookup.js'
import { folderBody, type NmsFolder } from './representation.js'
import { compileFolderCriteria } from './search-criteria.js'
import type { FolderList } from '../wire/folder.js'
import type { SelectionCriteria } from '../wire/search.js'
import { compareSegments, type FolderNode, type FolderTree } from './tree.js'

/** `selectionCriteria` of a folder search, as received. */
export type FolderSearchInput = SelectionCriteria

export type { FolderList }

/** Search cursors belong to the box and to the exact criteria and scope (digest 4.5). */
function binding (ctx: FolderContext, input: FolderSearchInput, sort: readonly SortSpec[]): CursorBinding {
  return {
    box: ctx.box.boxId,
    kind: 'folderSearch',
    request: {
      c: input.searchCriteria ?? null,
      s: input.searchScope?.resourceURL ?? null,
      n: input.nonRecursiveScope === true,
      o: sort
    }
  }
}

function isSegments (p: unknown): p is string[] {
  return Array.isArray(p) && p.length > 0 && p.every((s) => typeof s === 'string')
}

/** A position in the search order: the sort keys and the path. */
interface Position {
  k: SortKey[]
  p: string[]
}

function keysOf (sort: readonly SortSpec[], tree: FolderTree, n: FolderNode): SortKey[] {
  return sort.map((s) => {
    if (s.type === 'Date') {
      const t = Date.parse(n.firstSeen)
      return Number.isFinite(t) ? t : null
    }
    const lower = s.name.toLowerCase()
    return folderAttributes(tree, n).find((a) => a.name.toLowerCase() === lower)?.value[0] ?? null
  })
}

/** Runs one batch of a folder search. */
export async function searchFolders (ctx: FolderContext, input: FolderSearchInput): Promise<FolderList> {
  const matches = compileFolderCriteria(input.searchCriteria)
  const sort = parseSort(input)
  const secret = await ctx.store.sharedSecret()
  const bind = binding(ctx, input, sort)
  let after: Position | undefined
  if (input.fromCursor !== undefined) {
    const p = decodeCursor(secret, bind, input.fromCursor) as Partial<Position> | null
    if (p === null || typeof p !== 'object' || !isKeyTuple(sort, p.k) || !isSegments(p.p)) throw invalidInput('fromCursor')
    after = { k: p.k, p: p.p }
  }
  const tree = await loadFolders(ctx, ['messages'])

  let candidates: readonly FolderNode[] = tree.all()
  if (input.searchScope !== undefined) {
    const scopeId = folderIdFromUrl(ctx, input.searchScope.resourceURL)
    const scope = scopeId === undefined ? undefined : tree.byId(scopeId)
    if (scope === undefined) throw invalidInput('searchScope.resourceURL')
    candidates = input.nonRecursiveScope === true ? tree.children(scope.id) : tree.subtree(scope.id).slice(1)
  }
  const dir = sort[0]?.dir ?? 1
  const compare = (a: Position, b: Position): number => compareKeys(sort, a.k, b.k) || compareSegments(a.p, b.p) * dir
  const hits = candidates
    .map((n) => ({ n, pos: { k: keysOf(sort, tree, n), p: n.segments } }))
    .filter(({ pos }) => after === undefined || compare(pos, after) > 0)
    .filter(({ n }) => matches({ name: n.name, attributes: folderAttributes(tree, n), date: n.firstSeen }))
    .sort((a, b) => compare(a.pos, b.pos))

  const max = ctx.config.folders.listMaxEntries
  const page = hits.slice(0, Math.min(input.maxEntries, max))
  const folder: NmsFolder[] = []
  for (const { n: node } of page) {
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
    ? { folder, cursor: encodeCursor(secret, bind, last.pos) }
    : { folder }
}
