/**
 * Shared steps of mailbox-level operations: turning imapflow's silent `false` answers into
 * errors, and selecting a mailbox under a lock with the UIDVALIDITY check every message
 * operation makes (RFC 3501 section 2.3.1.1).
 */
import type { ImapFlow, MailboxLockObject, MailboxObject } from 'imapflow'
import { GatewayError } from '../errors/gateway-error.js'

/**
 * imapflow answers `undefined` / `false` instead of throwing when the session left the
 * authenticated state under it (a BYE arrived, e.g. `doveadm kick`), and many of its commands
 * log a NO and answer `false`. Turn that into an error: NoConnection (so the pool drops the
 * session, retries reads and answers 503) when the session is gone, a 502 otherwise.
 */
export function answered<T> (client: ImapFlow, value: T | false | undefined, command: string): T {
  if (value !== false && value !== undefined) return value
  if (!client.usable) throw Object.assign(new Error(`${command}: IMAP session closed`), { code: 'NoConnection' })
  throw new GatewayError('GW_ERR_IMAP_FAILED', { variables: [`IMAP ${command}`], detail: `${command} returned no result`, cause: EMPTY_ANSWER })
}

/**
 * Marks the error of a command that answered nothing while the session still looked usable:
 * the BYE of a dying session can be read a moment after the command gave up, so the pool
 * looks again before deciding between "server refused" and "session died".
 */
export const EMPTY_ANSWER = Symbol('empty IMAP answer')

/** True for the error {@link answered} throws on an empty answer. */
export function isEmptyAnswer (err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { cause?: unknown }).cause === EMPTY_ANSWER
}

/** Waits up to `ms` for the session to show it is gone; true when it did. */
export async function settlesDead (client: ImapFlow, ms = 100): Promise<boolean> {
  const deadline = Date.now() + ms
  while (client.usable) {
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return true
}

/**
 * Locks and SELECTs (or EXAMINEs) `path`. Dovecot answers a missing mailbox with a bare NO (no
 * RFC 5530 [NONEXISTENT] code), so on NO a STATUS tells "missing" (imapflow's NotFound, 404)
 * apart from other refusals.
 */
export async function lockMailbox (client: ImapFlow, path: string, readOnly: boolean): Promise<MailboxLockObject> {
  try {
    return await client.getMailboxLock(path, { readOnly })
  } catch (err) {
    if ((err as { responseStatus?: unknown }).responseStatus === 'NO' && client.usable) {
      await client.status(path, { uidValidity: true })
    }
    throw err
  }
}

/** {@link lockMailbox} read-only (EXAMINE never clears \Recent, RFC 3501 section 6.3.2). */
export async function examine (client: ImapFlow, path: string): Promise<MailboxLockObject> {
  return await lockMailbox(client, path, true)
}

/** GW_ERR_NOT_FOUND for a message-level lookup (`object`, `folder`, `part`). */
export function notFound (what: string, detail: string): GatewayError {
  return new GatewayError('GW_ERR_NOT_FOUND', { variables: [what], detail })
}

/** The selected mailbox's state; throws when nothing is selected (the session broke). */
export function selected (client: ImapFlow, path: string): MailboxObject {
  const mailbox = client.mailbox
  if (mailbox === false) {
    if (!client.usable) throw Object.assign(new Error(`SELECT ${path}: IMAP session closed`), { code: 'NoConnection' })
    throw new GatewayError('GW_ERR_IMAP_FAILED', { variables: ['IMAP SELECT'], detail: `SELECT ${path} left no mailbox selected` })
  }
  return mailbox
}

/**
 * Runs `fn` with `path` selected (read-only or not) under its mailbox lock, after checking the
 * caller's UIDVALIDITY: a different one means the caller's UIDs are stale, GW_ERR_NOT_FOUND.
 */
export async function withMailbox<T> (
  client: ImapFlow, path: string, opts: { readOnly: boolean, uidValidity?: string | undefined },
  fn: (mailbox: MailboxObject) => Promise<T>
): Promise<T> {
  const reused = client.mailbox !== false && client.mailbox.path === path
  const lock = await lockMailbox(client, path, opts.readOnly)
  try {
    // A pooled session that already had `path` selected has not heard of messages APPENDed by
    // other sessions since: Dovecot answers UID FETCH of such a UID with nothing until the
    // session syncs. NOOP is the RFC 3501 section 6.1.2 way to poll for those updates.
    if (reused && client.mailbox !== false && client.mailbox.path === path) await client.noop()
    let mailbox = selected(client, path)
    // The same path may name a new mailbox now (deleted and recreated by another session): the
    // old selection's UIDVALIDITY says nothing about it, so SELECT again before judging.
    if (reused && opts.uidValidity !== undefined && mailbox.uidValidity.toString() !== opts.uidValidity) {
      await client.mailboxOpen(path, { readOnly: opts.readOnly })
      mailbox = selected(client, path)
    }
    if (opts.uidValidity !== undefined && mailbox.uidValidity.toString() !== opts.uidValidity) {
      throw notFound('object', `UIDVALIDITY of ${path} is ${mailbox.uidValidity.toString()}, not ${opts.uidValidity}`)
    }
    return await fn(mailbox)
  } finally {
    lock.release()
  }
}

/** RFC 3501 section 9 `sequence-set` of UIDs, ascending, duplicates and invalid values dropped. */
export function uidSet (uids: readonly number[]): string {
  const sorted = [...new Set(uids)].filter((u) => Number.isInteger(u) && u > 0 && u <= 0xffffffff).sort((a, b) => a - b)
  const ranges: string[] = []
  let start: number | undefined
  let prev = 0
  for (const u of sorted) {
    if (start !== undefined && u === prev + 1) {
      prev = u
      continue
    }
    if (start !== undefined) ranges.push(start === prev ? String(start) : `${start}:${prev}`)
    start = u
    prev = u
  }
  if (start !== undefined) ranges.push(start === prev ? String(start) : `${start}:${prev}`)
  return ranges.join(',')
}
