/**
 * Loads the folders of a box: one IMAP LIST (with STATUS, RFC 5819, when items are asked for),
 * reconciled with the folder-id registry, which is updated on the way (new ids claimed, renames
 * recorded, deleted folders retired).
 *
 * Order matters for instances running side by side: the registry is read *before* the LIST, and
 * every gateway mutation changes IMAP before the registry. So a record read here was written
 * after the IMAP change it describes, and a stale LIST cannot undo a newer rename or delete: the
 * worst case is one extra lastModSeq bump, repaired by the next request.
 *
 * One race needs more: Dovecot assigns a maildir mailbox's UIDVALIDITY when it is first opened,
 * and two sessions opening it at once can each report a different value (one of which is
 * lost). Two instances meeting such a mailbox together would claim two ids for it. So after
 * claiming new folders the registry is read again, and a path that now has several records is
 * settled by asking STATUS for the UIDVALIDITY that stuck; the other records are retired.
 */
import { isGatewayError } from '../../errors/gateway-error.js'
import type { MailboxEntry, MailboxStatus, StatusItem } from '../../imap/types.js'
import type { FolderRecord } from '../../store/folder-registry-store.js'
import { claimFolder } from './claim-folder.js'
import type { FolderContext } from './context.js'
import { planReconcile, type SeenMailbox } from './reconcile.js'
import { FolderTree, makeNode, type FolderNode } from './tree.js'

interface Listed extends SeenMailbox {
  segments: string[]
  selectable: boolean
  virtual: boolean
  status: MailboxStatus | undefined
  specialUse?: string | undefined
}

/**
 * The LIST as folders: `\NonExistent` entries dropped, and a parent the server did not list
 * (some servers list `a/b` without `a`) added as a virtual `\Noselect` folder, so every folder
 * has a parent folder and a path that resolves.
 */
function toListed (entries: readonly MailboxEntry[], delimiter: string, records: readonly FolderRecord[]): Listed[] {
  const out = new Map<string, Listed>()
  for (const e of entries) {
    if (e.flags.some((f) => f.toLowerCase() === '\\nonexistent')) continue
    let uidValidity = e.selectable && e.status !== undefined ? e.status.uidValidity : '0'
    if (e.selectable && e.status === undefined) {
      // Even its own STATUS failed (settleStatusless): keep the folder it was, or wait for the
      // next listing to tell about a new one.
      const known = records.find((r) => r.path === e.path)
      if (known === undefined) continue
      uidValidity = known.uidValidity
    }
    const { path, selectable, status, specialUse } = e
    out.set(path, { path, segments: [...e.segments], uidValidity, selectable, virtual: false, status, specialUse })
  }
  for (const l of [...out.values()]) {
    for (let i = 1; i < l.segments.length; i++) {
      const segments = l.segments.slice(0, i)
      const path = segments.join(delimiter)
      if (out.has(path)) continue
      out.set(path, { path, segments, uidValidity: '0', selectable: false, virtual: true, status: undefined })
    }
  }
  return [...out.values()]
}

/** Settles paths that concurrent instances claimed under different UIDVALIDITYs (see above). */
async function settleDoubleClaims (
  ctx: FolderContext,
  fresh: readonly SeenMailbox[],
  byPath: Map<string, FolderRecord>
): Promise<void> {
  const boxId = ctx.box.boxId
  const registry = ctx.store.folders
  const all = await registry.list(boxId)
  for (const m of fresh) {
    const same = all.filter((r) => r.path === m.path)
    if (same.length < 2 || m.uidValidity === '0') continue
    const uidValidity = (await ctx.imap.status(ctx.box, m.path, [])).uidValidity
    const winner = same.find((r) => r.uidValidity === uidValidity) ?? await claimFolder(ctx, m.path, uidValidity)
    byPath.set(m.path, winner)
    await registry.remove(boxId, same.filter((r) => r.id !== winner.id).map((r) => r.id))
  }
}

/**
 * LIST-STATUS leaves out the STATUS of a mailbox it cannot STATUS (RFC 5819 section 2): Dovecot
 * lists a mailbox being renamed under its old name for a moment, and a deleted one, sometimes
 * for long, from a session's stale mailbox list index (the session pool retires old sessions
 * for that). For a mailbox another session is opening for the first time it answers
 * `UIDVALIDITY 0`, which is no UIDVALIDITY (RFC 3501 section 9, nz-number): claiming a folder id
 * on it would give the folder a second id as soon as the real value shows. Each such mailbox is
 * asked STATUS on its own; one that still cannot answer is left without a status, so toListed
 * keeps the folder it was (an id is never retired on a glimpse) or waits to claim a new one.
 */
async function settleStatusless (
  ctx: FolderContext, entries: readonly MailboxEntry[], status: readonly StatusItem[]
): Promise<MailboxEntry[]> {
  const out: MailboxEntry[] = []
  for (const e of entries) {
    const incomplete = e.status === undefined || e.status.uidValidity === '0'
    if (!e.selectable || !incomplete || e.flags.some((f) => f.toLowerCase() === '\\nonexistent')) {
      out.push(e)
      continue
    }
    try {
      const answer = await ctx.imap.status(ctx.box, e.path, status)
      out.push(answer.uidValidity === '0' ? { ...e, status: undefined } : { ...e, status: answer })
    } catch (err) {
      if (!isGatewayError(err) || (err.code !== 'GW_ERR_NOT_FOUND' && err.code !== 'GW_ERR_IMAP_FAILED')) throw err
      out.push({ ...e, status: undefined })
    }
  }
  return out
}

/** Loads and reconciles the box's folders; `status` items are fetched for every mailbox. */
export async function loadFolders (ctx: FolderContext, status: readonly StatusItem[] = []): Promise<FolderTree> {
  const boxId = ctx.box.boxId
  const registry = ctx.store.folders
  const records = await registry.list(boxId)
  const entries = await settleStatusless(ctx, await ctx.imap.listMailboxes(ctx.box, status), status)
  const delimiter = entries.find((e) => e.delimiter !== '')?.delimiter ?? await ctx.imap.delimiter(ctx.box)
  const listed = toListed(entries, delimiter, records)
  const plan = planReconcile(listed, records, delimiter)

  const byPath = new Map<string, FolderRecord>(plan.unchanged)
  await Promise.all(plan.renamed.map(async (r) => {
    const lastModSeq = r.bump ? await registry.nextSeq(boxId) : r.record.lastModSeq
    const rec: FolderRecord = { ...r.record, path: r.path, lastModSeq }
    await registry.update(boxId, rec)
    byPath.set(r.path, rec)
  }))
  await Promise.all(plan.fresh.map(async (m) => {
    byPath.set(m.path, await claimFolder(ctx, m.path, m.uidValidity))
  }))
  if (plan.removed.length > 0) await registry.remove(boxId, plan.removed.map((r) => r.id))
  if (plan.fresh.length > 0) await settleDoubleClaims(ctx, plan.fresh, byPath)

  const nodes: FolderNode[] = []
  for (const l of listed) {
    const rec = byPath.get(l.path)
    if (rec === undefined) continue
    const parent = l.segments.length > 1 ? byPath.get(l.segments.slice(0, -1).join(delimiter)) : undefined
    const info = { selectable: l.selectable, virtual: l.virtual, status: l.status, specialUse: l.specialUse }
    nodes.push(makeNode(rec, l.segments, parent?.id, info))
  }
  return new FolderTree(nodes, delimiter)
}
