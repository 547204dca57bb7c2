/**
 * Simplified synchronisation without a subscription (nms-spec-digest.md 3.8, 4.2): the
 * `CreatedObjects` and `VanishedObjects` searches. Both sync the box first, so they answer for
 * the IMAP state at the request.
 *
 * - `CreatedObjects` with `""` returns every object; with a `creationCursor` from an earlier
 *   answer, the objects created after it that still exist. The cursor is a box position (the
 *   restart-token codec with its own purpose, src/nms/ids/restart-token.ts): the folder vector at
 *   that position says, per folder, the UIDNEXT then, and every UID at or above it is newer
 *   (RFC 3501 section 2.3.1.1); a folder created since, or recreated with a new UIDVALIDITY,
 *   is new as a whole. A moved object has a new id and counts as created. Every batch of one
 *   paging carries the creationCursor of the first batch, so objects created while the client
 *   pages are returned by its next CreatedObjects search, never lost between the two. A cursor
 *   that no longer resolves (another box epoch, older than the retention window) answers every
 *   object: a superset is safe, an omission is not. A forged one is 400 SVC0002.
 * - `VanishedObjects` returns references to the objects deleted within the retention window,
 *   newest first (tombstones, src/store/tracker-store.ts), at most maxEntries.
 *
 * Neither can be combined with other criteria or negated (digest 4.2): 400 SVC0002.
 */
import { invalidInput } from '../../errors/gateway-error.js'
import type { TrackerHead, TrackedFolder } from '../../store/tracker-store.js'
import { decodeToken, encodeToken } from '../ids/restart-token.js'
import type { FolderContext } from '../folders/context.js'
import { objectUrl } from '../folders/context.js'
import type { FolderNode } from '../folders/tree.js'
import type { VanishedObjectList } from '../wire/object.js'
import { pick, type SearchCriteriaInput } from './criteria-common.js'
import { SEARCH_TYPES } from './object-criteria.js'
import { searchObjects, type ObjectList, type ObjectSearchInput } from './object-search.js'

/** What the simplified-sync searches need of change tracking. */
export interface SyncAccess {
  /** Syncs the box; resolves with the head after it. */
  sync(boxId: string): Promise<TrackerHead>
  /** The folder vector at a position, when it can be resolved. */
  vectorAt(boxId: string, seq: number): Promise<Map<string, TrackedFolder> | undefined>
}

export type SimplifiedKind = 'CreatedObjects' | 'VanishedObjects'

/** The simplified-sync type of the criteria, when they are one; throws when it is combined. */
export function simplifiedKind (criteria: SearchCriteriaInput | undefined): SimplifiedKind | undefined {
  if (criteria === undefined) return undefined
  const types = criteria.criterion.map((c) => pick(c.type, SEARCH_TYPES))
  const kind = types.find((t): t is SimplifiedKind => t === 'CreatedObjects' || t === 'VanishedObjects')
  if (kind === undefined) return undefined
  const op = criteria.operator === undefined ? 'And' : pick(criteria.operator, ['And', 'Or', 'Not'])
  if (criteria.criterion.length !== 1 || op === 'Not') throw invalidInput('searchCriteria.criterion', `${kind} cannot be combined or negated`)
  return kind
}

/** `CreatedObjects`: one batch of the objects created after the criterion's creationCursor. */
export async function createdObjects (
  ctx: FolderContext, sync: SyncAccess, input: ObjectSearchInput
): Promise<ObjectList & { creationCursor: string }> {
  const boxId = ctx.box.boxId
  const secret = await ctx.store.sharedSecret()
  const value = (input.searchCriteria?.criterion[0]?.value ?? '').trim()
  const since = value === '' ? undefined : decodeToken(secret, 'cc', boxId, value)
  if (value !== '' && since === undefined) throw invalidInput('searchCriteria.criterion.value', 'not a creationCursor of this box')
  const head = await sync.sync(boxId)
  // The vector the cursor was issued at; undefined means "every object".
  let vector: Map<string, TrackedFolder> | undefined
  if (since !== undefined && since.epoch === head.epoch && since.seq >= head.floor && since.seq <= head.seq) {
    vector = await sync.vectorAt(boxId, since.seq)
  }
  const minUid = (f: FolderNode): number => {
    const then = vector?.get(f.id)
    return then === undefined || then.uidValidity !== f.uidValidity ? 1 : Math.max(1, then.uidNext)
  }
  // The criteria stay in the request: the paging cursor is bound to them (and so to the value).
  const res = await searchObjects(ctx, input, {
    plan: { imap: { kind: 'all' }, exact: true, test: () => true, needsParts: false, needsText: false },
    minUid,
    carry: async () => head.seq
  })
  const seq = typeof res.carried === 'number' ? res.carried : head.seq
  const creationCursor = encodeToken(secret, 'cc', boxId, { epoch: head.epoch, seq })
  return { object: res.object, ...(res.cursor === undefined ? {} : { cursor: res.cursor }), creationCursor }
}

/** `VanishedObjects`: references to the objects deleted within the retention window, newest first. */
export async function vanishedObjects (
  ctx: FolderContext, sync: SyncAccess, input: Pick<ObjectSearchInput, 'maxEntries'>
): Promise<VanishedObjectList> {
  await sync.sync(ctx.box.boxId)
  const limit = Math.min(input.maxEntries, ctx.config.search.maxEntries)
  const tombstones = await ctx.store.tracker.recentTombstones(ctx.box.boxId, limit)
  return { objectReference: tombstones.map((t) => ({ resourceURL: objectUrl(ctx, t.objectId) })) }
}
