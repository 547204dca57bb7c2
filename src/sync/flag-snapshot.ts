/**
 * Flag snapshots for servers without QRESYNC (docs/decisions.md, "Servers without CONDSTORE or
 * QRESYNC"): the tracker keeps, per folder, the set of UIDs and for each flag the UIDs
 * carrying it, and finds what changed by comparing with a fresh `UID FETCH 1:* (UID FLAGS)`.
 * Costs O(messages) per scanned folder; the stored form is compact for the dense UID ranges of
 * real folders. Pure.
 */
import { createHash } from 'node:crypto'
import type { FlagSnapshot } from '../store/tracker-store.js'
import { formatUidSet, parseUidSet } from '../imap/uid-set.js'

/** One message as scanned. */
export interface ScannedMessage {
  uid: number
  flags: readonly string[]
}

/** The snapshot of `messages`. Flags are compared case-insensitively (RFC 3501 section 2.3.2). */
export function toSnapshot (messages: readonly ScannedMessage[]): FlagSnapshot {
  const byFlag = new Map<string, number[]>()
  for (const m of messages) {
    for (const f of new Set(m.flags.map((x) => x.toLowerCase()))) {
      const list = byFlag.get(f)
      if (list === undefined) byFlag.set(f, [m.uid])
      else list.push(m.uid)
    }
  }
  const flags: Record<string, string> = {}
  for (const f of [...byFlag.keys()].sort()) flags[f] = formatUidSet(byFlag.get(f) ?? [])
  return { uids: formatUidSet(messages.map((m) => m.uid)), flags }
}

/** A short digest of a snapshot: equal snapshots, equal digests. */
export function snapshotDigest (s: FlagSnapshot): string {
  const h = createHash('sha256').update(s.uids)
  for (const f of Object.keys(s.flags).sort()) h.update(`\u0000${f}\u0000${s.flags[f] ?? ''}`)
  return h.digest('base64url').slice(0, 16)
}

/** What changed from `old` to `now`: UIDs new or with other flags, and UIDs gone. */
export function diffSnapshots (
  old: FlagSnapshot | undefined, now: FlagSnapshot
): { changed: number[], vanished: number[] } {
  const before = new Set(old === undefined ? [] : parseUidSet(old.uids))
  const after = parseUidSet(now.uids)
  const afterSet = new Set(after)
  const flagsOf = (s: FlagSnapshot | undefined): Map<number, string> => {
    const m = new Map<number, string>()
    if (s === undefined) return m
    for (const f of Object.keys(s.flags).sort()) {
      for (const u of parseUidSet(s.flags[f] ?? '')) m.set(u, `${m.get(u) ?? ''}\u0000${f}`)
    }
    return m
  }
  const oldFlags = flagsOf(old)
  const newFlags = flagsOf(now)
  const changed = after.filter((u) => !before.has(u) || (oldFlags.get(u) ?? '') !== (newFlags.get(u) ?? ''))
  const vanished = [...before].filter((u) => !afterSet.has(u)).sort((a, b) => a - b)
  return { changed, vanished }
}
