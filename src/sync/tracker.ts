/**
 * The box change tracker (docs/decisions.md, "Box position and restart tokens"): joins IMAP's
 * per-mailbox MODSEQ into one box-wide position, and turns what moved between two positions into
 * a change plan.
 *
 * `sync` lists the folders (one LIST-STATUS with HIGHESTMODSEQ, UIDNEXT, MESSAGES), compares
 * them with the tracked state, scans only the folders that moved (RFC 7162 `UID FETCH 1:*
 * (FLAGS) (CHANGEDSINCE m VANISHED)`, or the flag snapshot without QRESYNC), and commits the new
 * state as one log entry at a fresh box seq, with tombstones for what vanished. The commit is a
 * compare-and-set on the head, so two syncs racing (two instances, or a lease that expired under
 * a slow owner) cannot both advance it: the loser starts again from the winner's state. What
 * the tracker commits is always taken from the LIST that preceded the scans, so a change that
 * lands between the two is seen again by the next sync, never skipped.
 *
 * `replay` computes the plan from an older position to the head: the folder vector at that
 * position (snapshot plus log) against the current folders, CHANGEDSINCE each folder's MODSEQ
 * at that position, and the tombstones recorded in between. Cost proportional to the changes,
 * not to the folder sizes (without QRESYNC: the messages of the folders that moved).
 *
 * The first sync of a box is its baseline: state only, no events.
 */
import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import type { TrackingMode } from '../imap/change-types.js'
import type { FolderContext } from '../nms/folders/context.js'
import { loadFolders } from '../nms/folders/load.js'
import type { FolderNode, FolderTree } from '../nms/folders/tree.js'
import { encodeObjectId } from '../nms/ids/object-id.js'
import type {
  CorrelationNote, DeletionNote, FlagSnapshot, TrackedFolder, TrackerHead, Tombstone
} from '../store/tracker-store.js'
import { backgroundContext, type BackgroundDeps } from './box-context.js'
import { emptyPlan, resetPlan, type ChangePlan, type FolderChange, type ObjectChanges } from './change-plan.js'
import { snapshotDigest } from './flag-snapshot.js'
import { allUids, changedSince, scanFolder, snapshotOf } from './folder-scan.js'
import { diffFolders, trackedFolder, type FolderDiff } from './folder-diff.js'
import { decodeToken, encodeToken, newEpoch } from '../nms/ids/restart-token.js'
import { parseUidSet } from '../imap/uid-set.js'

/** STATUS items every sync lists the folders with. */
const SYNC_STATUS = ['messages', 'uidNext', 'highestModseq'] as const
/** Retention trims run at most this often per box. */
const TRIM_INTERVAL_MS = 3600_000
/** Commit attempts before a sync gives up for now (another instance keeps winning). */
const COMMIT_ATTEMPTS = 3

/** What one sync found. */
export interface SyncOutcome {
  /** The state after the sync. */
  head: TrackerHead
  /** The folders as listed by the sync. */
  tree: FolderTree
  /** What changed from the previous head to `head.seq`; undefined for a baseline. */
  live: ChangePlan | undefined
  mode: TrackingMode
}

/** Where a restart token points. */
export type TokenTarget = { kind: 'position', seq: number } | { kind: 'reset' }

/** What the scans of one sync found, before it is committed. */
interface Findings {
  /** Created or changed messages, folder by folder. */
  objects: ObjectChanges[]
  tombstones: Tombstone[]
  /** Fresh flag snapshots (snapshot mode), by folderId. */
  snapshots: Map<string, FlagSnapshot>
  /** Folders that could not be scanned (gone meanwhile): their tracked state stays. */
  keepOld: Set<string>
  /** Why the interval needs a resetBox; empty when it does not. */
  resetReasons: string[]
}

export class BoxTracker {
  constructor (private readonly deps: BackgroundDeps & { logger: Logger }) {}

  /** The background FolderContext of a box. */
  context (boxId: string): FolderContext {
    return backgroundContext(this.deps, boxId)
  }

  /** The restartToken of a position. */
  async token (boxId: string, head: Pick<TrackerHead, 'epoch'>, seq: number): Promise<string> {
    const secret = await this.deps.store.sharedSecret()
    return encodeToken(secret, 'rt', boxId, { epoch: head.epoch, seq })
  }

