/**
 * One object (nms-spec-digest.md R2): GET describes it, DELETE expunges exactly its UID
 * (`UID EXPUNGE`, RFC 4315; architecture.md section 3). A forged or stale id, or a UID that no
 * longer exists, is 404 SVC0004.
 */
import type { MessageMeta } from '../../imap/types.js'
import type { FolderContext } from '../folders/context.js'
import { noteCorrelations } from './correlation-notes.js'
import { describeMessage, fetchMetas } from './describe.js'
import { objectNotFound, withObject, type ObjectLocation } from './locate.js'
import type { NmsObject } from './representation.js'

/** The object's location and metadata, or 404 when its UID is gone. */
export async function requireMessage (
  ctx: FolderContext,
  objectId: string
): Promise<{ loc: ObjectLocation, meta: MessageMeta }> {
  return await withObject(ctx, objectId, async (loc) => {
    const [meta] = await fetchMetas(ctx, loc.folder, [loc.uid])
    if (meta === undefined) throw objectNotFound()
    return { loc, meta }
  })
}

/** GET /objects/{objectId} */
export async function getObject (ctx: FolderContext, objectId: string): Promise<NmsObject> {
  const { loc, meta } = await requireMessage(ctx, objectId)
  return await describeMessage(ctx, loc.folder, meta)
}

/** DELETE /objects/{objectId}: 404 when the UID no longer existed. */
export async function deleteObject (ctx: FolderContext, objectId: string): Promise<void> {
  await withObject(ctx, objectId, async (loc) => {
    await noteCorrelations(ctx, loc.folder, [loc.uid])
    const gone = await ctx.imap.expunge(ctx.box, loc.folder.imapPath, [loc.uid], loc.uidValidity)
    if (!gone.includes(loc.uid)) throw objectNotFound()
  })
}
