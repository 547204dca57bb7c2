/**
 * The textual payload parts a `WholeWord` search reads (nms-spec-digest.md 4.2): every `text/*`
 * leaf of the message (at most MAX_PARTS), decoded, each cut at `search.textPartMaxBytes`.
 * One IMAP round trip per part; only candidates IMAP's TEXT search let through are read.
 */
import { GatewayError } from '../../errors/gateway-error.js'
import type { BodyStructure, MessageMeta } from '../../imap/types.js'
import type { FolderContext } from '../folders/context.js'
import type { FolderNode } from '../folders/tree.js'

const MAX_PARTS = 8

function textLeaves (node: BodyStructure, out: string[]): void {
  if (node.childNodes !== undefined) {
    for (const child of node.childNodes) textLeaves(child, out)
    return
  }
  if (node.type.toLowerCase().startsWith('text/')) out.push(node.part ?? '1')
}

/** Decoded text of the message's textual parts. */
export async function textPartsOf (ctx: FolderContext, folder: FolderNode, meta: MessageMeta): Promise<string[]> {
  const parts: string[] = []
  textLeaves(meta.bodyStructure, parts)
  const out: string[] = []
  for (const part of parts.slice(0, MAX_PARTS)) {
    try {
      const max = ctx.config.search.textPartMaxBytes
      const text = await ctx.imap.fetchText(ctx.box, folder.imapPath, meta.uid, part, max, folder.uidValidity)
      if (text !== null) out.push(text.text)
    } catch (err) {
      if (err instanceof GatewayError && err.code === 'GW_ERR_NOT_FOUND') break
      throw err
    }
  }
  return out
}