  /**
   * Where a client's restartToken points: a position still replayable, or a reset (unknown,
   * forged, another epoch, older than the retention window, or from the future: all of these are
   * answered with a resetBox first, docs/decisions.md, "Restart tokens that cannot be replayed").
   */
  async resolveToken (boxId: string, head: TrackerHead, token: string): Promise<TokenTarget> {
    const secret = await this.deps.store.sharedSecret()
    const p = decodeToken(secret, 'rt', boxId, token)
    if (p === undefined || p.epoch !== head.epoch || p.seq > head.seq || p.seq < head.floor) return { kind: 'reset' }
    if (p.seq < head.seq) {
      // A position stops being current when the next entry is committed; the retention window
      // counts from then (tokens are handed out until that moment).
      const next = await this.deps.store.tracker.entryAfter(boxId, p.seq)
      const retentionMs = this.deps.config.tokens.retentionSeconds * 1000
      if (next === undefined || next.at < Date.now() - retentionMs) return { kind: 'reset' }
    }
    return { kind: 'position', seq: p.seq }
  }

  /** Brings the tracked state up to the server's; returns the plan of what changed. */
  async sync (boxId: string): Promise<SyncOutcome> {
    const ctx = this.context(boxId)
    const mode = await this.deps.imap.trackingMode(ctx.box)
    for (let attempt = 1; ; attempt++) {
      const head = await this.deps.store.tracker.head(boxId)
      const tree = await loadFolders(ctx, SYNC_STATUS)
      const outcome = head === undefined
        ? await this.baseline(ctx, tree, mode)
        : await this.advance(ctx, head, tree, mode)
      if (outcome !== undefined) {
        await this.maybeTrim(boxId, outcome.head)
        return outcome
      }
      // Another sync committed first; start over from its state.
      if (attempt >= COMMIT_ATTEMPTS) {
        const now = await this.deps.store.tracker.head(boxId)
        if (now === undefined) throw new Error(`tracker head of ${boxId} vanished`)
        return { head: now, tree, live: emptyPlan(now.seq, now.seq), mode }
      }
    }
  }

  /**
   * The plan from `from` to the head of `outcome` (which must be fresh from {@link sync}). A
   * position that cannot be resolved, or an interval with a reset in it, is a reset plan.
   */
  async replay (boxId: string, from: number, outcome: SyncOutcome): Promise<ChangePlan> {
    const { head, tree, mode } = outcome
    const to = head.seq
    if (from === to) return emptyPlan(from, to)
    if (from > to || from < head.floor) return resetPlan(from, to)
    const store = this.deps.store.tracker
    const vector = await store.vectorAt(boxId, from)
    if (vector === undefined) return resetPlan(from, to)
    const entries = await store.entries(boxId, from, to)
    if (entries.some((e) => e.reset)) return resetPlan(from, to)
    const ctx = this.context(boxId)
    const diff = diffFolders(vector, tree.all(), { scanAll: false })
    if (diff.resetReasons.length > 0) return resetPlan(from, to)
    const current = new Map(head.folders.map((f) => [f.id, f]))
    const plan = emptyPlan(from, to)
    plan.folders.push(...folderChanges(diff))
    for (const node of diff.created) {
      const all = await allUids(ctx, node)
      if (all.length > 0) plan.objects.push({ node, uids: all, createdFromUid: 0 })
    }
    for (const node of tree.all()) {
      const old = vector.get(node.id)
      const now = current.get(node.id)
      if (old === undefined || now === undefined || !node.selectable) continue
      const moved = old.highestModseq !== now.highestModseq || old.uidNext !== now.uidNext ||
        old.messages !== now.messages || old.digest !== now.digest || old.uidValidity !== now.uidValidity
      if (!moved) continue
      const uids = await changedSince(ctx, node, old, mode)
      if (uids.length > 0) plan.objects.push({ node, uids, createdFromUid: old.uidValidity === '0' ? 0 : old.uidNext })
    }
    plan.deletions = (await store.tombstones(boxId, from, to)).map(({ seq: _s, at: _a, ...t }) => t)
    plan.folderDeletions = diff.removed.map((f) => ({ id: f.id, lastModSeq: to }))
    return plan
  }

  private async baseline (ctx: FolderContext, tree: FolderTree, mode: TrackingMode): Promise<SyncOutcome | undefined> {
    const boxId = ctx.box.boxId
    const snapshots = new Map<string, FlagSnapshot>()
    const upserts: TrackedFolder[] = []
    for (const node of tree.all()) {
      let digest: string | undefined
      if (mode === 'snapshot' && node.selectable) {
        const snap = await snapshotOf(ctx, node)
        if (snap !== undefined) {
          snapshots.set(node.id, snap)
          digest = snapshotDigest(snap)
        }
      }
      upserts.push(trackedFolder(node, digest))
    }
    const seq = await this.deps.store.tracker.commit(boxId, {
      expectedSeq: 0,
      epoch: newEpoch(randomBytes),
      at: Date.now(),
      upserts,
      removed: [],
      snapshots,
      tombstones: [],
      reset: false,
      fullSnapshot: true
    })
    if (seq === undefined) return undefined
    const head = await this.deps.store.tracker.head(boxId)
    if (head === undefined) return undefined
    this.deps.logger.debug({ boxId, seq, folders: upserts.length }, 'box tracking baseline')
    return { head, tree, live: undefined, mode }
  }

