/**
 * The `objects.objectReference` list of bulkUpdate and bulkDelete (client profile 3.4), resolved
 * and grouped by folder so that one IMAP command serves every UID of a folder (issue 3 item 6).
 * A reference that is not `{resourceURL: string}` is a 400 SVC0002 item; one that names no
 * object of this box (unknown, stale UIDVALIDITY, forged, another box's URL) a 404 SVC0004 item.
 */
import { invalidInput } from '../../errors/gateway-error.js'
import type { GatewayError } from '../../errors/gateway-error.js'
import type { FolderContext } from '../folders/context.js'
import type { FolderNode, FolderTree } from '../folders/tree.js'
import { findObject, objectIdFromUrl, objectNotFound } from './locate.js'

/** The items of one folder. */
export interface FolderGroup {
  folder: FolderNode
  uidValidity: string
  /** Request index -> UID. */
  items: Array<{ index: number, uid: number }>
}

/** References sorted into folder groups and items that failed already. */
export interface ResolvedRefs {
  groups: FolderGroup[]
  failures: Map<number, GatewayError>
}

/** The reference list of a bulk body (a single reference object is accepted as a list of one). */
export function referenceList (objects: unknown): unknown[] {
  if (typeof objects !== 'object' || objects === null) throw invalidInput('objects.objectReference')
  const list = (objects as { objectReference?: unknown }).objectReference
  if (Array.isArray(list)) return list
  if (typeof list === 'object' && list !== null) return [list]
  throw invalidInput('objects.objectReference')
}

/** Resolves every reference against the folder tree; no IMAP round trip. */
export function resolveRefs (ctx: FolderContext, tree: FolderTree, refs: readonly unknown[]): ResolvedRefs {
  const groups = new Map<string, FolderGroup>()
  const failures = new Map<number, GatewayError>()
  refs.forEach((ref, index) => {
    const url = typeof ref === 'object' && ref !== null ? (ref as { resourceURL?: unknown }).resourceURL : undefined
    if (typeof url !== 'string') {
      failures.set(index, invalidInput(`objects.objectReference.${index}`))
      return
    }
    const id = objectIdFromUrl(ctx, url)
    const loc = id === undefined ? undefined : findObject(tree, id)
    if (loc === undefined) {
      failures.set(index, objectNotFound(url))
      return
    }
    let g = groups.get(loc.folder.id)
    if (g === undefined) {
      g = { folder: loc.folder, uidValidity: loc.uidValidity, items: [] }
      groups.set(loc.folder.id, g)
    }
    g.items.push({ index, uid: loc.uid })
  })
  return { groups: [...groups.values()], failures }
}

/** The distinct UIDs of a group, ascending. */
export function groupUids (g: FolderGroup): number[] {
  return [...new Set(g.items.map((i) => i.uid))].sort((a, b) => a - b)
}
