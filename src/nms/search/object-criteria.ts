/**
 * Object search criteria (nms-spec-digest.md 2.11, 4.2; architecture.md section 5) compiled to
 * two things: an IMAP SearchKey that narrows the candidates on the server, and an exact test the
 * gateway applies to each candidate. The narrowing is always sound (it never drops an object the
 * exact test would accept); where IMAP is only approximate (HEADER and TEXT are substring,
 * caseless; dates are whole days) or cannot see the value at all (derived attributes), the exact
 * test decides. Every problem is a GatewayError raised before any IMAP work.
 *
 * - Date: SINCE/BEFORE widened by a day each side; exact: minDate <= internal date < maxDate.
 * - Attribute backed by one header (From, To, Cc, Bcc, Subject, Message-ID, Conversation-ID, ...):
 *   HEADER field value; exact value (addresses also by their bare address).
 * - Attribute Date: SENTSINCE/SENTBEFORE or SINCE/BEFORE around the day; exact formatted value.
 * - Attribute TextContent: BODY value; exact text.
 * - Attribute Message-Context, Direction, Content-Type: no narrowing (derived); caseless equality.
 * - AllTextAttributes: TEXT value; caseless substring of a text attribute.
 * - WholeWord: TEXT value; a whole word of a text attribute or a textual part.
 * - Flag: SEEN/UNSEEN ..., KEYWORD/UNKEYWORD; exact on the server.
 * - PresetSearch RemoteParty: OR of HEADER From/To/Cc; a party among From/To/Cc.
 */
import type { Config } from '../../config/schema.js'
import { invalidInput } from '../../errors/gateway-error.js'
import type { SearchKey } from '../../imap/types.js'
import { bareAddress } from '../objects/addresses.js'
import { parseFlagName } from '../objects/flags.js'
import type { NmsObject } from '../objects/representation.js'
import {
  checkValue, combine, invalidChoice, operatorOf, parseDateRange, parseLenientDate, pick, unsupportedSearch,
  type CriterionInput, type SearchCriteriaInput
} from './criteria-common.js'
import type { CriterionPlan, ObjectView } from './criterion-plan.js'
import { presetCriterion } from './presets.js'
import { containsText, textAttributeNames, textValues, wholeWordMatcher } from './text-match.js'

export type { CriterionPlan, ObjectView } from './criterion-plan.js'

/** SearchTypeEnum (digest 2.12). */
export const SEARCH_TYPES = [
  'Date', 'Attribute', 'AllTextAttributes', 'Flag', 'WholeWord', 'VanishedObjects', 'CreatedObjects', 'PresetSearch'
] as const

/** The compiled criteria of a search. */
export type ObjectSearchPlan = CriterionPlan

const ALL: SearchKey = { kind: 'all' }
const NONE: SearchKey = { kind: 'none' }
const DAY_MS = 86_400_000

/** Lower-case attribute name -> header field, for attributes copied from one header. */
const HEADER_BACKED: Record<string, string> = {
  from: 'From',
  to: 'To',
  cc: 'Cc',
  bcc: 'Bcc',
  subject: 'Subject',
  'message-id': 'Message-ID',
  'conversation-id': 'Conversation-ID',
  'contribution-id': 'Contribution-ID',
  'inreplyto-contribution-id': 'InReplyTo-Contribution-ID',
  'imdn-message-id': 'IMDN-Message-ID'
}
const ADDRESS_ATTRIBUTES = new Set(['from', 'to', 'cc', 'bcc'])
/** Appendix I declares these case-insensitive (digest 4.2); MIME types are caseless (RFC 2045). */
const CASELESS_ATTRIBUTES = new Set(['message-context', 'direction', 'content-type'])
const DERIVED_ATTRIBUTES = new Set([...CASELESS_ATTRIBUTES])

/** The values of the attribute `lowerName` of `object`. */
export function attributeValues (object: NmsObject, lowerName: string): string[] {
  return object.attributes.attribute.filter((a) => a.name.toLowerCase() === lowerName).flatMap((a) => a.value)
}

function day (ms: number, offsetDays: number): Date {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS + offsetDays * DAY_MS)
}

function headerFor (config: Readonly<Config>, lower: string): string | undefined {
  const fixed = HEADER_BACKED[lower]
  if (fixed !== undefined) return fixed
  return Object.entries(config.objects.headerAttributes).find(([, name]) => name.toLowerCase() === lower)?.[0]
}

