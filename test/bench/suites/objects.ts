/**
 * Object reads (issue 3): one object's metadata and 100 objects' metadata, through the gateway
 * and with imapflow alone fetching the same items (the fields src/imap asks for: UID, FLAGS,
 * MODSEQ, INTERNALDATE, RFC822.SIZE, ENVELOPE, BODYSTRUCTURE and the mapped header fields) on a
 * connection that already has the folder selected.
 *
 * - `GET /objects/{id}`: a different message every iteration, through the whole app (inject):
 *   auth, folder load, id decoding, pooled IMAP session, representation.
 * - `GET /folders/{id}?listFilter=Objects&maxEntries=100`: the first page of references.
 * - `describeObjects x100`: the service layer alone (no HTTP): one fetchMessages for 100 UIDs
 *   and toNmsObject for each, the page object search and notifications will build.
 */
import type { ImapFlow, FetchQueryObject, MailboxLockObject } from 'imapflow'
import pino from 'pino'
import { createImapPort } from '../../../src/imap/create-imap-port.js'
import type { ImapPort } from '../../../src/imap/types.js'
import { boxBaseUrl } from '../../../src/nms/public-url.js'
import type { FolderContext } from '../../../src/nms/folders/context.js'
import { loadFolders } from '../../../src/nms/folders/load.js'
import { encodeObjectId } from '../../../src/nms/ids/object-id.js'
import { describeObjects } from '../../../src/nms/objects/describe.js'
import { objectHeaderFields } from '../../../src/nms/objects/representation.js'
import { createStore } from '../../../src/store/create-store.js'
import type { Store } from '../../../src/store/store.js'
import type { BenchCase, BenchSuite } from '../framework.js'
import type { BenchEnv } from '../env.js'

const PAGE = 100

let lock: MailboxLockObject | undefined
let port: ImapPort | undefined
let store: Store | undefined

/** A spread of UIDs over the whole folder, the same for both sides. */
function uidAt (i: number, messages: number): number {
  return 1 + ((i * 7919) % messages)
}

async function inject (b: BenchEnv, url: string): Promise<void> {
  const res = await b.env.gateway.app.inject({ method: 'GET', url: b.env.base(b.box) + url, headers: b.auth })
  if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`)
}

async function fetchRange (imap: ImapFlow, range: string, query: FetchQueryObject, expect: number): Promise<void> {
  let n = 0
  for await (const m of imap.fetch(range, query, { uid: true })) if (m.uid > 0) n++
  if (n !== expect) throw new Error(`imapflow fetched ${n} of ${expect}`)
}

export const objectsSuite: BenchSuite = {
  name: 'objects',
  async setup (b: BenchEnv): Promise<BenchCase[]> {
    const config = b.env.config
    const status = await b.imap.status(b.folderPath, { uidValidity: true })
    if (status === false || status.uidValidity === undefined) throw new Error('STATUS of the bench folder failed')
    const uidValidity = String(status.uidValidity)
    lock = await b.imap.getMailboxLock(b.folderPath, { readOnly: true })
    const query: FetchQueryObject = {
      uid: true,
      flags: true,
      internalDate: true,
      size: true,
      envelope: true,
      bodyStructure: true,
      headers: objectHeaderFields(config)
    }

    const logger = pino({ level: 'silent' })
    port = createImapPort(config, logger)
    store = await createStore(config, logger)
    const ctx: FolderContext = {
      config, imap: port, store, box: { boxId: b.box }, serverScope: false, boxUrl: boxBaseUrl(config, b.box)
    }
    const folder = (await loadFolders(ctx)).byId(b.folderId)
    if (folder === undefined) throw new Error('bench folder not found')
    const pageUids = Array.from({ length: PAGE }, (_, k) => k + 1)

    return [
      {
        operation: 'GET /objects/{id} (1 message)',
        gateway: async (i) => {
          const id = encodeObjectId({ folderId: b.folderId, uidValidity, uid: uidAt(i, b.messages) })
          await inject(b, `/objects/${id}`)
        },
        imapflow: async (i) => {
          const m = await b.imap.fetchOne(String(uidAt(i, b.messages)), query, { uid: true })
          if (m === false) throw new Error('imapflow: message missing')
        }
      },
      {
        operation: `GET /folders/{id}?listFilter=Objects&maxEntries=${PAGE}`,
        gateway: async () => { await inject(b, `/folders/${encodeURIComponent(b.folderId)}?listFilter=Objects&maxEntries=${PAGE}`) },
        imapflow: async () => { await fetchRange(b.imap, `1:${PAGE}`, query, PAGE) }
      },
      {
        operation: `describeObjects x${PAGE} (service, no HTTP)`,
        gateway: async () => {
          const got = await describeObjects(ctx, folder, pageUids)
          if (got.size !== PAGE) throw new Error(`described ${got.size} of ${PAGE}`)
        },
        imapflow: async () => { await fetchRange(b.imap, `1:${PAGE}`, query, PAGE) }
      }
    ]
  },
  async teardown (): Promise<void> {
    lock?.release()
    lock = undefined
    await port?.close()
    port = undefined
    await store?.close()
    store = undefined
  }
}
