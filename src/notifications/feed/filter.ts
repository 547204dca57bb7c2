/**
 * Subscription filters (OMA NMS TS section 5.3.2.20, `filter`, OMA NMS TS being
 * OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C): a SearchCriteria evaluated on each event's item as it
 * is now. Compiled once per subscription with the object search criteria
 * (src/nms/search/object-criteria.ts) for object events and the folder criteria for folder
 * events, so a filter means exactly what the same criteria mean in a search.
 *
 * - `resetBox` is never filtered out (OMA NMS TS section 5.3.2.20).
 * - Deletion events pass every filter: the deleted item's last state is not kept (nothing is
 *   stored per message), and a client ignores the deletion of an object it does not hold,
 *   whereas a deletion withheld would leave it a ghost object.
 * - Folder events are tested with the folder meaning of the criteria; criteria that have none
 *   for folders (Flag, a preset) match no folder.
 * - `VanishedObjects` (alone) matches deletion events only (objects and folders); `CreatedObjects`
 *   with value `""` (alone) matches objects created after the subscription (OMA NMS TS section
 *   6.7, the criterion table). Neither combines with others.
 * - A PresetSearch the gateway does not offer is refused with 400 SVC0003 listing the offered
 *   ones: what the deployed client retries without (docs/decisions.md, "Unsupported PresetSearch in
 *   a subscription filter").
 */
import type { Config } from '../../config/schema.js'
import { GatewayError, invalidInput, isGatewayError } from '../../errors/gateway-error.js'
import type { FolderContext } from '../../nms/folders/context.js'
import { compileFolderCriteria, type FolderPredicate } from '../../nms/folders/search-criteria.js'
import { combine, invalidChoice, operatorOf, pick, type SearchCriteriaInput } from '../../nms/search/criteria-common.js'
import { compileObjectCriteria, SEARCH_TYPES, type ObjectSearchPlan } from '../../nms/search/object-criteria.js'
import { PRESETS } from '../../nms/search/presets.js'
import { textPartsOf } from '../../nms/search/text-parts.js'
import type { ChangeEvent } from '../../sync/plan-events.js'

/** Decides per event; may read text parts (WholeWord). */
export type EventFilter = (ctx: FolderContext, e: ChangeEvent) => Promise<boolean>

const PASS: EventFilter = async () => true

/** Checks a filter's shape and compiles it; throws the NMS error the client gets at subscription time. */
export function compileFilter (config: Readonly<Config>, filter: unknown): EventFilter {
  if (filter === undefined || filter === null) return PASS
  const criteria = filter as SearchCriteriaInput
  const types = criteria.criterion.map((c) => pick(c.type, SEARCH_TYPES))
  const special = types.find((t) => t === 'VanishedObjects' || t === 'CreatedObjects')
  if (special !== undefined) {
    if (criteria.criterion.length !== 1 || (criteria.operator !== undefined && pick(criteria.operator, ['And']) === undefined)) {
      throw invalidInput('filter.criterion', `${special} cannot be combined or negated`)
    }
    if (special === 'VanishedObjects') {
      return async (_ctx, e) => e.type === 'resetBox' || e.type === 'deletedObject' || e.type === 'deletedFolder'
    }
    // As a filter the value must be "" (OMA NMS TS section 6.7): objects created after the subscription.
    if ((criteria.criterion[0]?.value ?? '') !== '') throw invalidInput('filter.criterion.value', 'CreatedObjects takes "" as a filter')
    return async (_ctx, e) => e.type === 'resetBox' || (e.type === 'changedObject' && e.created)
  }
  let objects: ObjectSearchPlan
  try {
    objects = compileObjectCriteria(config, criteria)
  } catch (err) {
    if (isGatewayError(err) && err.code === 'GW_ERR_SEARCH_UNSUPPORTED') throw invalidChoice('filter.criterion.name', PRESETS)
    throw renamed(err)
  }
  // Per criterion: one with no folder meaning (Flag, a preset) matches no folder, and the
  // operator joins the rest as it does for objects.
  const folders: FolderPredicate = combine(operatorOf(criteria), criteria.criterion.map((c): FolderPredicate => {
    try {
      return compileFolderCriteria({ criterion: [c] })
    } catch {
      return () => false
    }
  }))
  return async (ctx, e) => {
    switch (e.type) {
      case 'resetBox':
      case 'deletedObject':
      case 'deletedFolder':
        return true
      case 'changedFolder':
        return folders(e.searchable)
      case 'changedObject': {
        const parts = objects.needsParts ? await textPartsOf(ctx, e.node, e.meta) : []
        return objects.test({ object: e.object, internalDate: e.meta.internalDate, parts })
      }
    }
  }
}

/** Search errors name `searchCriteria.*`; in a subscription the part is `filter.*`. */
function renamed (err: unknown): unknown {
  if (!isGatewayError(err)) return err
  const variables = err.variables.map((v) => v.replace(/^searchCriteria\b/, 'filter'))
  const detail = err.detail === undefined ? {} : { detail: err.detail }
  return new GatewayError(err.code, { variables, headers: err.headers, ...detail })
}
