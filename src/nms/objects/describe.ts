/**
 * Describing messages as NMS objects: one FETCH of metadata for many UIDs of one folder, plus one
 * small text fetch per inlined pager message (architecture.md section 3). The entry point for
 * everything that returns full objects (GET object, search, notifications).
 */
import type { MessageMeta, TextPart } from '../../imap/types.js'
import type { FolderContext } from '../folders/context.js'
import type { FolderNode } from '../folders/tree.js'
import { inlineTextPart, objectHeaderFields, toNmsObject, type NmsObject } from './representation.js'

/** The metadata of `uids` in `folder` (absent UIDs are simply missing); stale folder -> GW_ERR_NOT_FOUND. */
export async function fetchMetas (
  ctx: FolderContext,
  folder: FolderNode,
  uids: readonly number[]
): Promise<MessageMeta[]> {
  if (uids.length === 0) return []
  const res = await ctx.imap.fetchMessages(ctx.box, folder.imapPath, { uids }, {
    headers: objectHeaderFields(ctx.config),
    uidValidity: folder.uidValidity
  })
  return res.messages
}

/** `meta` as an NMS object, fetching its TextContent when it is an inlined pager message. */
export async function describeMessage (ctx: FolderContext, folder: FolderNode, meta: MessageMeta): Promise<NmsObject> {
  const part = inlineTextPart(ctx.config, meta)
  let text: TextPart | null = null
  if (part !== undefined) {
    const max = ctx.config.objects.textContentMaxBytes
    text = await ctx.imap.fetchText(ctx.box, folder.imapPath, meta.uid, part, max, folder.uidValidity)
  }
  return toNmsObject(ctx, folder, meta, text)
}

/**
 * `metas` (all of `folder`) as NMS objects, in the same order: the TextContent of every inlined
 * pager message comes from one FETCH for all of them, not one round trip each.
 */
export async function describeMessages (
  ctx: FolderContext, folder: FolderNode, metas: readonly MessageMeta[]
): Promise<NmsObject[]> {
  const inline = metas.filter((m) => inlineTextPart(ctx.config, m) !== undefined).map((m) => m.uid)
  const texts = inline.length === 0
    ? new Map<number, TextPart>()
    : await ctx.imap.fetchTexts(ctx.box, folder.imapPath, inline, '1', ctx.config.objects.textContentMaxBytes, folder.uidValidity)
  return metas.map((m) => toNmsObject(ctx, folder, m, texts.get(m.uid) ?? null))
}

/** The objects for `uids` of `folder`, keyed by UID; UIDs that no longer exist are absent. */
export async function describeObjects (
  ctx: FolderContext,
  folder: FolderNode,
  uids: readonly number[]
): Promise<Map<number, NmsObject>> {
  const metas = await fetchMetas(ctx, folder, uids)
  const objects = await describeMessages(ctx, folder, metas)
  return new Map(metas.map((m, i) => [m.uid, objects[i] as NmsObject]))
}
