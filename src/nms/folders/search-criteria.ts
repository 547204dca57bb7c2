/**
 * Folder search criteria (nms-spec-digest.md sections 2.11, 4.2 and R13), compiled to a
 * predicate. Pure; every problem is a GatewayError raised before any IMAP work.
 *
 * Supported for folders: `Attribute` (name case-insensitive, as the spec's own root-discovery
 * example writes `root`; value exact, except the yes/no flag `Root`, compared case-insensitively),
 * `AllTextAttributes` (case-insensitive substring of the name and every attribute value),
 * `WholeWord` (a whole word of the name or an attribute value) and `Date` (`minDate` inclusive,
 * `maxDate` exclusive, on the folder's `Date`). `Flag` has no meaning for folders (400 SVC0003
 * listing the valid types); `PresetSearch` and the simplified-sync types are not offered for
 * folders (405 POL2006, architecture.md section 10). One level of criteria, joined by `And`
 * (default), `Or` or `Not` (= NOT(c1 AND ... AND cn)).
 */
import { invalidInput } from '../../errors/gateway-error.js'
import type { FolderAttribute } from '../../store/folder-registry-store.js'
import {
  checkValue, combine, invalidChoice, operatorOf, parseDateRange, pick, unsupportedSearch, type CriterionInput,
  type SearchCriteriaInput
} from '../search/criteria-common.js'
import { SEARCH_TYPES } from '../search/object-criteria.js'
import { wholeWordMatcher } from '../search/text-match.js'

export type { CriterionInput, SearchCriteriaInput }

/** Criterion types that apply to folders (digest 4.2, R13). */
export const FOLDER_CRITERION_TYPES = ['Attribute', 'AllTextAttributes', 'Date', 'WholeWord'] as const
/** Object-only types that are answered 405 POL2006 rather than SVC0003 (architecture.md section 10). */
const UNOFFERED = ['PresetSearch', 'CreatedObjects', 'VanishedObjects']

/** What a folder criterion looks at. */
export interface SearchableFolder {
  name: string
  /** Every attribute, `Name`, `Root` and `Date` included. */
  attributes: readonly FolderAttribute[]
  /** The folder's internal date (ISO 8601). */
  date: string
}

/** The compiled criteria. */
export type FolderPredicate = (f: SearchableFolder) => boolean

function compileOne (c: CriterionInput): FolderPredicate {
  const type = pick(c.type, FOLDER_CRITERION_TYPES)
  if (type === undefined) {
    const known = pick(c.type, SEARCH_TYPES)
    if (known !== undefined && UNOFFERED.includes(known)) throw unsupportedSearch(`${known} for folders`)
    throw invalidChoice('searchCriteria.criterion.type', FOLDER_CRITERION_TYPES)
  }
  checkValue(c.value)
  switch (type) {
    case 'Attribute': {
      const name = (c.name ?? '').trim().toLowerCase()
      if (name === '') throw invalidInput('searchCriteria.criterion.name')
      const caseless = name === 'root'
      const wanted = caseless ? c.value.toLowerCase() : c.value
      return (f) => f.attributes.some((a) => a.name.toLowerCase() === name &&
        a.value.some((v) => (caseless ? v.toLowerCase() : v) === wanted))
    }
    case 'AllTextAttributes': {
      const needle = c.value.toLowerCase()
      return (f) => f.name.toLowerCase().includes(needle) ||
        f.attributes.some((a) => a.value.some((v) => v.toLowerCase().includes(needle)))
    }
    case 'WholeWord': {
      const phrase = c.value.trim()
      if (phrase === '') throw invalidInput('searchCriteria.criterion.value')
      const matches = wholeWordMatcher(phrase)
      return (f) => matches([f.name, ...f.attributes.flatMap((a) => a.value)])
    }
    case 'Date': {
      const range = parseDateRange(c.value)
      if (range === undefined) throw invalidInput('searchCriteria.criterion.value')
      return (f) => {
        const t = Date.parse(f.date)
        return (range.min === undefined || t >= range.min) && (range.max === undefined || t < range.max)
      }
    }
  }
}

/** Compiles `searchCriteria`; absent criteria match every folder. */
export function compileFolderCriteria (criteria: SearchCriteriaInput | undefined): FolderPredicate {
  if (criteria === undefined) return () => true
  const op = operatorOf(criteria)
  return combine(op, criteria.criterion.map(compileOne))
}
