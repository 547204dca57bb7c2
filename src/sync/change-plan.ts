/**
 * A change plan: what happened in a box between two positions, before it is described as NMS
 * events (OMA NMS TS sections 5.1.4.2, 5.3.2.23 and 5.3.2.25 to 5.3.2.29, OMA NMS TS being
 * OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C). The live sync and the replay from a restart token both
 * produce one; src/sync/plan-events.ts turns it into events, describing the changed messages from
 * IMAP as they are now (each event carries the resulting state, OMA NMS TS section 5.1.4.1, so
 * describing later than the change is what the spec asks for).
 */
import type { FolderNode } from '../nms/folders/tree.js'
import type { Tombstone } from '../store/tracker-store.js'

/** A folder created, renamed or moved (`changedFolder`). */
export interface FolderChange {
  node: FolderNode
  created: boolean
}

/** Messages of one folder that were created or had their flags changed (`changedObject`). */
export interface ObjectChanges {
  node: FolderNode
  /** Ascending UIDs. */
  uids: number[]
  /** UIDs at or above this were created in the interval (the folder's UIDNEXT at its start). */
  createdFromUid: number
}

/** A folder that went away (`deletedFolder`). */
export interface FolderDeletion {
  id: string
  lastModSeq: number
}

export interface ChangePlan {
  /** The position the plan starts after. */
  from: number
  /** The position it brings a subscription to. */
  to: number
  /** The box was reset in the interval: one `resetBox`, nothing else (OMA NMS TS section 5.1.4.2.1). */
  reset: boolean
  folders: FolderChange[]
  objects: ObjectChanges[]
  deletions: Tombstone[]
  folderDeletions: FolderDeletion[]
}

/** A plan with nothing in it, from `from` to `to`. */
export function emptyPlan (from: number, to: number): ChangePlan {
  return { from, to, reset: false, folders: [], objects: [], deletions: [], folderDeletions: [] }
}

/** A plan that is one `resetBox`. */
export function resetPlan (from: number, to: number): ChangePlan {
  return { ...emptyPlan(from, to), reset: true }
}

/** True when the plan has no event in it. */
export function isEmptyPlan (p: ChangePlan): boolean {
  return !p.reset && p.folders.length === 0 && p.objects.every((o) => o.uids.length === 0) &&
    p.deletions.length === 0 && p.folderDeletions.length === 0
}
