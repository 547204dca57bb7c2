/**
 * Before the gateway deletes or moves objects of a tracked box, it notes their correlationId and
 * correlationTag (src/store/tracker-store.ts, CorrelationNote): once expunged, IMAP can no longer
 * say them, and a deletedObject SHOULD carry them (nms-spec-digest.md 2.17, 3.3). Nothing is
 * kept per message otherwise, so an expunge by another IMAP client is reported without them.
 * Costs one metadata FETCH (and the text of SMS-like objects) per folder and request, only for
 * boxes that are tracked (subscribed to, or searched with CreatedObjects/VanishedObjects).
 */
import type { FolderContext } from '../folders/context.js'
import type { FolderNode } from '../folders/tree.js'
import { encodeObjectId } from '../ids/object-id.js'
import { describeObjects } from './describe.js'

/** Notes what the objects `uids` of `folder` correlate by. */
export async function noteCorrelations (
  ctx: FolderContext, folder: FolderNode, uids: readonly number[]
): Promise<void> {
  if (uids.length === 0 || !await ctx.store.tracker.tracked(ctx.box.boxId)) return
  const objects = await describeObjects(ctx, folder, uids)
  const at = Date.now()
  const notes = [...objects].flatMap(([uid, o]) => o.correlationId === undefined && o.correlationTag === undefined
    ? []
    : [{
        objectId: encodeObjectId({ folderId: folder.id, uidValidity: folder.uidValidity, uid }),
        ...(o.correlationId === undefined ? {} : { correlationId: o.correlationId }),
        ...(o.correlationTag === undefined ? {} : { correlationTag: o.correlationTag }),
        at
      }])
  await ctx.store.tracker.noteCorrelations(ctx.box.boxId, notes)
}
