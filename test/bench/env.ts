/**
 * The benchmark environment: a private Dovecot and Redis with the gateway (the integration-test
 * environment, test/helpers/env.ts), one box with a folder of `messages` messages, and an open
 * imapflow connection for the "imapflow alone" side of each comparison. The gateway may call
 * back to loopback (`callbacks.allowPrivate`), for suites with a local webhook receiver.
 */
import path from 'node:path'
import type { ImapFlow } from 'imapflow'
import { imapUserOf, startTestEnv, type TestEnv } from '../helpers/env.js'
import { isMaildir, seedMailbox, seedMaildir } from './seed.js'

export interface BenchEnv {
  env: TestEnv
  box: string
  /** IMAP path and NMS folderId of the seeded folder. */
  folderPath: string
  folderId: string
  /** Message count of the seeded folder; UIDs are 1..messages. */
  messages: number
  /** How long seeding took (including Dovecot indexing the mailbox), in milliseconds. */
  seedMs: number
  /** `maildir` (files written directly) or `append` (parallel APPENDs). */
  seedMethod: 'maildir' | 'append'
  /** Logged in as the box's user, nothing selected; for the suites' imapflow side. */
  imap: ImapFlow
  /** Headers with a bearer token for the box. */
  auth: Record<string, string>
  close: () => Promise<void>
}

const BOX = 'tel:+15550009001'
const FOLDER = 'Bench'
const SEED_CONNECTIONS = 8

/** Starts the servers and the gateway and seeds the folder (`append` forces APPENDs). */
export async function startBenchEnv (messages: number, seed: 'auto' | 'append' = 'auto'): Promise<BenchEnv> {
  // Suites' webhook receivers listen on 127.0.0.1 (test/helpers/webhook-sink.ts), which the
  // callback egress policy refuses unless private addresses are allowed.
  const env = await startTestEnv({ boxes: [BOX], env: { NMS_CALLBACK_ALLOW_PRIVATE: 'true' } })
  const opened: ImapFlow[] = []
  try {
    const admin = await env.imap(BOX)
    opened.push(admin)
    await admin.mailboxCreate(FOLDER)
    const t0 = Date.now()
    const dir = path.join(env.dovecot.dir, 'mail', imapUserOf(BOX), 'Maildir', FOLDER)
    const seedMethod = seed === 'auto' && await isMaildir(dir) ? 'maildir' : 'append'
    if (seedMethod === 'maildir') {
      await seedMaildir(dir, messages)
    } else {
      const seeders = await Promise.all(Array.from({ length: SEED_CONNECTIONS - 1 }, async () => await env.imap(BOX)))
      opened.push(...seeders)
      await seedMailbox([admin, ...seeders], FOLDER, messages)
    }
    // Opening the mailbox makes Dovecot index the new files and assign their UIDs.
    const status = await admin.status(FOLDER, { messages: true })
    if (status === false || status.messages !== messages) throw new Error(`seeded ${String(status !== false && status.messages)} of ${messages}`)
    // One metadata FETCH over everything, as a mailbox in use has had: Dovecot then keeps
    // ENVELOPE, BODYSTRUCTURE and the headers in its cache for both sides of the comparison.
    const lock = await admin.getMailboxLock(FOLDER, { readOnly: true })
    try {
      let fetched = 0
      for await (const m of admin.fetch('1:*', { uid: true, envelope: true, bodyStructure: true, headers: true }, { uid: true })) fetched += m.uid > 0 ? 1 : 0
      if (fetched !== messages) throw new Error(`warm-up fetch saw ${fetched} of ${messages}`)
    } finally {
      lock.release()
    }
    const seedMs = Date.now() - t0
    await Promise.all(opened.map(async (c) => await c.logout()))
    opened.length = 0

    const imap = await env.imap(BOX)
    opened.push(imap)
    const auth = await env.auth(BOX)
    const res = await env.gateway.app.inject({
      method: 'GET',
      url: `${env.base(BOX)}/folders/operations/pathToId?path=${encodeURIComponent(`/${FOLDER}`)}`,
      headers: auth
    })
    if (res.statusCode !== 200) throw new Error(`pathToId ${res.statusCode}: ${res.body}`)
    const url = (JSON.parse(res.body) as { reference: { resourceURL: string } }).reference.resourceURL
    const folderId = decodeURIComponent(url.slice(url.lastIndexOf('/') + 1))
    return {
      env,
      box: BOX,
      folderPath: FOLDER,
      folderId,
      messages,
      seedMs,
      seedMethod,
      imap,
      auth,
      async close () {
        await imap.logout().catch(() => {})
        await env.close()
      }
    }
  } catch (err) {
    await Promise.all(opened.map(async (c) => { await c.logout().catch(() => {}) }))
    await env.close()
    throw err
  }
}
