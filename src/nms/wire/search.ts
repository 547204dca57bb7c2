/**
 * `selectionCriteria` (OMA NMS TS sections 5.3.2.15 to 5.3.2.19, OMA NMS TS being
 * OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C), shared by object and folder search and by a
 * subscription's filter, and the types src/nms/search reads (`Static<>`). The schema checks shapes
 * and bounds; meanings (types, operators, names, values) are checked by src/nms/search, which
 * answers 400 SVC0002 / SVC0003 or 405 POL2006 naming the part.
 */
import { Type, type Static } from '@sinclair/typebox'

/** One `SearchCriterion` as received. */
export const CriterionInputSchema = Type.Object({
  type: Type.String({ maxLength: 64 }),
  name: Type.Optional(Type.String({ maxLength: 256 })),
  value: Type.String({ maxLength: 4096 })
})
export type CriterionInput = Static<typeof CriterionInputSchema>

/** `SearchCriteria` as received: criteria and an optional operator. */
export const SearchCriteriaInputSchema = Type.Object({
  criterion: Type.Array(CriterionInputSchema, { minItems: 1, maxItems: 32 }),
  operator: Type.Optional(Type.String({ maxLength: 16 }))
})
export type SearchCriteriaInput = Static<typeof SearchCriteriaInputSchema>

/** One `SortCriterion` as received. */
export const SortCriterionInputSchema = Type.Object({
  type: Type.String({ maxLength: 64 }),
  name: Type.Optional(Type.String({ maxLength: 256 })),
  order: Type.Optional(Type.String({ maxLength: 16 }))
})
export type SortCriterionInput = Static<typeof SortCriterionInputSchema>

/** The `selectionCriteria` object of an object or folder search, as received. */
export const SelectionCriteriaSchema = Type.Object({
  maxEntries: Type.Integer({ minimum: 1, maximum: 0xffffffff }),
  fromCursor: Type.Optional(Type.String({ maxLength: 4096 })),
  searchCriteria: Type.Optional(SearchCriteriaInputSchema),
  searchScope: Type.Optional(Type.Object({ resourceURL: Type.String({ maxLength: 4096 }) })),
  nonRecursiveScope: Type.Optional(Type.Boolean()),
  // Both spellings (OMA NMS TS section 5.3.2.15): the TS table's list and the single element of its examples.
  sortCriteria: Type.Optional(Type.Object({
    criterion: Type.Array(SortCriterionInputSchema, { minItems: 1, maxItems: 16 })
  })),
  sortCriterion: Type.Optional(SortCriterionInputSchema)
})
export type SelectionCriteria = Static<typeof SelectionCriteriaSchema>
