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

/** The UIDs of a sequence-set written by {@link formatUidSet}, ascending. */
export function parseUidSet (set: string): number[] {
  const out: number[] = []
  if (set === '') return out
  for (const part of set.split(',')) {
    const [a, b] = part.split(':')
    const lo = Number(a)
    const hi = b === undefined ? lo : Number(b)
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi < lo) throw new RangeError(`bad sequence-set ${set}`)
    for (let u = lo; u <= hi; u++) out.push(u)
  }
  return out
}
