/**
 * `POST /objects/operations/bulkCreation` (nms-spec-digest.md R9; client profile check 26): the
 * `root-fields` ObjectList, then one `attachments` entry per object in the same order (an empty
 * entry without Content-Type = no payload). Objects are created one after the other in request
 * order, so UIDs follow the request; each item succeeds or fails on its own.
 *
 * Decisions: more than `objects.bulkMaxItems` objects is 403 POL2008 for the whole request (the
 * deployed client falls back to single uploads on 403, client profile 2 R6). The number of
 * `attachments` entries must be zero (no object has a payload) or equal to the number of
 * objects; anything else cannot be aligned safely and is 400 SVC0002 `attachments`.
 */
import { GatewayError, invalidInput } from '../../errors/gateway-error.js'
import type { FolderContext } from '../folders/context.js'
import { loadFolders } from '../folders/load.js'
import { bulkFailure, bulkSuccess, type BulkItemResponse } from './bulk-response.js'
import { bulkObjectInputs, parseRootFields, readObjectInput } from './create-input.js'
import { createObject } from './create-object.js'
import type { CreationForm } from './multipart-form.js'

/** Throws 403 POL2008 when a bulk request has more than `objects.bulkMaxItems` items. */
export function checkBulkSize (ctx: FolderContext, count: number): void {
  const max = ctx.config.objects.bulkMaxItems
  if (count > max) throw new GatewayError('GW_ERR_BULK_TOO_MANY', { variables: [`${count} items, at most ${max}`] })
}

/**
 * Creates every object of the form; one response per object, in order.
 * @param onFault - called with errors that are not GatewayErrors (logged by the route).
 */
export async function bulkCreate (
  ctx: FolderContext,
  form: CreationForm,
  requestId: string,
  onFault: (err: unknown) => void
): Promise<BulkItemResponse[]> {
  const objects = bulkObjectInputs(parseRootFields(form.rootFields))
  checkBulkSize(ctx, objects.length)
  const attachments = form.attachments
  if (attachments.length !== 0 && attachments.length !== objects.length) {
    throw invalidInput('attachments', `${attachments.length} attachments for ${objects.length} objects`)
  }
  let tree = await loadFolders(ctx)
  const out: BulkItemResponse[] = []
  for (const [i, obj] of objects.entries()) {
    try {
      const where = `objectList.object.${i}`
      const created = await createObject(ctx, tree, readObjectInput(obj, where), attachments[i], where)
      tree = created.tree
      out.push(bulkSuccess(201, created.reference))
    } catch (err) {
      onFault(err)
      out.push(bulkFailure(err, requestId))
    }
  }
  return out
}
