/**
 * The search operation of the ImapPort (search-types.ts) over pooled imapflow sessions.
 * imapflow 2.1.2 has no SORT and its query object cannot express every SearchKey (two HEADER
 * keys on one field, OR over lists), so the command goes through its internal `exec` with
 * the attribute tree from search-command.ts: ESEARCH `RETURN (ALL)` (RFC 4731) keeps a large
 * answer to a compact sequence set, and `UID SORT (ARRIVAL)` (RFC 5256) orders by internal date
 * on the server. Without SORT the port fetches INTERNALDATE and sorts itself (O(matches)).
 */
import type { ImapFlow } from 'imapflow'
import type { SessionPool } from './session-pool.js'
import { withMailbox } from './mailbox-access.js'
import { compileSearch, expandUidSet, searchArguments, sortArguments, type CommandAttribute } from './search-command.js'
import type { ImapSearchPort, SearchResult } from './search-types.js'
import { uidSet } from './mailbox-access.js'

interface Untagged { attributes?: unknown[] }
type UntaggedHandlers = Record<string, (u: Untagged) => Promise<void>>
/** imapflow's internal command entry point (present in 2.1.2, absent from its typings). */
interface RawClient {
  exec(command: string, attrs: CommandAttribute[], opts: { untagged: UntaggedHandlers }): Promise<{ next: () => void }>
}

/** The numbers of a SEARCH / SORT response (RFC 3501 section 7.2.5, RFC 5256 section 4). */
function numbersOf (u: Untagged, into: number[]): void {
  for (const a of u.attributes ?? []) {
    const n = Number((a as { value?: unknown }).value)
    if (Number.isSafeInteger(n) && n > 0) into.push(n)
  }
}

/** The `ALL` set of an ESEARCH response (RFC 4731 section 3.1); none means no match. */
function esearchAll (u: Untagged, into: number[]): void {
  const attrs = u.attributes ?? []
  for (let i = 0; i < attrs.length - 1; i++) {
    const a = attrs[i] as { value?: unknown }
    if (typeof a?.value === 'string' && a.value.toUpperCase() === 'ALL') {
      const set = (attrs[i + 1] as { value?: unknown }).value
      if (typeof set === 'string') into.push(...expandUidSet(set))
    }
  }
}

async function run (client: ImapFlow, command: string, args: CommandAttribute[], untagged: string,
  collect: (u: Untagged, into: number[]) => void): Promise<number[]> {
  const out: number[] = []
  const res = await (client as unknown as RawClient).exec(command, args, {
    untagged: { [untagged]: async (u) => { collect(u, out) } }
  })
  res.next()
  return out
}

/** The search port over `pool`. */
export function createSearchPort (pool: SessionPool): ImapSearchPort {
  return {
    async searchUids (box, path, query, opts): Promise<SearchResult> {
      const compiled = compileSearch(query)
      return await pool.run(box, async (client) =>
        await withMailbox(client, path, { readOnly: true, uidValidity: opts.uidValidity }, async (mailbox) => {
          const uidValidity = mailbox.uidValidity.toString()
          if (mailbox.exists === 0) return { uidValidity, uids: [], serverSorted: opts.order === 'arrival' }
          if (opts.order === 'arrival' && client.capabilities.has('SORT')) {
            const uids = await run(client, 'UID SORT', sortArguments(compiled), 'SORT', numbersOf)
            return { uidValidity, uids, serverSorted: true }
          }
          const esearch = client.capabilities.has('ESEARCH')
          const found = esearch
            ? await run(client, 'UID SEARCH', searchArguments(compiled, true), 'ESEARCH', esearchAll)
            : await run(client, 'UID SEARCH', searchArguments(compiled, false), 'SEARCH', numbersOf)
          const uids = [...new Set(found)].sort((a, b) => a - b)
          if (opts.order === 'uid' || uids.length === 0) return { uidValidity, uids, serverSorted: false }
          // No SORT: order by INTERNALDATE here, equal dates by UID as SORT would (RFC 5256 section 3).
          const dated = await client.fetchAll(uidSet(uids), { uid: true, internalDate: true }, { uid: true })
          const at = new Map(dated.map((m) => [m.uid, new Date(m.internalDate ?? 0).getTime()]))
          const sorted = uids.filter((u) => at.has(u)).sort((a, b) => (at.get(a) ?? 0) - (at.get(b) ?? 0) || a - b)
          return { uidValidity, uids: sorted, serverSorted: false }
        }), { idempotent: true })
    }
  }
}
