/**
 * A BoxTracker over the fake ImapPort (test/helpers/fake-imap-port.ts) and the in-process store:
 * what the tracker unit tests share, plus compact views of plans for assertions.
 */
import { pino } from 'pino'
import type { LoadOptions } from '../../../src/config/load.js'
import type { Config } from '../../../src/config/schema.js'
import type { FolderContext } from '../../../src/nms/folders/context.js'
import type { FolderTree } from '../../../src/nms/folders/tree.js'
import { decodeObjectId } from '../../../src/nms/ids/object-id.js'
import { MemoryStore } from '../../../src/store/memory-store.js'
import type { ChangePlan } from '../../../src/sync/change-plan.js'
import { BoxTracker } from '../../../src/sync/tracker.js'
import { type FakeBox, FakeImapPort, type FakeImapOptions } from '../../helpers/fake-imap-port.js'
import { unitConfig } from '../../helpers/unit-config.js'

export const BOX_ID = 'tel:+15551230001'

export interface TrackerFixture {
  imap: FakeImapPort
  /** The scripted mailboxes of {@link BOX_ID}. */
  box: FakeBox
  store: MemoryStore
  tracker: BoxTracker
  config: Readonly<Config>
  ctx: FolderContext
}

export function trackerFixture (
  opts: { imap?: FakeImapOptions, config?: LoadOptions['overrides'] } = {}
): TrackerFixture {
  const config = unitConfig(opts.config ?? {}, { NMS_PUBLIC_URL: 'https://nms.example.net' })
  const imap = new FakeImapPort(opts.imap)
  const store = new MemoryStore()
  const tracker = new BoxTracker({ config, imap, store, logger: pino({ level: 'silent' }) })
  return { imap, box: imap.box(BOX_ID), store, tracker, config, ctx: tracker.context(BOX_ID) }
}

/** A plan with folder paths and UIDs instead of nodes and objectIds: what a test compares. */
export interface PlanView {
  reset: boolean
  /** `+path` for a created folder, `~path` for a renamed or moved one. */
  folders: string[]
  /** Per folder: `path: uid,uid (created from N)`. */
  objects: string[]
  /** `path#uid` of each deleted object, by the folder path in `paths`. */
  deletions: string[]
  /** Ids of the deleted folders. */
  folderDeletions: string[]
}

/**
 * The view of `plan`. Deletions are named by the folder paths of `tree` (the sync's), or of
 * `paths` for folders no longer in it.
 */
export function view (
  plan: ChangePlan | undefined, tree?: FolderTree, paths: ReadonlyMap<string, string> = new Map()
): PlanView | undefined {
  if (plan === undefined) return undefined
  const pathOf = (folderId: string): string => paths.get(folderId) ?? tree?.byId(folderId)?.imapPath ?? folderId
  return {
    reset: plan.reset,
    folders: plan.folders.map((f) => `${f.created ? '+' : '~'}${f.node.imapPath}`),
    objects: plan.objects.map((o) => `${o.node.imapPath}: ${o.uids.join(',')} (created from ${o.createdFromUid})`),
    deletions: plan.deletions.map((t) => `${pathOf(t.folderId)}#${decodeObjectId(t.objectId)?.uid ?? '?'}`),
    folderDeletions: plan.folderDeletions.map((d) => d.id)
  }
}

/** An empty view, to spread changes into. */
export const NOTHING: PlanView = { reset: false, folders: [], objects: [], deletions: [], folderDeletions: [] }

/** folderId -> IMAP path of the folders the tracker knows now (to name deletions after a delete). */
export async function trackedPaths (fx: TrackerFixture): Promise<Map<string, string>> {
  const head = await fx.store.tracker.head(BOX_ID)
  return new Map((head?.folders ?? []).map((f) => [f.id, f.path]))
}
