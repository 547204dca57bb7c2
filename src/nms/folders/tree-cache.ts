/**
 * A short-lived, per-gateway cache of each box's folder tree, for object operations only.
 *
 * Resolving an objectId needs the folder its folderId names; a fresh LIST-STATUS plus registry
 * reconciliation per object request costs more than the object's own FETCH (and forces a
 * pooled session off its selected mailbox). Object operations therefore first try the cached
 * tree and fall back to a fresh one whenever the cached view could be wrong (see
 * `withObject` in src/nms/objects/locate.ts): an id the cached tree does not know, or a
 * GW_ERR_NOT_FOUND from IMAP (mailbox renamed, deleted or recreated by another client; the
 * UIDVALIDITY check of every message command catches the last). Folder endpoints always list
 * afresh, and every modifying NMS request forgets the box's entry, so what this instance
 * changed is seen at once; what other clients changed is seen after at most the TTL.
 */
import type { FolderContext } from './context.js'
import type { FolderTree } from './tree.js'

/** How long a cached tree is used. */
export const TREE_TTL_MS = 5000
/** Boxes kept per gateway before the oldest entries are dropped. */
const MAX_BOXES = 10_000

interface Entry {
  tree: FolderTree
  at: number
}

// Keyed by the IMAP port so two gateways in one process (tests, scale-out drills) never share.
const caches = new WeakMap<object, Map<string, Entry>>()

function cacheOf (ctx: Pick<FolderContext, 'imap'>): Map<string, Entry> {
  let m = caches.get(ctx.imap)
  if (m === undefined) {
    m = new Map()
    caches.set(ctx.imap, m)
  }
  return m
}

/** The box's cached tree while it is fresh. */
export function cachedFolders (ctx: Pick<FolderContext, 'imap' | 'box'>, now = Date.now()): FolderTree | undefined {
  const m = cacheOf(ctx)
  const e = m.get(ctx.box.boxId)
  if (e === undefined) return undefined
  if (now - e.at > TREE_TTL_MS) {
    m.delete(ctx.box.boxId)
    return undefined
  }
  return e.tree
}

/** Keeps a freshly loaded tree for the box. */
export function rememberFolders (ctx: Pick<FolderContext, 'imap' | 'box'>, tree: FolderTree, now = Date.now()): void {
  const m = cacheOf(ctx)
  m.delete(ctx.box.boxId)
  m.set(ctx.box.boxId, { tree, at: now })
  if (m.size > MAX_BOXES) {
    const oldest = m.keys().next().value
    if (oldest !== undefined) m.delete(oldest)
  }
}

/** Drops the box's cached tree (after this instance changed its folders). */
export function forgetFolders (ctx: Pick<FolderContext, 'imap' | 'box'>): void {
  cacheOf(ctx).delete(ctx.box.boxId)
}
