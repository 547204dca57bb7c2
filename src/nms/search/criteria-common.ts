/**
 * What object and folder searches share (nms-spec-digest.md 2.10-2.12, section 4): the request
 * shapes, enumeration matching, the lenient `Date` criterion syntax, value checks, the
 * one-level operator, and the refusal of searches the gateway does not offer.
 */
import { GatewayError, invalidInput } from '../../errors/gateway-error.js'
import type { CriterionInput, SearchCriteriaInput } from '../wire/search.js'

export type { CriterionInput, SearchCriteriaInput }

export const OPERATORS = ['And', 'Or', 'Not'] as const
export type Operator = typeof OPERATORS[number]

/** Longest criterion value in UTF-8 bytes: IMAP servers bound command lines (Dovecot: 64 KiB). */
export const MAX_VALUE_BYTES = 1024

/** 400 SVC0003 naming `part` and listing the valid values. */
export function invalidChoice (part: string, valid: readonly string[]): GatewayError {
  return new GatewayError('GW_ERR_INPUT_INVALID_CHOICE', { variables: [part, valid.join(', ')] })
}

/** The member of `valid` equal to `value` ignoring case (enumerations are matched leniently). */
export function pick<T extends string> (value: string, valid: readonly T[]): T | undefined {
  return valid.find((v) => v.toLowerCase() === value.toLowerCase())
}

/** The criteria's operator (default `And`, digest 2.11); 400 SVC0003 for anything else. */
export function operatorOf (criteria: SearchCriteriaInput): Operator {
  const op = criteria.operator === undefined ? 'And' : pick(criteria.operator, OPERATORS)
  if (op === undefined) throw invalidChoice('searchCriteria.operator', OPERATORS)
  if (criteria.criterion.length === 0) throw invalidInput('searchCriteria.criterion')
  return op
}

/** Joins predicates by the operator; `Not` is NOT(c1 AND ... AND cn) (digest 2.12). */
export function combine<T> (op: Operator, preds: ReadonlyArray<(x: T) => boolean>): (x: T) => boolean {
  switch (op) {
    case 'And': return (x) => preds.every((p) => p(x))
    case 'Or': return (x) => preds.some((p) => p(x))
    case 'Not': return (x) => !preds.every((p) => p(x))
  }
}

/**
 * A value the gateway can search for: no CR, LF or NUL (no stored attribute value holds them
 * and IMAP strings cannot carry them) and at most MAX_VALUE_BYTES. 400 SVC0002 otherwise.
 */
export function checkValue (value: string): string {
  // eslint-disable-next-line no-control-regex -- exactly the characters refused
  if (/[\r\n\u0000]/.test(value) || Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) {
    throw invalidInput('searchCriteria.criterion.value')
  }
  return value
}

/**
 * 405 POL2006 for a search the gateway does not offer (architecture.md section 10: an unknown
 * PresetSearch in a search; the deployed client retries without it on exactly this answer).
 */
export function unsupportedSearch (what: string): GatewayError {
  return new GatewayError('GW_ERR_SEARCH_UNSUPPORTED', { variables: [what], headers: { Allow: 'POST' } })
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
