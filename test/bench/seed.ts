/**
 * Seeding a mailbox quickly. One APPEND per message costs Dovecot an fsync and a uidlist lock
 * each (about 9 ms here, and parallel connections only contend for the lock), so 10,000
 * messages would take over a minute. The private Dovecot stores mail as maildir
 * (src/devenv/dovecot-conf.ts: `maildir:~/Maildir:LAYOUT=fs`), so the messages are written
 * straight into the mailbox's `cur/` directory as maildir files (flags in the `:2,` suffix) and
 * Dovecot assigns their UIDs when the mailbox is next opened: seconds, not minutes. Where no
 * such directory exists, parallel APPENDs over a few connections are the fallback.
 */
import { randomBytes } from 'node:crypto'
import { chown, readdir, stat, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { ImapFlow } from 'imapflow'

/** A small, realistic message: a chat text with the headers the gateway maps to attributes. */
export function benchMessage (i: number): string {
  const date = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toUTCString().replace('GMT', '+0000')
  return [
    `Date: ${date}`,
    'From: "Alice" <alice@example.com>',
    'To: bob@example.com',
    `Subject: bench ${i}`,
    `Message-ID: <bench-${i}@example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Message number ${i}: see you at ${i % 24}:00.`,
    ''
  ].join('\r\n')
}

/** An SMS as deployed clients store it: no Subject, a short text/plain body (a `pager-message`). */
export function pagerMessage (i: number): string {
  const date = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toUTCString().replace('GMT', '+0000')
  return [
    `Date: ${date}`,
    `From: tel:+1555${String(1000000 + (i % 50))}`,
    'To: tel:+15550009001',
    `Message-ID: <sms-${i}@example.com>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `See you at ${i % 24}:00, message ${i}.`,
    ''
  ].join('\r\n')
}

/** Whether `dir` is a maildir mailbox directory. */
export async function isMaildir (dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).includes('cur')
  } catch {
    return false
  }
}

/**
 * Writes `count` messages into the maildir `dir` (cur/, owned like the directory so Dovecot, which
 * may run as another user, can rename them); every third one is Seen (`S`, maildir flag letters).
 */
export async function seedMaildir (dir: string, count: number, make: (i: number) => string = benchMessage): Promise<void> {
  const cur = path.join(dir, 'cur')
  const owner = await stat(cur)
  const tag = randomBytes(4).toString('hex')
  const now = Math.floor(Date.now() / 1000)
  const BATCH = 200
  for (let start = 0; start < count; start += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, count - start) }, async (_, k) => {
      const i = start + k
      const body = Buffer.from(make(i))
      // Zero-padded so the names sort in message order; S= lets Dovecot skip a stat (maildir++).
      const file = path.join(cur, `${now}.M${String(i).padStart(6, '0')}P${tag}.bench,S=${body.length}:2,${i % 3 === 0 ? 'S' : ''}`)
      await writeFile(file, body, { mode: 0o600 })
      await chown(file, owner.uid, owner.gid)
    }))
  }
  // Dovecot rescans a maildir whose directory changed within the last moments on every open
  // (it cannot trust a fresh mtime); dating the directory back lets it index once and trust it.
  const past = new Date(Date.now() - 3600_000)
  await utimes(cur, past, past)
}

/** Appends `count` messages to `path` over the given connections; every third one is \Seen. */
export async function seedMailbox (connections: readonly ImapFlow[], path: string, count: number): Promise<void> {
  let next = 0
  await Promise.all(connections.map(async (c) => {
    for (;;) {
      const i = next++
      if (i >= count) return
      await c.append(path, benchMessage(i), i % 3 === 0 ? ['\\Seen'] : [])
    }
  }))
}
