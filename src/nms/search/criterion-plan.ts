/**
 * The compiled form of one object search criterion (object-criteria.ts compiles them,
 * presets.ts compiles the PresetSearch ones). Its own module so the two do not import each other.
 */
import type { SearchKey } from '../../imap/types.js'
import type { NmsObject } from '../objects/representation.js'
import type { SortSpec } from './sort-spec.js'

/** What the exact test of a candidate looks at. */
export interface ObjectView {
  object: NmsObject
  internalDate: Date
  /** Decoded textual payload parts; read only when the plan `needsParts`. */
  parts: readonly string[]
}

/** One compiled criterion. */
export interface CriterionPlan {
  imap: SearchKey
  /** True when `imap` selects exactly the matching objects (so NOT over it is sound). */
  exact: boolean
  test: (v: ObjectView) => boolean
  needsParts: boolean
  /** True when the test reads TextContent (so candidates are described with it before the test). */
  needsText: boolean
  /** A PresetSearch may impose its own order (digest 4.2). */
  sort?: SortSpec[] | undefined
}
