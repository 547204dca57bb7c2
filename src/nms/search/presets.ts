/**
 * PresetSearch (nms-spec-digest.md 4.2): named searches agreed by profile or operator. The TS
 * defines none normatively; its illustrative `RemoteParty` is offered: the value is a
 * comma-separated list of the party's addresses (`tel:+1555...`, `alice@example.com`), matched
 * against From, To and Cc by bare address, and the preset orders by date, newest first,
 * whatever the request asks (a preset may override sorting). Any other preset is refused with
 * 405 POL2006 (architecture.md section 10) so deployed clients retry without it (client profile
 * check 14) instead of receiving a silently partial answer.
 */
import { invalidInput } from '../../errors/gateway-error.js'
import type { SearchKey } from '../../imap/types.js'
import { bareAddress } from '../objects/addresses.js'
import { unsupportedSearch } from './criteria-common.js'
import type { CriterionPlan } from './criterion-plan.js'

/** Preset names offered, as matched (case-insensitively). */
export const PRESETS = ['RemoteParty'] as const

const PARTY_ATTRIBUTES = new Set(['from', 'to', 'cc'])
const PARTY_HEADERS = ['From', 'To', 'Cc']
/** Most addresses one RemoteParty value may list. */
const MAX_PARTIES = 16

function remoteParty (value: string): CriterionPlan {
  const parties = [...new Set(value.split(',').map((p) => bareAddress(p.trim())).filter((p) => p !== ''))]
  if (parties.length === 0 || parties.length > MAX_PARTIES) throw invalidInput('searchCriteria.criterion.value')
  const wanted = new Set(parties)
  const keys: SearchKey[] = parties.flatMap((p) => PARTY_HEADERS.map((field): SearchKey => ({ kind: 'header', field, value: p })))
  return {
    imap: { kind: 'or', keys },
    exact: false,
    test: (v) => v.object.attributes.attribute.some((a) =>
      PARTY_ATTRIBUTES.has(a.name.toLowerCase()) && a.value.some((x) => wanted.has(bareAddress(x)))),
    needsParts: false,
    needsText: false,
    sort: [{ type: 'Date', dir: -1 }]
  }
}

/** The plan of the preset `name` with argument `value`; 405 POL2006 for a preset not offered. */
export function presetCriterion (name: string, value: string): CriterionPlan {
  if (name.toLowerCase() === 'remoteparty') return remoteParty(value)
  throw unsupportedSearch(`PresetSearch ${name}`)
}
