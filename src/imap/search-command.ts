/**
 * Compiles a SearchKey (search-types.ts) to the attribute list imapflow's command writer sends
 * (RFC 3501 section 6.4.4 SEARCH keys, RFC 4731 ESEARCH RETURN, RFC 5256 SORT). Values are
 * quoted strings (`"` and `\` escaped by the writer) or, when not 7-bit, literals sent with
 * `CHARSET UTF-8`; CR, LF and NUL can be neither and are refused before anything is sent.
 */
import { GatewayError } from '../errors/gateway-error.js'
import type { SearchKey } from './search-types.js'

/** imapflow's command attribute tree (its `imap-compiler` input). */
export type CommandAttribute =
  | { type: 'ATOM' | 'STRING' | 'SEQUENCE', value: string }
  | { type: 'LITERAL', value: Buffer }
  | CommandAttribute[]

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** RFC 3501 `date` (`d-Mon-yyyy`) of the UTC calendar day of `day`. */
export function imapDate (day: Date): string {
  return `${day.getUTCDate()}-${MONTHS[day.getUTCMonth()] ?? 'Jan'}-${day.getUTCFullYear()}`
}

const SYSTEM_FLAG_KEYS: Record<string, string> = {
  '\\seen': 'SEEN', '\\answered': 'ANSWERED', '\\flagged': 'FLAGGED', '\\deleted': 'DELETED', '\\draft': 'DRAFT'
}

// RFC 3501 atom: no atom-specials; keywords additionally may not start with `\`.
// eslint-disable-next-line no-control-regex -- CTLs are not allowed in an atom
const NOT_ATOM = /[\u0000-\u0020\u007f-\uffff(){%*"\\\]]/
// RFC 5322 section 3.6.8 field name: printable US-ASCII except `:`.
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]{1,128}$/
// eslint-disable-next-line no-control-regex -- exactly the characters no IMAP string can carry
const UNSENDABLE = /[\r\n\u0000]/
// eslint-disable-next-line no-control-regex -- 7-bit text goes quoted, anything else as a literal
const NOT_7BIT = /[^\u0000-\u007f]/

function refuse (detail: string): GatewayError {
  return new GatewayError('GW_ERR_INPUT_INVALID', { variables: ['searchCriteria.criterion'], detail })
}

/** The compiled key list and whether it needs `CHARSET UTF-8`. */
export interface CompiledSearch {
  keys: CommandAttribute[]
  utf8: boolean
}

/** Compiles `query` into SEARCH keys. Throws GW_ERR_INPUT_INVALID for values IMAP cannot carry. */
export function compileSearch (query: SearchKey): CompiledSearch {
  let utf8 = false
  const atom = (value: string): CommandAttribute => ({ type: 'ATOM', value })
  const str = (value: string): CommandAttribute => {
    if (UNSENDABLE.test(value)) throw refuse('CR, LF or NUL in a search value')
    if (!NOT_7BIT.test(value)) return { type: 'STRING', value }
    utf8 = true
    return { type: 'LITERAL', value: Buffer.from(value, 'utf8') }
  }
  /** One search-key: a single attribute as is, several as a parenthesized list. */
  const one = (attrs: CommandAttribute[]): CommandAttribute =>
    attrs.length === 1 ? (attrs[0] as CommandAttribute) : attrs
  const walk = (key: SearchKey): CommandAttribute[] => {
    switch (key.kind) {
      case 'all': return [atom('ALL')]
      case 'none': return [atom('NOT'), atom('ALL')]
      case 'uidFrom': {
        const from = Math.min(Math.max(1, Math.floor(key.from)), 0xffffffff)
        return [atom('UID'), { type: 'SEQUENCE', value: `${from}:*` }]
      }
      case 'since': return [atom('SINCE'), atom(imapDate(key.day))]
      case 'before': return [atom('BEFORE'), atom(imapDate(key.day))]
      case 'sentSince': return [atom('SENTSINCE'), atom(imapDate(key.day))]
      case 'sentBefore': return [atom('SENTBEFORE'), atom(imapDate(key.day))]
      case 'header':
        if (!FIELD_NAME.test(key.field)) throw refuse(`header field name ${JSON.stringify(key.field)}`)
        return [atom('HEADER'), str(key.field), str(key.value)]
      case 'body': return [atom('BODY'), str(key.value)]
      case 'text': return [atom('TEXT'), str(key.value)]
      case 'flag': {
        const system = SYSTEM_FLAG_KEYS[key.flag.toLowerCase()]
        if (system !== undefined) return [atom(key.set ? system : `UN${system}`)]
        if (key.flag === '' || NOT_ATOM.test(key.flag)) throw refuse(`flag ${JSON.stringify(key.flag)}`)
        return [atom(key.set ? 'KEYWORD' : 'UNKEYWORD'), atom(key.flag)]
      }
      case 'and': {
        if (key.keys.length === 0) return [atom('ALL')]
        // A parenthesized list of keys is their conjunction (RFC 3501 section 6.4.4).
        return key.keys.length === 1 ? walk(key.keys[0] as SearchKey) : [key.keys.flatMap(walk)]
      }
      case 'or': {
        if (key.keys.length === 0) return [atom('NOT'), atom('ALL')]
        // OR is binary: OR (OR a b) c ...
        const [first, ...rest] = key.keys
        let out = walk(first as SearchKey)
        for (const next of rest) out = [atom('OR'), one(out), one(walk(next))]
        return out
      }
      case 'not': return [atom('NOT'), one(walk(key.key))]
    }
  }
  const keys = walk(query)
  return { keys, utf8 }
}

/** `UID SEARCH` arguments: `RETURN (ALL)` with ESEARCH (RFC 4731), then charset and keys. */
export function searchArguments (compiled: CompiledSearch, esearch: boolean): CommandAttribute[] {
  return [
    ...(esearch ? [{ type: 'ATOM', value: 'RETURN' } as const, [{ type: 'ATOM', value: 'ALL' } as const]] : []),
    ...(compiled.utf8 ? [{ type: 'ATOM', value: 'CHARSET' } as const, { type: 'ATOM', value: 'UTF-8' } as const] : []),
    ...compiled.keys
  ]
}

/** `UID SORT (ARRIVAL) <charset> keys` arguments (RFC 5256 section 3: the charset is mandatory). */
export function sortArguments (compiled: CompiledSearch): CommandAttribute[] {
  return [[{ type: 'ATOM', value: 'ARRIVAL' }], { type: 'ATOM', value: compiled.utf8 ? 'UTF-8' : 'US-ASCII' }, ...compiled.keys]
}

/** Most UIDs a sequence set from the server is expanded to (a hostile `1:4294967295` stays bounded). */
const MAX_EXPANDED = 5_000_000

/** Expands an RFC 3501 sequence set of UIDs (`1:3,7`), ascending within each range. */
export function expandUidSet (set: string): number[] {
  const out: number[] = []
  for (const part of set.split(',')) {
    const [a, b] = part.split(':')
    const from = Number(a)
    const to = b === undefined ? from : Number(b)
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) continue
    const lo = Math.min(from, to)
    const hi = Math.max(from, to)
    for (let u = lo; u <= hi && out.length < MAX_EXPANDED; u++) out.push(u)
  }
  return out
}
