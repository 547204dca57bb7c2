/**
 * `POST /objects/operations/bulkUpdate` (client profile 3.4, check 25; a later-version resource,
 * nms-spec-digest.md 1.4): `AddFlag` / `RemoveFlag` of the listed flags on the referenced
 * objects, as one `UID STORE +FLAGS` / `-FLAGS` per folder (RFC 3501 section 6.4.6).
 * Selecting objects by `selectionCriteria` needs search (a later issue): 400 SVC0003.
 */
import { GatewayError, invalidInput } from '../../errors/gateway-error.js'
import type { FolderContext } from '../folders/context.js'
import { applyPerFolder } from './bulk-apply.js'
import { referenceList } from './bulk-refs.js'
import type { BulkItemResponse } from './bulk-response.js'
import type { BulkUpdateInput } from '../wire/bulk.js'
import { imapFlags } from './create-flags.js'

export type { BulkUpdateInput }

/** 400 SVC0003 for selectionCriteria in bulkUpdate/bulkDelete (search comes later). */
export function refuseSelection (where: string, input: { selectionCriteria?: unknown }): void {
  if (input.selectionCriteria !== undefined && input.selectionCriteria !== null) {
    throw new GatewayError('GW_ERR_INPUT_INVALID_CHOICE', { variables: [`${where}.selectionCriteria`, 'objects.objectReference'] })
  }
}

function operationOf (op: unknown): 'add' | 'remove' {
  const o = typeof op === 'string' ? op.toLowerCase() : undefined
  if (o === 'addflag') return 'add'
  if (o === 'removeflag') return 'remove'
  throw new GatewayError('GW_ERR_INPUT_INVALID_CHOICE', { variables: ['bulkUpdate.operation', 'AddFlag, RemoveFlag'] })
}

function flagsOf (flags: unknown): string[] {
  const list = typeof flags === 'object' && flags !== null ? (flags as { flag?: unknown }).flag : undefined
  const arr = typeof list === 'string' ? [list] : list
  if (!Array.isArray(arr) || arr.length === 0 || !arr.every((f) => typeof f === 'string')) throw invalidInput('bulkUpdate.flags.flag')
  return imapFlags(arr as string[], 'bulkUpdate.flags.flag')
}

/** Runs a bulkUpdate; one response per reference, in order. */
export async function bulkUpdate (
  ctx: FolderContext,
  input: BulkUpdateInput,
  requestId: string,
  onFault: (err: unknown) => void
): Promise<BulkItemResponse[]> {
  refuseSelection('bulkUpdate', input)
  const op = operationOf(input.operation)
  const flags = flagsOf(input.flags)
  const refs = referenceList(input.objects)
  return await applyPerFolder(ctx, refs, requestId, onFault, async (g, uids) => {
    const stored = await ctx.imap.storeFlags(ctx.box, g.folder.imapPath, uids, op, flags, g.uidValidity)
    return new Set(stored.keys())
  })
}
