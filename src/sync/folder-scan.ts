/**
 * Reading from IMAP what changed in one folder (the tracker's scans, src/sync/tracker.ts): since
 * its tracked state with RFC 7162 `CHANGEDSINCE ... VANISHED`, or by comparing flag snapshots
 * where the server has no QRESYNC (src/sync/flag-snapshot.ts). A folder that went away between
 * the LIST and the scan (GW_ERR_NOT_FOUND) is not an error: the next sync sees it gone.
 */
import { isGatewayError } from '../errors/gateway-error.js'
import type { TrackingMode } from '../imap/change-types.js'
import type { FolderContext } from '../nms/folders/context.js'
import type { FolderNode } from '../nms/folders/tree.js'
import { encodeObjectId } from '../nms/ids/object-id.js'
import type { FlagSnapshot, TrackedFolder, Tombstone } from '../store/tracker-store.js'
import type { ObjectChanges } from './change-plan.js'
import { diffSnapshots, toSnapshot } from './flag-snapshot.js'

/** What the scan of one folder found. */
export interface ScanResult {
  changes: ObjectChanges | undefined
  tombstones: Tombstone[]
  snapshot?: FlagSnapshot
  /** False when the folder could not be scanned (gone meanwhile): its old state is kept. */
  ok: boolean
}

/** What changed in one folder since its tracked state; not ok when the folder went away meanwhile. */
export async function scanFolder (
  ctx: FolderContext, node: FolderNode, was: TrackedFolder, mode: TrackingMode, previous: FlagSnapshot | undefined
): Promise<ScanResult> {
  try {
    const deletionModseq = node.status?.highestModseq
    const tomb = (uid: number): Tombstone => ({
      objectId: encodeObjectId({ folderId: node.id, uidValidity: node.uidValidity, uid }),
      folderId: node.id,
      ...(deletionModseq === undefined || deletionModseq === '0' ? {} : { lastModSeq: deletionModseq })
    })
    const fresh = was.uidValidity === '0' || was.uidValidity !== node.uidValidity
    if (mode === 'snapshot') {
      const snap = await snapshotOf(ctx, node)
      if (snap === undefined) return { changes: undefined, tombstones: [], ok: false }
      const d = diffSnapshots(fresh ? undefined : previous, snap)
      return {
        changes: { node, uids: d.changed, createdFromUid: fresh ? 0 : was.uidNext },
        tombstones: fresh ? [] : d.vanished.map(tomb),
        snapshot: snap,
        ok: true
      }
    }
    if (fresh || was.highestModseq === '0') {
      return { changes: { node, uids: await allUids(ctx, node), createdFromUid: 0 }, tombstones: [], ok: true }
    }
    const since = { uidValidity: node.uidValidity, sinceModseq: was.highestModseq }
    const scan = await ctx.imap.scanChanges(ctx.box, node.imapPath, since)
    // UIDs at or above the old UIDNEXT never existed in the tracked state: nothing to delete.
    const vanished = scan.vanished.filter((u) => u < was.uidNext)
    const changes = { node, uids: scan.changed.map((c) => c.uid), createdFromUid: was.uidNext }
    return { changes, tombstones: vanished.map(tomb), ok: true }
  } catch (err) {
    if (isGatewayError(err) && err.code === 'GW_ERR_NOT_FOUND') return { changes: undefined, tombstones: [], ok: false }
    throw err
  }
}

/** UIDs changed in a folder since an older state (replay). */
export async function changedSince (
  ctx: FolderContext, node: FolderNode, old: TrackedFolder, mode: TrackingMode
): Promise<number[]> {
  try {
    if (mode === 'snapshot' || old.uidValidity === '0' || old.highestModseq === '0' || old.uidValidity !== node.uidValidity) {
      // Without MODSEQ there is no telling which messages moved: every message is reported
      // (duplicates are allowed, OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C section 5.1.4.1).
      return await allUids(ctx, node)
    }
    const since = { uidValidity: node.uidValidity, sinceModseq: old.highestModseq }
    const scan = await ctx.imap.scanChanges(ctx.box, node.imapPath, since)
    return scan.changed.map((c) => c.uid)
  } catch (err) {
    if (isGatewayError(err) && err.code === 'GW_ERR_NOT_FOUND') return []
    throw err
  }
}

/** Every UID of a folder; none for a folder without messages or gone meanwhile. */
export async function allUids (ctx: FolderContext, node: FolderNode): Promise<number[]> {
  if (!node.selectable || node.virtual) return []
  try {
    const res = await ctx.imap.searchUids(ctx.box, node.imapPath, { kind: 'all' }, { uidValidity: node.uidValidity, order: 'uid' })
    return res.uids
  } catch (err) {
    if (isGatewayError(err) && err.code === 'GW_ERR_NOT_FOUND') return []
    throw err
  }
}

/** The flag snapshot of a folder now; undefined when it went away meanwhile. */
export async function snapshotOf (ctx: FolderContext, node: FolderNode): Promise<FlagSnapshot | undefined> {
  try {
    const scan = await ctx.imap.scanFlags(ctx.box, node.imapPath, { uidValidity: node.uidValidity })
    return toSnapshot(scan.messages)
  } catch (err) {
    if (isGatewayError(err) && err.code === 'GW_ERR_NOT_FOUND') return undefined
    throw err
  }
}
