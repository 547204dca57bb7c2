/**
 * The body of an object or folder search: `{"selectionCriteria": ...}` (nms-spec-digest.md
 * 2.10, 2.11). The criteria's shape is src/nms/wire/search.ts, which src/nms/search reads.
 */
import { Type } from '@sinclair/typebox'
import { SelectionCriteriaSchema } from '../../../nms/wire/search.js'

/** Body of a search: `{"selectionCriteria": ...}`. */
export const SearchRequest = Type.Object({ selectionCriteria: SelectionCriteriaSchema })
