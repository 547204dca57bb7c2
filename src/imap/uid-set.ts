/**
 * UID sets as RFC 3501 section 9 sequence-sets (`1:5,7,9:12`): the compact form the flag
 * snapshots and deletion notes are stored in. Pure.
 */

/** The sequence-set of `uids` (any order, duplicates and non-UIDs dropped). */
export function formatUidSet (uids: Iterable<number>): string {
  const sorted = [...new Set(uids)].filter((u) => Number.isInteger(u) && u > 0 && u <= 0xffffffff).sort((a, b) => a - b)
  const ranges: string[] = []
  let start = 0
  let prev = 0
  for (const u of sorted) {
    if (start !== 0 && u === prev + 1) {
      prev = u
      continue
    }
    if (start !== 0) ranges.push(start === prev ? String(start) : `${start}:${prev}`)
    start = u
    prev = u
  }
  if (start !== 0) ranges.push(start === prev ? String(start) : `${start}:${prev}`)
  return ranges.join(',')
}

const RANGE = /^([1-9][0-9]{0,9})(?::([1-9][0-9]{0,9}))?$/
const MAX_UID = 0xffffffff

/** The UIDs of a sequence-set (as {@link formatUidSet} writes them), ascending, without duplicates. */
export function parseUidSet (set: string): number[] {
  if (set === '') return []
  const out = new Set<number>()
  for (const part of set.split(',')) {
    const m = RANGE.exec(part)
    const lo = Number(m?.[1])
    const hi = m?.[2] === undefined ? lo : Number(m[2])
    if (m === null || hi < lo || hi > MAX_UID) throw new RangeError(`bad sequence-set ${set}`)
    for (let u = lo; u <= hi; u++) out.add(u)
  }
  return [...out].sort((a, b) => a - b)
}
