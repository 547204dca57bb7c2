/**
 * Seeding and calling helpers for the object read tests (objects-read*, objects-flags*,
 * objects-payload*, objects-path-to-id): messages are APPENDed directly over IMAP, their ids
 * derived from the folder id (folder pathToId) and the APPENDUID, then read through the real app.
 */
import assert from 'node:assert/strict'
import type { TestEnv } from '../helpers/env.js'
import { encodeObjectId } from '../../src/nms/ids/object-id.js'
import { folderClient, type FolderClient } from './folders-helpers.js'

export interface Seeded {
  id: string
  uid: number
  uidValidity: string
  folderId: string
}

/** APPENDs `raw` to `path` and returns the new object's id. */
export async function seed (env: TestEnv, box: string, path: string, raw: string | Buffer, flags: string[] = []): Promise<Seeded> {
  const c = await env.imap(box)
  let res
  try {
    res = await c.append(path, raw, flags)
  } finally {
    await c.logout()
  }
  assert.ok(res !== false && res.uid !== undefined && res.uidValidity !== undefined, 'APPENDUID expected')
  const folderId = await folderClient(env, box).idByPath(`/${path}`)
  assert.ok(folderId !== undefined, `folder /${path}`)
  const uidValidity = String(res.uidValidity)
  return { id: encodeObjectId({ folderId, uidValidity, uid: res.uid }), uid: res.uid, uidValidity, folderId }
}

/** Creates mailboxes directly over IMAP (ignores ones that exist). */
export async function mailboxes (env: TestEnv, box: string, paths: string[]): Promise<void> {
  const c = await env.imap(box)
  try {
    for (const p of paths) await c.mailboxCreate(p).catch(() => undefined)
  } finally {
    await c.logout()
  }
}

/** The flags of a message as IMAP reports them (with its MODSEQ). */
export async function imapFlags (env: TestEnv, box: string, path: string, uid: number): Promise<{ flags: string[], modseq: bigint }> {
  const c = await env.imap(box)
  try {
    const lock = await c.getMailboxLock(path)
    try {
      const msg = await c.fetchOne(String(uid), { flags: true }, { uid: true })
      assert.ok(msg !== false && msg !== undefined, `UID ${uid} in ${path}`)
      return { flags: [...(msg.flags ?? [])].sort(), modseq: msg.modseq ?? 0n }
    } finally {
      lock.release()
    }
  } finally {
    await c.logout()
  }
}

/** A raw HTTP answer through the app. */
export interface RawReply { status: number, headers: Record<string, unknown>, raw: Buffer, body: any }

/** `inject` with the box's token; `body` is the parsed JSON when the answer is JSON. */
export async function call (
  env: TestEnv,
  box: string,
  method: string,
  path: string,
  opts: { payload?: unknown, headers?: Record<string, string> } = {}
): Promise<RawReply> {
  const res = await env.gateway.app.inject({
    method: method as 'GET',
    url: env.base(box) + path,
    headers: { ...await env.auth(box), ...opts.headers },
    ...(opts.payload === undefined ? {} : { payload: opts.payload as string })
  })
  const raw = res.rawPayload
  const isJson = /json/.test(String(res.headers['content-type'] ?? ''))
  return { status: res.statusCode, headers: res.headers, raw, body: isJson && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined }
}

export function folders (env: TestEnv, box: string): FolderClient {
  return folderClient(env, box)
}

/** An SMS as a deployed client deposits it. */
export function sms (from: string, to: string, text: string, extra = ''): string {
  return `From: ${from}\r\nTo: ${to}\r\nDate: Mon, 04 Mar 2024 10:11:12 +0100\r\n${extra}` +
    `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${text}\r\n`
}

/** Bytes of a tiny PNG-like image with every byte value, so any re-encoding shows. */
export const IMAGE = Buffer.from(Array.from({ length: 700 }, (_, i) => (i * 37 + 11) % 256))

/** An MMS-like multipart/related message: a text part and an image part. */
export function mms (from: string, to: string): string {
  const b64 = IMAGE.toString('base64').replace(/.{76}/g, '$&\r\n')
  return [
    `From: ${from}`, `To: ${to}`, 'Subject: picture', 'Message-ID: <mms-1@mmsc.example>',
    'Date: Mon, 04 Mar 2024 10:12:00 +0000', 'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="=_b1 x"; type="text/plain"',
    '', 'preamble', '--=_b1 x',
    'Content-Type: text/plain; charset=utf-8', 'Content-ID: <t1>', '', 'look at this', '--=_b1 x',
    'Content-Type: image/png; name="pic.png"', 'Content-Transfer-Encoding: base64', 'Content-ID: <img1>',
    'Content-Location: pic.png', 'Content-Disposition: attachment; filename="pic.png"', '', b64, '--=_b1 x--', ''
  ].join('\r\n')
}
