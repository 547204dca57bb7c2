/**
 * The change-tracking operations of the ImapPort (change-types.ts) over pooled imapflow
 * sessions. Sessions ENABLE QRESYNC at login (RFC 7162 section 3.2.3, client-options.ts), so a
 * `UID FETCH ... (CHANGEDSINCE m VANISHED)` answers with `VANISHED (EARLIER)` for the expunged
 * UIDs; imapflow reports those as `expunge` events with `vanished` and `earlier` set, which are
 * collected while the command runs (the session is leased, so nothing else shares it).
 */
import type { ImapFlow } from 'imapflow'
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import type { Logger } from 'pino'
import type { SessionPool } from './session-pool.js'
import type { BoxAccess } from './types.js'
import type { ChangeScan, FlagScan, ImapChangePort, TrackingMode } from './change-types.js'
import { withMailbox } from './mailbox-access.js'
import { storedFlags } from './flag-names.js'
import { openWatch } from './watch-session.js'

const read = { idempotent: true }

interface ExpungeEvent {
  path?: string
  uid?: number
  vanished?: boolean
  earlier?: boolean
}

/** True when the session can answer CHANGEDSINCE ... VANISHED (RFC 7162 sections 3.1, 3.2). */
function hasQresync (client: ImapFlow): boolean {
  return client.enabled.has('QRESYNC') && client.enabled.has('CONDSTORE')
}

export function createChangePort (pool: SessionPool, config: Readonly<Config>, logger: Logger): ImapChangePort {
  const modes = new Map<string, TrackingMode>()

  return {
    async trackingMode (box: BoxAccess): Promise<TrackingMode> {
      if (config.tracking.mode === 'snapshot') return 'snapshot'
      const known = modes.get(box.boxId)
      if (known !== undefined) return known
      const mode = await pool.run(box, async (client) => hasQresync(client) ? 'qresync' : 'snapshot', read)
      // Capabilities belong to the server, not the box; the map stays as small as the boxes seen.
      if (modes.size > 10_000) modes.clear()
      modes.set(box.boxId, mode)
      return mode
    },

    async scanChanges (box, path, opts): Promise<ChangeScan> {
      const since = opts.sinceModseq
      if (!/^[0-9]{1,20}$/.test(since)) throw new RangeError(`bad MODSEQ ${since}`)
      const mode = { readOnly: true, uidValidity: opts.uidValidity }
      return await pool.run(box, async (client) => await withMailbox(client, path, mode, async (mailbox) => {
        if (!hasQresync(client)) {
          throw new GatewayError('GW_ERR_IMAP_FAILED', { variables: ['IMAP QRESYNC'], detail: 'the session has no QRESYNC (RFC 7162)' })
        }
        const vanished: number[] = []
        const onExpunge = (e: ExpungeEvent): void => {
          if (e.vanished === true && e.earlier === true && typeof e.uid === 'number' && e.path === mailbox.path) vanished.push(e.uid)
        }
        client.on('expunge', onExpunge)
        let fetched
        try {
          // fetchAll collects before returning: no command may run inside a FETCH iteration.
          fetched = await client.fetchAll('1:*', { uid: true, flags: true }, { uid: true, changedSince: BigInt(since) })
        } finally {
          client.off('expunge', onExpunge)
        }
        const changed = fetched
          .map((m) => ({ uid: m.uid, modseq: (m.modseq ?? 0n).toString() }))
          .sort((a, b) => a.uid - b.uid)
        return {
          uidValidity: mailbox.uidValidity.toString(),
          changed,
          vanished: [...new Set(vanished)].sort((a, b) => a - b)
        }
      }), read)
    },

    async scanFlags (box, path, opts): Promise<FlagScan> {
      const mode = { readOnly: true, uidValidity: opts.uidValidity }
      return await pool.run(box, async (client) => await withMailbox(client, path, mode, async (mailbox) => {
        const messages = mailbox.exists === 0
          ? []
          : (await client.fetchAll('1:*', { uid: true, flags: true }, { uid: true }))
              .map((m) => ({ uid: m.uid, flags: storedFlags(m.flags) }))
              .sort((a, b) => a.uid - b.uid)
        return { uidValidity: mailbox.uidValidity.toString(), messages }
      }), read)
    },

    watch (box, onChange) {
      return openWatch(config, logger.child({ component: 'imap-watch' }), box, onChange)
    }
  }
}
