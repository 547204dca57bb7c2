/**
 * `bulkDelete` (client profile 3.4, check 24), as DELETE with a JSON body or as POST: expunges
 * exactly the referenced UIDs, one `UID EXPUNGE` per folder (RFC 4315 section 2.1; architecture.md
 * section 3, delete object row). Decision: each deleted item answers 200 with the reference it
 * had (not 204: a bulk item always carries `success` or `failure`, digest 2.8); an object that
 * is already gone answers 404 SVC0004, which the deployed client treats as done.
 */
import type { FolderContext } from '../folders/context.js'
import { applyPerFolder } from './bulk-apply.js'
import { noteCorrelations } from './correlation-notes.js'
import { referenceList } from './bulk-refs.js'
import type { BulkItemResponse } from './bulk-response.js'
import { refuseSelection } from './bulk-update.js'
import type { BulkDeleteInput } from '../wire/bulk.js'

export type { BulkDeleteInput }

/** Runs a bulkDelete; one response per reference, in order. */
export async function bulkDelete (
  ctx: FolderContext,
  input: BulkDeleteInput,
  requestId: string,
  onFault: (err: unknown) => void
): Promise<BulkItemResponse[]> {
  refuseSelection('bulkDelete', input)
  const refs = referenceList(input.objects)
  return await applyPerFolder(ctx, refs, requestId, onFault, async (g, uids) => {
    await noteCorrelations(ctx, g.folder, uids)
    return new Set(await ctx.imap.expunge(ctx.box, g.folder.imapPath, uids, g.uidValidity))
  })
}