  private async advance (
    ctx: FolderContext, head: TrackerHead, tree: FolderTree, mode: TrackingMode
  ): Promise<SyncOutcome | undefined> {
    const boxId = ctx.box.boxId
    const old = new Map(head.folders.map((f) => [f.id, f]))
    const diff = syncDiff(old, tree, mode)
    const found: Findings = {
      objects: [], tombstones: [], snapshots: new Map(), keepOld: new Set(), resetReasons: [...diff.resetReasons]
    }
    await this.scanMoved(ctx, diff.scan, mode, found)
    await this.scanCreated(ctx, diff.created, mode, found)
    const notes = await this.accountRemoved(boxId, diff.removed, found)
    const noted = await this.addCorrelations(boxId, found.tombstones)

    // Without MODSEQ (RFC 7162 absent) a flag change moves no STATUS item: a scanned folder whose
    // flag snapshot changed is upserted too, so the new snapshot is committed and reported once.
    const listed = new Set(diff.upserts.map((n) => n.id))
    const redigested = diff.scan
      .map((s) => s.node)
      .filter((n) => !listed.has(n.id) && digestOf(found.snapshots.get(n.id)) !== old.get(n.id)?.digest)
    const upserts = [...diff.upserts, ...redigested]
      .filter((n) => !found.keepOld.has(n.id))
      .map((n) => trackedFolder(n, digestOf(found.snapshots.get(n.id)) ?? old.get(n.id)?.digest))
    const removedIds = diff.removed.map((f) => f.id)
    const reset = found.resetReasons.length > 0
    if (upserts.length === 0 && removedIds.length === 0 && found.tombstones.length === 0 && !reset) {
      return { head, tree, live: { ...emptyPlan(head.seq, head.seq), objects: found.objects }, mode }
    }
    const store = this.deps.store.tracker
    const seq = await store.commit(boxId, {
      expectedSeq: head.seq,
      epoch: head.epoch,
      at: Date.now(),
      upserts,
      removed: removedIds,
      snapshots: found.snapshots,
      tombstones: found.tombstones,
      reset,
      fullSnapshot: head.sinceSnapshot + 1 >= this.deps.config.tracking.snapshotEvery
    })
    if (seq === undefined) return undefined
    if (notes.size > 0) await store.dropDeletionNotes(boxId, [...notes.keys()])
    if (noted.size > 0) await store.dropCorrelations(boxId, [...noted.keys()])
    if (reset) this.deps.logger.info({ boxId, seq, reasons: found.resetReasons }, 'box reset')
    const after = await store.head(boxId)
    if (after === undefined) return undefined
    const live = reset ? resetPlan(head.seq, seq) : committedPlan(head.seq, seq, diff, found)
    return { head: after, tree, live, mode }
  }

  /** Scans the folders whose state moved; a folder gone meanwhile keeps its old state. */
  private async scanMoved (
    ctx: FolderContext, scan: FolderDiff['scan'], mode: TrackingMode, found: Findings
  ): Promise<void> {
    const previous = mode === 'snapshot'
      ? await this.deps.store.tracker.flagSnapshots(ctx.box.boxId, scan.map((s) => s.node.id))
      : new Map<string, FlagSnapshot>()
    for (const { node, old: was } of scan) {
      const r = await scanFolder(ctx, node, was, mode, previous.get(node.id))
      if (!r.ok) {
        found.keepOld.add(node.id)
        continue
      }
      if (r.changes !== undefined && r.changes.uids.length > 0) found.objects.push(r.changes)
      found.tombstones.push(...r.tombstones)
      if (r.snapshot !== undefined) found.snapshots.set(node.id, r.snapshot)
    }
  }

  /** Every message of a new folder is a new object; in snapshot mode its first snapshot names them. */
  private async scanCreated (
    ctx: FolderContext, created: readonly FolderNode[], mode: TrackingMode, found: Findings
  ): Promise<void> {
    for (const node of created) {
      if (!node.selectable) continue
      if (mode === 'snapshot') {
        const snap = await snapshotOf(ctx, node)
        if (snap === undefined) {
          found.keepOld.add(node.id)
          continue
        }
        found.snapshots.set(node.id, snap)
        const uids = parseUidSet(snap.uids)
        if (uids.length > 0) found.objects.push({ node, uids, createdFromUid: 0 })
      } else {
        const uids = await allUids(ctx, node)
        if (uids.length > 0) found.objects.push({ node, uids, createdFromUid: 0 })
      }
    }
  }

