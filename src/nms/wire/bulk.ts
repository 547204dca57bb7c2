/**
 * Wire schemas of the bulk operations (OMA NMS TS sections 5.3.2.31, 5.3.2.32 and 6.9, OMA NMS TS
 * being OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C; bulkUpdate and bulkDelete, from a later NMS
 * version: docs/deployed-clients.md, "Bulk update and delete"): the `bulkResponseList` item every
 * bulk answer lists, and the bulkUpdate / bulkDelete requests, with the types src/nms builds and
 * reads (`Static<>`). Only the request wrappers are checked by schema: each reference is checked
 * on its own, so one malformed item fails alone (400 SVC0002 item) instead of the whole request.
 */
import { Type, type Static } from '@sinclair/typebox'
import { RequestFailureSchema } from '../../errors/wire.js'
import { NmsReferenceSchema } from './reference.js'

/**
 * One `response` of a bulkResponseList: `code`, `reason` and either a `success` Reference or a
 * wrapper-less `failure` (OMA NMS TS section 5.3.2.31; built by `toFailure`).
 */
export const BulkItemResponseSchema = Type.Object({
  code: Type.Integer(),
  reason: Type.String(),
  success: Type.Optional(NmsReferenceSchema),
  failure: Type.Optional(RequestFailureSchema)
})
export type BulkItemResponse = Static<typeof BulkItemResponseSchema>

/** `bulkResponseList`. */
export const BulkResponseListSchema = Type.Object({ response: Type.Array(BulkItemResponseSchema) })

const References = Type.Unknown({ description: '`{"objectReference": [{"resourceURL": ...}, ...]}`' })

/** The `bulkUpdate` member of the request, as received. */
export const BulkUpdateInputSchema = Type.Object({
  operation: Type.Optional(Type.Unknown({ description: 'AddFlag or RemoveFlag' })),
  flags: Type.Optional(Type.Unknown({ description: '`{"flag": [...]}`' })),
  objects: Type.Optional(References),
  selectionCriteria: Type.Optional(Type.Unknown({ description: 'not supported yet: 400 SVC0003' }))
})
export type BulkUpdateInput = Static<typeof BulkUpdateInputSchema>

/** The `bulkDelete` member of the request, as received. */
export const BulkDeleteInputSchema = Type.Object({
  objects: Type.Optional(References),
  selectionCriteria: Type.Optional(Type.Unknown({ description: 'not supported yet: 400 SVC0003' }))
})
export type BulkDeleteInput = Static<typeof BulkDeleteInputSchema>
