/**
 * The ImapPort over imapflow (architecture.md section 3): every operation borrows a logged-in
 * session of the box from the {@link SessionPool} and maps the answer to the port's types.
 */
import type { ImapFlow } from 'imapflow'
import type { Logger } from 'pino'
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'
import type { BoxAccess, ImapPort, MailboxEntry, MailboxStatus, StatusItem, UidPage } from './types.js'
import { SessionPool } from './session-pool.js'
import { splitPath, statusQuery, toMailboxEntry, toMailboxStatus } from './mailbox-mapping.js'
import { pingImap } from './ping.js'
import { createMessagePort } from './message-port.js'
import { createSearchPort } from './search-port.js'
import { createChangePort } from './change-port.js'
import { answered, examine } from './mailbox-access.js'

/** RFC 3501 section 2.3.1.1: UIDs are non-zero 32-bit unsigned integers. */
const MAX_UID = 0xffffffff

/** The STATUS items a freshly created mailbox is returned with. */
const CREATE_STATUS: readonly StatusItem[] = ['messages', 'unseen', 'uidNext', 'highestModseq']

export function createImapPort (config: Readonly<Config>, logger: Logger): ImapPort {
  const pool = new SessionPool(config, logger)
  const read = { idempotent: true }

  async function listAll (client: ImapFlow, items: readonly StatusItem[] | undefined): Promise<MailboxEntry[]> {
    // LIST "" "*" RETURN (STATUS (...)) where LIST-STATUS (RFC 5819) is offered; imapflow falls
    // back to one STATUS per mailbox otherwise. Not `listOnly`: imapflow 2.1.2 returns before
    // attaching the STATUS data in that mode.
    // A pooled session answers STATUS for its selected mailbox from its own view of it (Dovecot
    // does, and RFC 3501 section 6.3.10 warns against STATUS on the selected mailbox): if another
    // client deleted and recreated that mailbox, the view still carries the old UIDVALIDITY and
    // the folder would keep an id whose objects no longer exist. So leave any mailbox but INBOX
    // (which cannot be deleted) by EXAMINE INBOX, which never expunges (unlike CLOSE), and poll
    // INBOX with NOOP (RFC 3501 section 6.1.2) so its counts are current.
    if (client.mailbox !== false) {
      if (client.mailbox.path.toUpperCase() !== 'INBOX') await client.mailboxOpen('INBOX', { readOnly: true })
      else await client.noop()
    }
    const entries = answered(client, await client.list({ statusQuery: statusQuery(items) }), 'LIST')
    return entries.map(toMailboxEntry)
  }

  async function statusOf (client: ImapFlow, path: string, items: readonly StatusItem[]): Promise<MailboxStatus> {
    const status = toMailboxStatus(answered(client, await client.status(path, statusQuery(items)), 'STATUS'))
    if (status === undefined) throw new GatewayError('GW_ERR_IMAP_FAILED', { variables: ['IMAP STATUS'], detail: `STATUS ${path} returned no UIDVALIDITY` })
    return status
  }

  return {
    ...createMessagePort(pool, config),
    ...createSearchPort(pool),
    ...createChangePort(pool, config, logger),

    async listMailboxes (box: BoxAccess, status?: readonly StatusItem[]): Promise<MailboxEntry[]> {
      return await pool.run(box, async (client) => await listAll(client, status), read)
    },

    async delimiter (box: BoxAccess): Promise<string> {
      return await pool.run(box, async (client) => {
        // imapflow runs NAMESPACE (RFC 2342) at login; the personal namespace's delimiter is the one
        // every path of the box uses.
        const ns = client.namespaces?.personal[0]?.delimiter
        if (typeof ns === 'string' && ns !== '') return ns
        const first = answered(client, await client.list({ listOnly: true }), 'LIST')[0]
        return first?.delimiter ?? '/'
      }, read)
    },

    async createMailbox (box: BoxAccess, path: string): Promise<MailboxEntry> {
      return await pool.run(box, async (client) => {
        const res = answered(client, await client.mailboxCreate(path), 'CREATE')
        if (!res.created) {
          // imapflow swallows the RFC 5530 [ALREADYEXISTS] answer and reports `created: false`.
          throw new GatewayError('GW_ERR_IMAP_FAILED', { variables: ['IMAP ALREADYEXISTS'], detail: `[ALREADYEXISTS] Mailbox already exists: ${path}` })
        }
        const status = await statusOf(client, res.path, CREATE_STATUS)
        const listed = answered(client, await client.list({ listOnly: true }), 'LIST').find((e) => e.path === res.path)
        if (listed !== undefined) return { ...toMailboxEntry(listed), status }
        const delimiter = client.namespaces?.personal[0]?.delimiter ?? '/'
        const segments = splitPath(res.path, delimiter)
        return { path: res.path, delimiter, segments, specialUse: undefined, flags: [], selectable: true, status }
      })
    },

    async deleteMailbox (box: BoxAccess, path: string): Promise<void> {
      await pool.run(box, async (client) => { answered(client, await client.mailboxDelete(path), 'DELETE') })
    },

    async renameMailbox (box: BoxAccess, from: string, to: string): Promise<void> {
      await pool.run(box, async (client) => { answered(client, await client.mailboxRename(from, to), 'RENAME') })
    },

    async status (box: BoxAccess, path: string, items: readonly StatusItem[]): Promise<MailboxStatus> {
      return await pool.run(box, async (client) => await statusOf(client, path, items), read)
    },

    async listUids (box: BoxAccess, path: string, page: { afterUid: number, limit: number }): Promise<UidPage> {
      const afterUid = Math.max(0, Math.floor(page.afterUid))
      const limit = Math.max(0, Math.floor(page.limit))
      return await pool.run(box, async (client) => {
        // EXAMINE (read-only) so listing never clears \Recent (RFC 3501 section 6.3.2).
        const lock = await examine(client, path)
        try {
          const mailbox = client.mailbox
          if (mailbox === false) throw new GatewayError('GW_ERR_IMAP_FAILED', { variables: ['IMAP EXAMINE'], detail: `EXAMINE ${path} left no mailbox selected` })
          const uidValidity = mailbox.uidValidity.toString()
          const nothingAfter = mailbox.exists === 0 || afterUid >= MAX_UID || mailbox.uidNext <= afterUid + 1
          if (nothingAfter) return { uidValidity, uids: [], more: false }
          // `UID SEARCH UID n:*` also matches the highest UID when it is below n, because `*`
          // stands for it and `n:*` equals `*:n` (RFC 3501 section 6.4.8), hence the filter.
          const found = answered(client, await client.search({ uid: `${afterUid + 1}:*` }, { uid: true }), 'UID SEARCH')
          const uids = found.filter((u) => u > afterUid).sort((a, b) => a - b)
          return { uidValidity, uids: uids.slice(0, limit), more: uids.length > limit }
        } finally {
          lock.release()
        }
      }, read)
    },

    async ping (): Promise<void> {
      await pingImap(config.imap)
    },

    stats () {
      return pool.stats()
    },

    async close (): Promise<void> {
      await pool.close()
    }
  }
}
