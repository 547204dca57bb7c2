/**
 * Sort criteria (nms-spec-digest.md 2.10, 2.11, 4.4). Both spellings are accepted: the TS table's
 * `sortCriteria: {criterion: [...]}` (what the deployed client sends) and the single
 * `sortCriterion` of the TS examples. `Date` is the internal storage date; `Attribute` sorts by
 * the named attribute's first value. Order defaults to `Descending`. Up to MAX_SORT_CRITERIA
 * are applied, most significant first; the spec lets the server ignore the rest.
 *
 * Collation (server policy, digest 2.12): numbers by value; strings case-insensitively by code
 * point, then exactly; an absent value before any present one. Equal keys fall back to the
 * object's folder id and UID, in the first criterion's direction, so the order is total and a
 * cursor can name a precise position.
 */
import { invalidInput } from '../../errors/gateway-error.js'
import type { SelectionCriteria, SortCriterionInput } from '../wire/search.js'
import { invalidChoice, pick } from './criteria-common.js'

export const SORT_TYPES = ['Date', 'Attribute'] as const
export const SORT_ORDERS = ['Ascending', 'Descending'] as const
export const MAX_SORT_CRITERIA = 3

export type { SortCriterionInput }

/** Both request spellings. */
export type SortInput = Pick<SelectionCriteria, 'sortCriteria' | 'sortCriterion'>

/** A validated sort criterion; `dir` 1 ascending, -1 descending. */
export type SortSpec = { type: 'Date', dir: 1 | -1 } | { type: 'Attribute', name: string, dir: 1 | -1 }

/** A sort key value: epoch ms for `Date`, the attribute's first value (or null) for `Attribute`. */
export type SortKey = number | string | null

/** The sort criteria of a request (none: the server's order). */
export function parseSort (input: SortInput): SortSpec[] {
  const list = input.sortCriteria?.criterion ?? (input.sortCriterion === undefined ? [] : [input.sortCriterion])
  return list.slice(0, MAX_SORT_CRITERIA).map((c): SortSpec => {
    const type = pick(c.type, SORT_TYPES)
    if (type === undefined) throw invalidChoice('sortCriteria.criterion.type', SORT_TYPES)
    const order = c.order === undefined || c.order === '' ? 'Descending' : pick(c.order, SORT_ORDERS)
    if (order === undefined) throw invalidChoice('sortCriteria.criterion.order', SORT_ORDERS)
    const dir = order === 'Ascending' ? 1 : -1
    if (type === 'Date') return { type, dir }
    const name = (c.name ?? '').trim()
    if (name === '') throw invalidInput('sortCriteria.criterion.name')
    return { type, name, dir }
  })
}

/** Case-insensitive first, then exact, by UTF-16 code unit (stable across locales and instances). */
export function compareText (a: string, b: string): number {
  const la = a.toLowerCase()
  const lb = b.toLowerCase()
  if (la !== lb) return la < lb ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}

/** Compares two key values of one criterion, ascending. */
export function compareKey (a: SortKey, b: SortKey): number {
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return compareText(String(a), String(b))
}

/** Compares key tuples under `specs` (each in its own direction); 0 when all are equal. */
export function compareKeys (specs: readonly SortSpec[], a: readonly SortKey[], b: readonly SortKey[]): number {
  for (let i = 0; i < specs.length; i++) {
    const c = compareKey(a[i] ?? null, b[i] ?? null)
    if (c !== 0) return c * (specs[i]?.dir ?? 1)
  }
  return 0
}

/** True when `value` has the shape of a key tuple for `specs` (cursor payloads are checked with it). */
export function isKeyTuple (specs: readonly SortSpec[], value: unknown): value is SortKey[] {
  return Array.isArray(value) && value.length === specs.length &&
    value.every((k) => k === null || typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k)))
}
