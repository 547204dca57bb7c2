/**
 * Object search (issue 4): a batch of 100 through `POST /objects/operations/search` over the
 * seeded 10,000-message folder, beside imapflow alone doing the equivalent UID SEARCH and a
 * metadata FETCH of the first 100 results (the items src/imap asks for) on a connection that
 * already has the folder selected.
 *
 * - no criteria, first batch and a batch from a cursor in the middle of the box;
 * - `Attribute To = bob@example.com`: IMAP narrows (HEADER) to all 10,000, the gateway checks
 *   100 exactly;
 * - `Attribute Subject = "bench 42"`: IMAP's substring HEADER match lets 111 through
 *   (bench 42, 420-429, 4200-4299) and the gateway's exact test keeps one: the post-filter cost.
 * - a `Date` sort, newest first (server SORT ARRIVAL), gateway only;
 * - a batch of SMS (`pager-message` objects whose text is inlined as TextContent) from a second
 *   folder of as many messages; imapflow also fetches the 100 text bodies (one FETCH).
 */
import path from 'node:path'
import type { FetchQueryObject, ImapFlow, MailboxLockObject, SearchObject } from 'imapflow'
import { imapUserOf } from '../../helpers/env.js'
import { isMaildir, pagerMessage, seedMaildir } from '../seed.js'
import { objectHeaderFields } from '../../../src/nms/objects/representation.js'
import type { BenchCase, BenchSuite } from '../framework.js'
import type { BenchEnv } from '../env.js'

const PAGE = 100

const SMS_FOLDER = 'BenchSms'

let lock: MailboxLockObject | undefined
let smsImap: ImapFlow | undefined

interface SearchBody { objectList: { object: unknown[], cursor?: string } }

async function post (b: BenchEnv, selectionCriteria: Record<string, unknown>, expect: number): Promise<SearchBody> {
  const res = await b.env.gateway.app.inject({
    method: 'POST',
    url: `${b.env.base(b.box)}/objects/operations/search`,
    headers: { ...b.auth, 'content-type': 'application/json' },
    payload: { selectionCriteria }
  })
  if (res.statusCode !== 200) throw new Error(`search: ${res.statusCode} ${res.body}`)
  const body = JSON.parse(res.body) as SearchBody
  if (body.objectList.object.length !== expect) throw new Error(`search returned ${body.objectList.object.length}, expected ${expect}`)
  return body
}