  /**
   * Folders that went away: tombstones for the messages of those the gateway deleted itself (its
   * deletion notes), a reset for one deleted behind it with messages in it. Returns the notes used.
   */
  private async accountRemoved (
    boxId: string, removed: readonly TrackedFolder[], found: Findings
  ): Promise<Map<string, DeletionNote>> {
    const notes = await this.deps.store.tracker.deletionNotes(boxId, removed.map((f) => f.id))
    for (const f of removed) {
      const note = notes.get(f.id)
      // A note older than the retention window belongs to a delete that failed: not this one.
      const fresh = note !== undefined && Date.now() - note.at < this.deps.config.tokens.retentionSeconds * 1000
      if (note !== undefined && fresh && note.uidValidity === f.uidValidity) {
        const lastModSeq = bumped(note.highestModseq)
        for (const uid of parseUidSet(note.uids)) {
          const objectId = encodeObjectId({ folderId: f.id, uidValidity: f.uidValidity, uid })
          found.tombstones.push({ objectId, folderId: f.id, ...(lastModSeq === undefined ? {} : { lastModSeq }) })
        }
      } else if (f.messages > 0 && f.uidValidity !== '0') {
        // Deleted behind the gateway with messages in it: their UIDs are unknown, so precise
        // deletions cannot be sent; the client must re-read the box.
        found.resetReasons.push(`${f.path} was deleted with ${f.messages} messages by another client`)
      }
    }
    return notes
  }

  /**
   * What the gateway knew of objects it deleted or moved itself (src/nms/objects/correlation-notes.ts),
   * copied into their tombstones. Returns the notes used.
   */
  private async addCorrelations (boxId: string, tombstones: Tombstone[]): Promise<Map<string, CorrelationNote>> {
    const noted = await this.deps.store.tracker.correlations(boxId, tombstones.map((t) => t.objectId))
    for (const t of tombstones) {
      const n = noted.get(t.objectId)
      if (n?.correlationId !== undefined) t.correlationId = n.correlationId
      if (n?.correlationTag !== undefined) t.correlationTag = n.correlationTag
    }
    return noted
  }

  private async maybeTrim (boxId: string, head: TrackerHead): Promise<void> {
    const now = Date.now()
    const retentionMs = this.deps.config.tokens.retentionSeconds * 1000
    if (now - head.trimmedAt < Math.min(TRIM_INTERVAL_MS, retentionMs)) return
    await this.deps.store.tracker.trim(boxId, now - retentionMs, now)
    await this.deps.store.tracker.dropDeletionNotesBefore(boxId, now - retentionMs)
  }
}

/**
 * The folder diff of a sync. Without MODSEQ a flag change leaves no trace in STATUS: in snapshot
 * mode such folders are scanned every time.
 */
function syncDiff (old: ReadonlyMap<string, TrackedFolder>, tree: FolderTree, mode: TrackingMode): FolderDiff {
  const diff = diffFolders(old, tree.all(), { scanAll: false })
  for (const node of tree.all()) {
    const was = old.get(node.id)
    if (mode === 'snapshot' && node.selectable && was !== undefined && was.highestModseq === '0' &&
      !diff.scan.some((s) => s.node.id === node.id)) diff.scan.push({ node, old: was })
  }
  return diff
}

/** The live plan of a committed sync, from `from` to the new position `to`. */
function committedPlan (from: number, to: number, diff: FolderDiff, found: Findings): ChangePlan {
  return {
    ...emptyPlan(from, to),
    objects: found.objects,
    folders: folderChanges(diff),
    deletions: found.tombstones,
    folderDeletions: diff.removed.map((f) => ({ id: f.id, lastModSeq: to }))
  }
}

/** The digest of a fresh flag snapshot; undefined for none. */
function digestOf (snapshot: FlagSnapshot | undefined): string | undefined {
  return snapshot === undefined ? undefined : snapshotDigest(snapshot)
}

/** The folder events of a diff: created folders, then renamed or moved ones. */
function folderChanges (diff: FolderDiff): FolderChange[] {
  return [
    ...diff.created.map((node) => ({ node, created: true })),
    ...diff.moved.map((node) => ({ node, created: false }))
  ]
}

/** A MODSEQ one above `modseq` (a deletion is newer than every change before it); undefined for none. */
function bumped (modseq: string): string | undefined {
  if (!/^[0-9]{1,20}$/.test(modseq) || modseq === '0') return undefined
  return (BigInt(modseq) + 1n).toString()
}
