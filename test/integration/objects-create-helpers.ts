/**
 * Helpers for the object creation and bulk tests: multipart/form-data bodies built by hand (so
 * the sloppy spellings deployed clients and the TS examples use can be sent), and direct IMAP
 * reads of what the gateway appended. Shared by objects-create*.test.ts and objects-bulk*.test.ts.
 */
import assert from 'node:assert/strict'
import type { TestEnv } from '../helpers/env.js'
import { decodeObjectId } from '../../src/nms/ids/object-id.js'

export interface Json { [k: string]: any }

export interface FormPart {
  /** Header lines, e.g. `Content-Disposition: form-data; name="root-fields"`. */
  headers: string[]
  body: string | Buffer
}

/** A multipart/form-data body with boundary `B0undary`. */
export function formBody (parts: FormPart[], boundary = 'B0undary'): Buffer {
  const chunks: Buffer[] = []
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${p.headers.map((h) => `${h}\r\n`).join('')}\r\n`))
    chunks.push(typeof p.body === 'string' ? Buffer.from(p.body) : p.body)
    chunks.push(Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return Buffer.concat(chunks)
}

/** The root-fields entry. */
export function rootFields (json: unknown): FormPart {
  return { headers: ['Content-Disposition: form-data; name="root-fields"', 'Content-Type: application/json'], body: JSON.stringify(json) }
}

/** A text/plain attachments entry, the way the deployed client sends an SMS (client profile 3.3). */
export function smsPart (text: string): FormPart {
  return { headers: ['Content-Disposition: form-data;name="attachments";filename="sms.txt"', 'Content-Type: text/plain'], body: text }
}

export interface Reply { status: number, body: Json, headers: Record<string, unknown> }

/** POSTs a multipart body to `path` of the box. */
export async function postForm (env: TestEnv, box: string, path: string, body: Buffer, headers?: Record<string, string>): Promise<Reply> {
  const res = await env.gateway.app.inject({
    method: 'POST',
    url: env.base(box) + path,
    headers: { ...(headers ?? await env.auth(box)), 'content-type': 'multipart/form-data; boundary=B0undary' },
    payload: body
  })
  return { status: res.statusCode, body: res.body === '' ? {} : JSON.parse(res.body), headers: res.headers }
}

/** Sends a JSON request to `path` of the box. */
export async function sendJson (env: TestEnv, box: string, method: 'POST' | 'DELETE', path: string, payload: unknown): Promise<Reply> {
  const res = await env.gateway.app.inject({ method, url: env.base(box) + path, headers: await env.auth(box), payload: payload as Json })
  return { status: res.statusCode, body: res.body === '' ? {} : JSON.parse(res.body), headers: res.headers }
}

/** The UID an object URL names (decoded from its objectId). */
export function uidOf (resourceURL: string): number {
  const id = decodeURIComponent(resourceURL.slice(resourceURL.lastIndexOf('/') + 1))
  const parts = decodeObjectId(id)
  assert.ok(parts !== null, `not an object URL: ${resourceURL}`)
  return parts.uid
}

export interface Stored {
  source: string
  flags: string[]
  internalDate: Date
}

/** Reads a message straight from IMAP as the box's own user. */
export async function imapMessage (env: TestEnv, box: string, mailbox: string, uid: number): Promise<Stored | undefined> {
  const c = await env.imap(box)
  try {
    const lock = await c.getMailboxLock(mailbox)
    try {
      const m = await c.fetchOne(String(uid), { source: true, flags: true, internalDate: true }, { uid: true })
      if (m === false || m === undefined || m.source === undefined) return undefined
      return { source: m.source.toString('utf8'), flags: [...(m.flags ?? [])], internalDate: new Date(m.internalDate as Date) }
    } finally {
      lock.release()
    }
  } finally {
    await c.logout()
  }
}

/** Downloads one MIME part of a message, transfer-decoded, straight from IMAP. */
export async function imapPart (env: TestEnv, box: string, mailbox: string, uid: number, part: string): Promise<Buffer> {
  const c = await env.imap(box)
  try {
    const lock = await c.getMailboxLock(mailbox)
    try {
      const { content } = await c.download(String(uid), part, { uid: true })
      assert.ok(content !== undefined, `no part ${part}`)
      const chunks: Buffer[] = []
      for await (const chunk of content) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks)
    } finally {
      lock.release()
    }
  } finally {
    await c.logout()
  }
}

/** Number of messages in a mailbox. */
export async function imapCount (env: TestEnv, box: string, mailbox: string): Promise<number> {
  const c = await env.imap(box)
  try {
    const st = await c.status(mailbox, { messages: true })
    return st === false ? 0 : st.messages ?? 0
  } finally {
    await c.logout()
  }
}