function attributeCriterion (config: Readonly<Config>, c: CriterionInput): CriterionPlan {
  const lower = (c.name ?? '').trim().toLowerCase()
  if (lower === '') throw invalidInput('searchCriteria.criterion.name')
  const value = checkValue(c.value)
  const address = ADDRESS_ATTRIBUTES.has(lower)
  const caseless = CASELESS_ATTRIBUTES.has(lower)
  const wanted = caseless ? value.toLowerCase() : value
  const test = (v: ObjectView): boolean => attributeValues(v.object, lower).some((x) =>
    caseless ? x.toLowerCase() === wanted : x === value || (address && bareAddress(x) === value))
  const plan = (imap: SearchKey): CriterionPlan =>
    ({ imap, exact: false, test, needsParts: false, needsText: lower === 'textcontent' })
  // Attribute values are trimmed and never empty (representation.ts): nothing has an empty one.
  if (value.trim() === '') return { imap: NONE, exact: true, test: () => false, needsParts: false, needsText: false }
  const header = headerFor(config, lower)
  if (header !== undefined) return plan({ kind: 'header', field: header, value: address ? bareAddress(value) : value })
  if (lower === 'date') {
    const t = parseLenientDate(value)
    if (t === undefined) return { imap: NONE, exact: true, test: () => false, needsParts: false, needsText: false }
    // The Date attribute is the Date header, or the internal date when that is missing or bad.
    return plan({
      kind: 'or',
      keys: [
        { kind: 'and', keys: [{ kind: 'sentSince', day: day(t, -1) }, { kind: 'sentBefore', day: day(t, 2) }] },
        { kind: 'and', keys: [{ kind: 'since', day: day(t, -1) }, { kind: 'before', day: day(t, 2) }] }
      ]
    })
  }
  if (lower === 'textcontent') return plan({ kind: 'body', value })
  if (DERIVED_ATTRIBUTES.has(lower)) return plan(ALL)
  // No object carries an attribute of another name.
  return { imap: NONE, exact: true, test: () => false, needsParts: false, needsText: false }
}

function flagCriterion (c: CriterionInput): CriterionPlan {
  const flag = parseFlagName((c.name ?? '').trim())
  if (flag === undefined) throw invalidInput('searchCriteria.criterion.name')
  const v = c.value.trim().toLowerCase()
  // xsd:boolean, default true (digest 4.2).
  const set = v === '' || v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : undefined
  if (set === undefined) throw invalidInput('searchCriteria.criterion.value')
  const key = flag.toLowerCase()
  return {
    imap: { kind: 'flag', flag, set },
    exact: true,
    test: (view) => view.object.flags.flag.some((f) => f.toLowerCase() === key) === set,
    needsParts: false,
    needsText: false
  }
}

function dateCriterion (c: CriterionInput): CriterionPlan {
  const range = parseDateRange(c.value)
  if (range === undefined) throw invalidInput('searchCriteria.criterion.value')
  const { min, max } = range
  const keys: SearchKey[] = []
  // IMAP compares calendar days in the server's zone: widen by a day on each side.
  if (min !== undefined) keys.push({ kind: 'since', day: day(min, -1) })
  if (max !== undefined) keys.push({ kind: 'before', day: day(max, 2) })
  return {
    imap: { kind: 'and', keys },
    exact: false,
    test: (v) => {
      const t = v.internalDate.getTime()
      return (min === undefined || t >= min) && (max === undefined || t < max)
    },
    needsParts: false,
    needsText: false
  }
}

function compileOne (config: Readonly<Config>, c: CriterionInput): CriterionPlan {
  const type = pick(c.type, SEARCH_TYPES)
  if (type === undefined) throw invalidChoice('searchCriteria.criterion.type', SEARCH_TYPES)
  switch (type) {
    case 'Attribute': return attributeCriterion(config, c)
    case 'Flag': return flagCriterion(c)
    case 'Date': return dateCriterion(c)
    case 'AllTextAttributes': {
      const value = checkValue(c.value)
      const names = textAttributeNames(config)
      return {
        imap: value === '' ? ALL : { kind: 'text', value },
        exact: false,
        test: (v) => containsText(textValues(v.object, names), value),
        needsParts: false,
        needsText: true
      }
    }
    case 'WholeWord': {
      const value = checkValue(c.value).trim()
      if (value === '') throw invalidInput('searchCriteria.criterion.value')
      const names = textAttributeNames(config)
      const matches = wholeWordMatcher(value)
      return {
        imap: { kind: 'text', value },
        exact: false,
        test: (v) => matches(textValues(v.object, names)) || matches(v.parts),
        needsParts: true,
        needsText: true
      }
    }
    case 'PresetSearch': return presetCriterion((c.name ?? '').trim(), checkValue(c.value))
    case 'CreatedObjects':
    case 'VanishedObjects':
      throw unsupportedSearch(type)
  }
}

/** Compiles `searchCriteria`; absent criteria match every object. */
export function compileObjectCriteria (
  config: Readonly<Config>, criteria: SearchCriteriaInput | undefined
): ObjectSearchPlan {
  if (criteria === undefined) return { imap: ALL, exact: true, test: () => true, needsParts: false, needsText: false }
  const op = operatorOf(criteria)
  const parts = criteria.criterion.map((c) => compileOne(config, c))
  const only = parts.length === 1 ? parts[0] : undefined
  let imap: SearchKey
  switch (op) {
    case 'And':
      imap = only?.imap ?? { kind: 'and', keys: parts.map((p) => p.imap) }
      break
    case 'Or':
      imap = parts.some((p) => p.imap.kind === 'all') ? ALL : only?.imap ?? { kind: 'or', keys: parts.map((p) => p.imap) }
      break
    case 'Not':
      // NOT of a superset is not a superset of the NOT: only exact parts may be negated on the server.
      imap = parts.every((p) => p.exact) ? { kind: 'not', key: only?.imap ?? { kind: 'and', keys: parts.map((p) => p.imap) } } : ALL
      break
  }
  return {
    imap,
    exact: parts.every((p) => p.exact),
    test: combine(op, parts.map((p) => p.test)),
    needsParts: parts.some((p) => p.needsParts),
    needsText: parts.some((p) => p.needsText),
    sort: parts.find((p) => p.sort !== undefined)?.sort
  }
}
