/**
 * Creating one object (nms-spec-digest.md R1; architecture.md section 3, create object row):
 * find or make the parent folder, compose the message from the attributes and the payload,
 * APPEND it with the flags and the Date as internal date, and mint the objectId from the
 * APPENDUID answer (RFC 4315 section 3) without searching for the message.
 */
import type { FolderContext } from '../folders/context.js'
import { objectReference, type NmsReference } from '../folders/representation.js'
import type { FolderTree } from '../folders/tree.js'
import { composeHeaders } from './compose-headers.js'
import { composeMessage } from './compose-message.js'
import { imapFlags } from './create-flags.js'
import type { CreateObjectInput } from './create-input.js'
import { resolveParent } from './create-parent.js'
import { headerValue } from '../../shared/mime/header-block.js'
import { type MimePart } from './multipart-parse.js'

/** The result of one creation. */
export interface CreatedObject {
  reference: Required<NmsReference>
  /** The folder tree after the creation (folders may have been created on the way). */
  tree: FolderTree
}

/**
 * An `attachments` entry that stands for "no payload" (digest R9: empty, Content-Length 0, no
 * Content-Type) is treated as absent.
 */
export function payloadOf (part: MimePart | undefined): MimePart | undefined {
  if (part === undefined) return undefined
  if (part.body.length === 0 && headerValue(part.headers, 'content-type') === undefined) return undefined
  return part
}

/** Host name for generated Message-IDs: the public URL's host. */
function messageIdHost (ctx: FolderContext): string {
  try {
    return new URL(ctx.boxUrl).hostname
  } catch {
    return 'nms.invalid'
  }
}

/**
 * Creates one object (`where` names it in errors). Input is fully checked (headers, flags,
 * payload) before any folder is created or anything is appended, so a refused request leaves
 * the box unchanged.
 * @throws GatewayError 400 SVC0002/SVC0003 for bad input, 403 POL1031, IMAP errors.
 */
export async function createObject (
  ctx: FolderContext,
  tree: FolderTree,
  input: CreateObjectInput,
  attachment: MimePart | undefined,
  where = 'object'
): Promise<CreatedObject> {
  const headers = composeHeaders(input.attributes, input, ctx.config.objects.headerAttributes)
  const flags = imapFlags(input.flags, `${where}.flags.flag`)
  const date = headers.date ?? new Date()
  const message = await composeMessage({
    fields: headers.fields,
    date,
    payload: payloadOf(attachment),
    text: headers.textContent ?? '',
    hostname: messageIdHost(ctx)
  })
  const parent = await resolveParent(ctx, tree, input)
  const appended = await ctx.imap.append(ctx.box, parent.node.imapPath, message, flags, date)
  return { reference: objectReference(ctx, parent.node, appended.uidValidity, appended.uid), tree: parent.tree }
}
