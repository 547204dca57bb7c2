/**
 * `selectionCriteria` (nms-spec-digest.md 2.10, 2.11), shared by object and folder search. The
 * schema checks shapes and bounds; meanings (types, operators, names, values) are checked by
 * src/nms/search, which answers 400 SVC0002 / SVC0003 or 405 POL2006 naming the part.
 */
import { Type } from '@sinclair/typebox'

const Criterion = Type.Object({
  type: Type.String({ maxLength: 64 }),
  name: Type.Optional(Type.String({ maxLength: 256 })),
  value: Type.String({ maxLength: 4096 })
})

const SortCriterion = Type.Object({
  type: Type.String({ maxLength: 64 }),
  name: Type.Optional(Type.String({ maxLength: 256 })),
  order: Type.Optional(Type.String({ maxLength: 16 }))
})

/** The `selectionCriteria` object. */
export const SelectionCriteria = Type.Object({
  maxEntries: Type.Integer({ minimum: 1, maximum: 0xffffffff }),
  fromCursor: Type.Optional(Type.String({ maxLength: 4096 })),
  searchCriteria: Type.Optional(Type.Object({
    criterion: Type.Array(Criterion, { minItems: 1, maxItems: 32 }),
    operator: Type.Optional(Type.String({ maxLength: 16 }))
  })),
  searchScope: Type.Optional(Type.Object({ resourceURL: Type.String({ maxLength: 4096 }) })),
  nonRecursiveScope: Type.Optional(Type.Boolean()),
  // Both spellings (digest 2.10): the TS table's list and the single element of its examples.
  sortCriteria: Type.Optional(Type.Object({ criterion: Type.Array(SortCriterion, { minItems: 1, maxItems: 16 }) })),
  sortCriterion: Type.Optional(SortCriterion)
})

/** Body of a search: `{"selectionCriteria": ...}`. */
export const SearchRequest = Type.Object({ selectionCriteria: SelectionCriteria })