export const searchSuite: BenchSuite = {
  name: 'search',
  async setup (b: BenchEnv): Promise<BenchCase[]> {
    if (b.messages < 2 * PAGE) throw new Error(`the search suite needs at least ${2 * PAGE} messages`)
    lock = await b.imap.getMailboxLock(b.folderPath, { readOnly: true })
    const query: FetchQueryObject = {
      uid: true, flags: true, internalDate: true, size: true, envelope: true, bodyStructure: true, headers: objectHeaderFields(b.env.config)
    }
    /** imapflow: UID SEARCH, then FETCH metadata of the first `PAGE` hits. */
    const raw = async (search: SearchObject, expect: number): Promise<void> => {
      const uids = await b.imap.search(search, { uid: true })
      if (uids === false || uids === undefined) throw new Error('imapflow search failed')
      const first = uids.slice(0, PAGE)
      if (first.length === 0) throw new Error('imapflow search found nothing')
      const got = await b.imap.fetchAll(first.join(','), query, { uid: true })
      if (got.length !== Math.min(expect, PAGE)) throw new Error(`imapflow fetched ${got.length}`)
    }

    // The cursor of the batch that ends halfway through the folder.
    let middle: string | undefined
    for (let body = await post(b, { maxEntries: PAGE }, PAGE), seen = PAGE; ; seen += PAGE) {
      if (seen >= b.messages / 2) { middle = body.objectList.cursor; break }
      body = await post(b, { maxEntries: PAGE, fromCursor: body.objectList.cursor }, PAGE)
    }
    if (middle === undefined) throw new Error('no cursor halfway')
    const half = Math.floor(b.messages / 2)

    // The SMS folder: written as maildir files like the main one (or APPENDed, fewer, without maildir).
    smsImap = await b.env.imap(b.box)
    await smsImap.mailboxCreate(SMS_FOLDER)
    const dir = path.join(b.env.dovecot.dir, 'mail', imapUserOf(b.box), 'Maildir', SMS_FOLDER)
    const smsCount = await isMaildir(dir) ? b.messages : Math.min(b.messages, 500)
    if (smsCount === b.messages) await seedMaildir(dir, smsCount, pagerMessage)
    else for (let i = 0; i < smsCount; i++) await smsImap.append(SMS_FOLDER, pagerMessage(i))
    await smsImap.getMailboxLock(SMS_FOLDER, { readOnly: true })
    let warmed = 0
    for await (const m of smsImap.fetch('1:*', { uid: true, envelope: true, bodyStructure: true, headers: true }, { uid: true })) warmed += m.uid > 0 ? 1 : 0
    if (warmed !== smsCount) throw new Error(`SMS folder holds ${warmed} of ${smsCount}`)
    const sms = smsImap
    const ref = await b.env.gateway.app.inject({
      method: 'GET',
      url: `${b.env.base(b.box)}/folders/operations/pathToId?path=${encodeURIComponent(`/${SMS_FOLDER}`)}`,
      headers: b.auth
    })
    const smsScope = { resourceURL: (JSON.parse(ref.body) as { reference: { resourceURL: string } }).reference.resourceURL }

    const subject = 'bench 42'
    return [
      {
        operation: `search x${PAGE}, no criteria, first batch`,
        gateway: async () => { await post(b, { maxEntries: PAGE }, PAGE) },
        imapflow: async () => { await raw({ all: true }, PAGE) }
      },
      {
        operation: `search x${PAGE}, no criteria, from a cursor halfway`,
        gateway: async () => { await post(b, { maxEntries: PAGE, fromCursor: middle }, PAGE) },
        imapflow: async () => { await raw({ uid: `${half + 1}:*` }, PAGE) }
      },
      {
        operation: `search x${PAGE}, Attribute To (all match)`,
        gateway: async () => {
          await post(b, { maxEntries: PAGE, searchCriteria: { criterion: [{ type: 'Attribute', name: 'To', value: 'bob@example.com' }] } }, PAGE)
        },
        imapflow: async () => { await raw({ header: { to: 'bob@example.com' } }, PAGE) }
      },
      {
        operation: 'search, Attribute Subject exact (111 candidates, 1 match)',
        gateway: async () => {
          await post(b, { maxEntries: PAGE, searchCriteria: { criterion: [{ type: 'Attribute', name: 'Subject', value: subject }] } }, 1)
        },
        imapflow: async () => { await raw({ header: { subject } }, 111) }
      },
      {
        operation: `search x${PAGE}, SMS with TextContent (scope: SMS folder)`,
        gateway: async () => { await post(b, { maxEntries: PAGE, searchScope: smsScope, nonRecursiveScope: true }, PAGE) },
        imapflow: async () => {
          const uids = await sms.search({ all: true }, { uid: true })
          if (uids === false || uids === undefined) throw new Error('imapflow search failed')
          const first = uids.slice(0, PAGE).join(',')
          const metas = await sms.fetchAll(first, query, { uid: true })
          const texts = await sms.fetchAll(first, { uid: true, bodyParts: [{ key: '1', start: 0, maxLength: 2048 * 3 + 64 }] }, { uid: true })
          if (metas.length !== PAGE || texts.length !== PAGE) throw new Error('imapflow fetched too little')
        }
      },
      {
        operation: `search x${PAGE}, sortCriterion Date Descending`,
        gateway: async () => { await post(b, { maxEntries: PAGE, sortCriterion: { type: 'Date', order: 'Descending' } }, PAGE) }
      }
    ]
  },
  async teardown (): Promise<void> {
    lock?.release()
    lock = undefined
    await smsImap?.logout().catch(() => {})
    smsImap = undefined
  }
}
