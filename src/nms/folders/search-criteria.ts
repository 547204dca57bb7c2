/**
 * Folder search criteria (nms-spec-digest.md sections 2.11, 4.2 and R13), compiled to a
 * predicate. Pure; every problem is a GatewayError raised before any IMAP work.
 *
 * Supported for folders: `Attribute` (name case-insensitive, as the spec's own root-discovery
 * example writes `root`; value exact, except the yes/no flag `Root`, compared case-insensitively),
 * `AllTextAttributes` (case-insensitive substring of the name and every attribute value) and
 * `Date` (`minDate` inclusive, `maxDate` exclusive, on the folder's `Date`). The object-only
 * types (`Flag`, `WholeWord`, `VanishedObjects`, `CreatedObjects`, `PresetSearch`) are refused
 * with 400 SVC0003 listing the valid ones. One level of criteria, joined by `And` (default),
 * `Or` or `Not` (= NOT(c1 AND ... AND cn)).
 */
import { GatewayError, invalidInput } from '../../errors/gateway-error.js'
import type { FolderAttribute } from '../../store/folder-registry-store.js'

/** Criterion types that apply to folders (digest 4.2). */
export const FOLDER_CRITERION_TYPES = ['Attribute', 'AllTextAttributes', 'Date'] as const
const OPERATORS = ['And', 'Or', 'Not'] as const

/** One `SearchCriterion` as received. */
export interface CriterionInput {
  type: string
  name?: string | undefined
  value: string
}

/** `SearchCriteria` as received: criteria and an optional operator. */
export interface SearchCriteriaInput {
  criterion: CriterionInput[]
  operator?: string | undefined
}

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

function invalidChoice (part: string, valid: readonly string[]): GatewayError {
  return new GatewayError('GW_ERR_INPUT_INVALID_CHOICE', { variables: [part, valid.join(', ')] })
}

function pick<T extends string> (value: string, valid: readonly T[]): T | undefined {
  return valid.find((v) => v.toLowerCase() === value.toLowerCase())
}

const DATE_RE = new RegExp(
  '^(\\d{4})-(\\d{2})-(\\d{2})' + // date
  '(?:[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?)?' + // optional time, seconds, fraction
  '\\s*([Zz]|[+-]\\d{2}(?::?\\d{2})?)?$' // optional zone
)

/**
 * Parses an xsd:dateTime leniently: seconds and fraction optional (a TS example writes
 * `2014-01-01T12:00Z`), a date alone means midnight, and no zone means UTC. Returns epoch ms.
 */
export function parseLenientDate (text: string): number | undefined {
  const m = DATE_RE.exec(text.trim())
  if (m === null) return undefined
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m
  const ms = Number(frac.padEnd(3, '0').slice(0, 3))
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms)
  const check = new Date(base)
  // Date.UTC rolls over (February 30 becomes March 2); such input is refused instead.
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return undefined
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined
  if (zone === 'Z' || zone === 'z') return base
  const zm = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)
  if (zm === null) return undefined
  const offset = (Number(zm[2]) * 60 + Number(zm[3] ?? '0')) * 60000
  if (offset > 14 * 3600000) return undefined
  return zm[1] === '+' ? base - offset : base + offset
}

/**
 * Parses the `Date` criterion value `minDate=..&maxDate=..` (either or both). `+` is kept as
 * a plus sign: it is the zone offset of an unencoded date, never a space.
 */
export function parseDateRange (value: string): { min?: number, max?: number } | undefined {
  const out: { min?: number, max?: number } = {}
  for (const pair of value.split('&')) {
    if (pair.trim() === '') continue
    const eq = pair.indexOf('=')
    if (eq < 0) return undefined
    const key = pair.slice(0, eq).trim().toLowerCase()
    let raw: string
    try {
      raw = decodeURIComponent(pair.slice(eq + 1))
    } catch {
      return undefined
    }
    const t = parseLenientDate(raw)
    if (t === undefined) return undefined
    if (key === 'mindate' && out.min === undefined) out.min = t
    else if (key === 'maxdate' && out.max === undefined) out.max = t
    else return undefined
  }
  return out.min === undefined && out.max === undefined ? undefined : out
}

function compileOne (c: CriterionInput): FolderPredicate {
  const type = pick(c.type, FOLDER_CRITERION_TYPES)
  if (type === undefined) throw invalidChoice('searchCriteria.criterion.type', FOLDER_CRITERION_TYPES)
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
  const op = criteria.operator === undefined ? 'And' : pick(criteria.operator, OPERATORS)
  if (op === undefined) throw invalidChoice('searchCriteria.operator', OPERATORS)
  if (criteria.criterion.length === 0) throw invalidInput('searchCriteria.criterion')
  const preds = criteria.criterion.map(compileOne)
  switch (op) {
    case 'And': return (f) => preds.every((p) => p(f))
    case 'Or': return (f) => preds.some((p) => p(f))
    case 'Not': return (f) => !preds.every((p) => p(f))
  }
}
