/**
 * Matches a fresh IMAP LIST against the box's folder-id registry (architecture.md section 3).
 * Pure: the caller applies the plan to the store.
 *
 * Matching, in order:
 *
 * 1. same (path, UIDVALIDITY): the same folder, unchanged;
 * 2. same UIDVALIDITY at another path, one candidate on each side: the folder was renamed by
 *    another IMAP client (RFC 3501 section 6.3.5 keeps UIDVALIDITY across RENAME, and also
 *    renames the inferior mailboxes, which match here too);
 * 3. `\Noselect` folders (no UIDVALIDITY) follow the renames found in 2: if `a/x` became `b/x`,
 *    then `a` became `b`, and anything under `a` is now under `b`;
 * 4. what is left of the LIST is new (a new id is claimed), what is left of the registry was
 *    deleted (its id is retired, never reused). A mailbox deleted and created again under the
 *    same name has a new UIDVALIDITY and so gets a new id.
 *
 * A renamed folder's `lastModSeq` bumps only when its own name or its parent changed; the
 * children of a renamed folder keep theirs (nms-spec-digest.md R12).
 */
import type { FolderRecord } from '../../store/folder-registry-store.js'

/** One mailbox of the LIST, as the reconciler needs it. */
export interface SeenMailbox {
  /** IMAP path with the server delimiter. */
  path: string
  /** UIDVALIDITY as a decimal string; `0` for `\Noselect` and synthesized parents. */
  uidValidity: string
}

/** A record whose folder moved to another path. */
export interface RenamedRecord {
  record: FolderRecord
  /** The IMAP path the record now has. */
  path: string
  /** True when the folder's own name or parent changed (its lastModSeq bumps). */
  bump: boolean
}

/** What the registry must do to match the LIST. */
export interface ReconcilePlan {
  /** Records whose (path, uidValidity) match the LIST, by path. */
  unchanged: Map<string, FolderRecord>
  renamed: RenamedRecord[]
  /** Mailboxes without a record: ids to claim. */
  fresh: SeenMailbox[]
  /** Records of folders that no longer exist. */
  removed: FolderRecord[]
}

function parentOf (path: string, delimiter: string): string | undefined {
  const i = path.lastIndexOf(delimiter)
  return i < 0 ? undefined : path.slice(0, i)
}

function lastSegment (path: string, delimiter: string): string {
  const i = path.lastIndexOf(delimiter)
  return i < 0 ? path : path.slice(i + delimiter.length)
}

function groupBy<T> (items: Iterable<T>, key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = out.get(k)
    if (list === undefined) out.set(k, [item])
    else list.push(item)
  }
  return out
}

/**
 * Path renames implied by the renames of selectable folders: each pair, plus the pairs of the
 * ancestors they share a suffix with (`a/x/c -> b/x/c` implies `a/x -> b/x` and `a -> b`).
 */
function impliedRenames (pairs: ReadonlyArray<[string, string]>, delimiter: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const [from, to] of pairs) {
    const a = from.split(delimiter)
    const b = to.split(delimiter)
    if (!out.has(from)) out.set(from, to)
    while (a.length > 1 && b.length > 1 && a[a.length - 1] === b[b.length - 1]) {
      a.pop()
      b.pop()
      const pa = a.join(delimiter)
      if (!out.has(pa)) out.set(pa, b.join(delimiter))
    }
  }
  return out
}

/** Where `path` went under the renames: exact pair, or the longest renamed ancestor. */
function mapPath (path: string, renames: Map<string, string>, delimiter: string): string | undefined {
  const exact = renames.get(path)
  if (exact !== undefined) return exact
  let best: [string, string] | undefined
  for (const [from, to] of renames) {
    if (path.startsWith(from + delimiter) && (best === undefined || from.length > best[0].length)) best = [from, to]
  }
  return best === undefined ? undefined : best[1] + path.slice(best[0].length)
}

/** Plans how the registry must change to match `mailboxes`. */
export function planReconcile (
  mailboxes: readonly SeenMailbox[],
  records: readonly FolderRecord[],
  delimiter: string
): ReconcilePlan {
  const openRecords = new Set(records)
  const openMailboxes = new Map(mailboxes.map((m) => [m.path, m]))
  const unchanged = new Map<string, FolderRecord>()
  const moves: Array<{ record: FolderRecord, path: string }> = []

  const exact = new Map(records.map((r) => [`${r.path}\u0000${r.uidValidity}`, r]))
  for (const m of mailboxes) {
    const r = exact.get(`${m.path}\u0000${m.uidValidity}`)
    if (r === undefined || !openRecords.has(r)) continue
    unchanged.set(m.path, r)
    openRecords.delete(r)
    openMailboxes.delete(m.path)
  }

  const recordsByUv = groupBy([...openRecords].filter((r) => r.uidValidity !== '0'), (r) => r.uidValidity)
  const mailboxesByUv = groupBy([...openMailboxes.values()].filter((m) => m.uidValidity !== '0'), (m) => m.uidValidity)
  for (const [uv, ms] of mailboxesByUv) {
    const rs = recordsByUv.get(uv)
    // Only an unambiguous pair is a rename; anything else is a delete plus a create.
    if (ms.length !== 1 || rs?.length !== 1) continue
    const m = ms[0] as SeenMailbox
    const r = rs[0] as FolderRecord
    moves.push({ record: r, path: m.path })
    openRecords.delete(r)
    openMailboxes.delete(m.path)
  }

  const renames = impliedRenames(moves.map((mv) => [mv.record.path, mv.path]), delimiter)
  for (const r of [...openRecords].filter((rec) => rec.uidValidity === '0')) {
    const to = mapPath(r.path, renames, delimiter)
    const m = to === undefined ? undefined : openMailboxes.get(to)
    if (m === undefined || m.uidValidity !== '0') continue
    moves.push({ record: r, path: m.path })
    openRecords.delete(r)
    openMailboxes.delete(m.path)
  }

  // Parent identity before and after, to decide which renamed folders really changed.
  const oldIdByPath = new Map(records.map((r) => [r.path, r.id]))
  const newIdByPath = new Map<string, string>([...unchanged].map(([p, r]) => [p, r.id]))
  for (const mv of moves) newIdByPath.set(mv.path, mv.record.id)
  const renamed = moves.map((mv): RenamedRecord => {
    const oldParent = parentOf(mv.record.path, delimiter)
    const newParent = parentOf(mv.path, delimiter)
    const oldParentId = oldParent === undefined ? undefined : oldIdByPath.get(oldParent) ?? `path:${oldParent}`
    const newParentId = newParent === undefined ? undefined : newIdByPath.get(newParent) ?? `new:${newParent}`
    const nameChanged = lastSegment(mv.record.path, delimiter) !== lastSegment(mv.path, delimiter)
    const bump = nameChanged || oldParentId !== newParentId
    return { ...mv, bump }
  })

  return { unchanged, renamed, fresh: [...openMailboxes.values()], removed: [...openRecords] }
}
