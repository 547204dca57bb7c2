/**
 * Payload and payload parts (nms-spec-digest.md R5, R6; architecture.md section 10), streamed
 * from IMAP, never held whole in memory.
 *
 * - payload: the message body entity (`BODY[TEXT]` of a multipart, so its boundaries stay
 *   intact, or the transfer-decoded body of a single-part message) with the message's top-level
 *   Content-Type, boundary included, so a multipart payload parses as multipart (client profile
 *   check 21); or the whole RFC 5322 source as `message/rfc822` when the client asks for it.
 * - payloadParts/{partId}: one first-level MIME part, transfer-decoded, with its own Content-Type
 *   (parameters such as `charset` kept) and the file name when the part names one.
 */
import type { Readable } from 'node:stream'
import type { FolderContext } from '../folders/context.js'
import { objectNotFound, withObject } from './locate.js'
import { contentTypeOf, FIRST_LEVEL_PART, fileNameOf, findFirstLevelPart } from './payload-parts.js'

/** What a payload response streams. */
export interface PayloadStream {
  stream: Readable
  contentType: string
  size?: number | undefined
  /** `inline` / `attachment` when the part says so. */
  disposition?: string | undefined
  fileName?: string | undefined
}

/** GET .../payload; `full` = the whole RFC 5322 source (`Accept: message/rfc822`). */
export async function openPayload (ctx: FolderContext, objectId: string, full: boolean): Promise<PayloadStream> {
  const section = full ? { kind: 'full' as const } : { kind: 'body' as const }
  const res = await withObject(ctx, objectId, async (loc) =>
    await ctx.imap.openStream(ctx.box, loc.folder.imapPath, loc.uid, section, loc.uidValidity))
  return {
    stream: res.stream,
    contentType: full ? 'message/rfc822' : contentTypeOf(res.structure),
    size: res.size
  }
}

/** GET .../payloadParts/{partId}: 404 SVC0004 for a part the message does not have. */
export async function openPayloadPart (ctx: FolderContext, objectId: string, partId: string): Promise<PayloadStream> {
  // First-level parts are plain numbers (digest R6); anything else never reaches IMAP.
  if (!FIRST_LEVEL_PART.test(partId)) throw objectNotFound()
  const res = await withObject(ctx, objectId, async (loc) =>
    await ctx.imap.openStream(ctx.box, loc.folder.imapPath, loc.uid, { kind: 'part', part: partId }, loc.uidValidity))
  const node = findFirstLevelPart(res.structure, partId)
  if (node === undefined) {
    res.stream.destroy()
    throw objectNotFound()
  }
  return {
    stream: res.stream,
    contentType: contentTypeOf(node),
    size: res.size,
    disposition: node.disposition,
    fileName: fileNameOf(node)
  }
}
