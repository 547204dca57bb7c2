/**
 * Compares the folders the tracker knew at a position with the box's folders now (the
 * reconciled LIST, src/nms/folders/load.ts). Pure.
 *
 * - A folder id absent before is new: `changedFolder`, and all its messages are new objects.
 * - A folder whose registry `lastModSeq` moved was renamed or moved itself (the registry bumps
 *   it only then; the descendants of a renamed folder keep theirs,
 *   OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C section 5.1.4.2): `changedFolder`.
 * - A folder whose HIGHESTMODSEQ, UIDNEXT or MESSAGES moved (or, without MODSEQ, any folder)
 *   may hold changed messages and is scanned.
 * - A folder id that went away is deleted. If another folder took its path in the same
 *   interval, the mailbox was deleted and created again with a new UIDVALIDITY: a `resetBox`
 *   (docs/decisions.md, "A folder's UIDVALIDITY changed"), as is a folder that kept its id but
 *   not its UIDVALIDITY.
 */
import type { FolderNode } from '../nms/folders/tree.js'
import type { TrackedFolder } from '../store/tracker-store.js'

export interface FolderDiff {
  created: FolderNode[]
  /** Renamed or moved folders (their own name or parent changed). */
  moved: FolderNode[]
  /** Folders to scan for message changes, with their state at the start. */
  scan: Array<{ node: FolderNode, old: TrackedFolder }>
  removed: TrackedFolder[]
  /** Why the interval needs a resetBox; empty when it does not. */
  resetReasons: string[]
  /** Folders whose tracked state must be rewritten (anything about them moved). */
  upserts: FolderNode[]
}

/** The tracked state of a folder as it is now. */
export function trackedFolder (node: FolderNode, digest?: string): TrackedFolder {
  const s = node.status
  const t: TrackedFolder = {
    id: node.id,
    path: node.imapPath,
    uidValidity: node.selectable ? node.uidValidity : '0',
    highestModseq: s?.highestModseq ?? '0',
    uidNext: s?.uidNext ?? 0,
    messages: s?.messages ?? 0,
    lastModSeq: node.lastModSeq
  }
  if (node.parentId !== undefined) t.parentId = node.parentId
  if (digest !== undefined) t.digest = digest
  return t
}

function sameState (a: TrackedFolder, b: TrackedFolder): boolean {
  return a.path === b.path && a.parentId === b.parentId && a.uidValidity === b.uidValidity &&
    a.highestModseq === b.highestModseq && a.uidNext === b.uidNext && a.messages === b.messages &&
    a.lastModSeq === b.lastModSeq && a.digest === b.digest
}

/**
 * Diffs `old` (the vector at the start) against `now`. With `scanAll` (servers without MODSEQ)
 * every selectable folder is scanned, since flag changes leave no trace in STATUS.
 */
export function diffFolders (
  old: ReadonlyMap<string, TrackedFolder>,
  now: readonly FolderNode[],
  opts: { scanAll: boolean }
): FolderDiff {
  const out: FolderDiff = { created: [], moved: [], scan: [], removed: [], resetReasons: [], upserts: [] }
  const seen = new Set<string>()
  const paths = new Set<string>()
  for (const node of now) {
    seen.add(node.id)
    // A mailbox the LIST named without STATUS is mid-change (src/nms/folders/load.ts): its state
    // is unknown, so the tracked one stands until a listing can tell.
    if (node.selectable && node.status === undefined && old.has(node.id)) continue
    if (node.selectable && node.uidValidity !== '0') paths.add(node.imapPath)
    const was = old.get(node.id)
    if (was === undefined) {
      out.created.push(node)
      out.upserts.push(node)
      continue
    }
    const cur = trackedFolder(node, was.digest)
    if (was.uidValidity !== '0' && cur.uidValidity !== '0' && was.uidValidity !== cur.uidValidity) {
      out.resetReasons.push(`UIDVALIDITY of ${node.imapPath} changed`)
    }
    if (cur.lastModSeq !== was.lastModSeq) out.moved.push(node)
    const contentMoved = cur.highestModseq !== was.highestModseq || cur.uidNext !== was.uidNext ||
      cur.messages !== was.messages || cur.uidValidity !== was.uidValidity
    if (node.selectable && (contentMoved || opts.scanAll)) out.scan.push({ node, old: was })
    if (!sameState(cur, was)) out.upserts.push(node)
  }
  for (const [id, was] of old) {
    if (seen.has(id)) continue
    out.removed.push(was)
    if (paths.has(was.path)) out.resetReasons.push(`${was.path} was deleted and created again`)
  }
  return out
}
