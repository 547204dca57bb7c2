/**
 * Change-tracking part of the IMAP port (architecture.md section 4): what the tracker asks of
 * the server to learn what changed in a mailbox since a known state.
 *
 * - `qresync`: RFC 7162 CONDSTORE + QRESYNC. `UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE m
 *   VANISHED)` names every message whose MODSEQ moved past `m` (new ones included) and every UID
 *   expunged since `m` (section 3.2.6). Cost proportional to the changes.
 * - `snapshot`: servers without QRESYNC. The tracker compares a compact snapshot of every UID and
 *   its flags with a fresh `UID FETCH 1:* (UID FLAGS)`: O(messages) per folder that may have
 *   changed, and (without CONDSTORE) per folder per sweep.
 */
import type { BoxAccess } from './box-access.js'

export type TrackingMode = 'qresync' | 'snapshot'

/** What changed in a mailbox since a MODSEQ. */
export interface ChangeScan {
  uidValidity: string
  /** Messages whose MODSEQ is above the given one, ascending by UID. */
  changed: Array<{ uid: number, modseq: string }>
  /** UIDs expunged since the given MODSEQ (RFC 7162 VANISHED (EARLIER)), ascending. */
  vanished: number[]
}

/** Every message of a mailbox with its flags. */
export interface FlagScan {
  uidValidity: string
  /** Ascending by UID; flags as the server spells them, `\Recent` left out. */
  messages: Array<{ uid: number, flags: string[] }>
}

/** A poke from the watcher (src/imap/watch-session.ts): something may have changed, re-synchronise. */
export interface WatchHint {
  /** Why the watcher pokes. */
  reason: 'notify' | 'idle' | 'connected'
  /** The mailbox concerned when the server said (NOTIFY STATUS/LIST, IDLE on INBOX). */
  path?: string
}

/** A running watch of one box. */
export interface WatchSession {
  /** 'notify' (RFC 5465 NOTIFY in effect), 'idle' (IDLE on INBOX only), 'connecting' (between connections). */
  readonly mode: 'notify' | 'idle' | 'connecting'
  /** Stops watching: logs out, cancels reconnects; resolves when the socket is gone. Idempotent. */
  close(): Promise<void>
}

/** Change-tracking operations of the IMAP port (mixed into ImapPort). */
export interface ImapChangePort {
  /** `qresync` when the box's sessions have QRESYNC enabled (RFC 7162 section 3.2.3), else `snapshot`. */
  trackingMode(box: BoxAccess): Promise<TrackingMode>
  /** Changes since `sinceModseq` (qresync mode); a different UIDVALIDITY throws GW_ERR_NOT_FOUND. */
  scanChanges(box: BoxAccess, path: string, opts: { uidValidity: string, sinceModseq: string }): Promise<ChangeScan>
  /** Every UID and its flags; a different UIDVALIDITY throws GW_ERR_NOT_FOUND. */
  scanFlags(box: BoxAccess, path: string, opts: { uidValidity: string }): Promise<FlagScan>
  /**
   * Opens a dedicated connection that calls `onChange` whenever the server reports a change in
   * the box (NOTIFY, RFC 5465, where offered; else IDLE on INBOX, RFC 2177), and after every
   * (re)connect. It reconnects by itself until closed.
   */
  watch(box: BoxAccess, onChange: (hint: WatchHint) => void): WatchSession
}
