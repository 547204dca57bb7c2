/**
 * Small HTTP client for the folder tests: every call goes through the real app (`inject`) with a
 * token for the box. Shared by test/integration/folders-*.test.ts.
 */
import assert from 'node:assert/strict'
import type { TestEnv } from '../helpers/env.js'

export interface Json { [k: string]: any }

export interface Reply { status: number, body: Json, headers: Record<string, unknown> }

export interface FolderClient {
  box: string
  /** `inject` with the box's bearer token (or the given headers); body parsed as JSON when present. */
  call(method: string, path: string, payload?: unknown, headers?: Record<string, string>): Promise<Reply>
  search(selectionCriteria: Json, headers?: Record<string, string>): Promise<{ status: number, body: Json }>
  /** Root folders by path (`/INBOX` -> folder JSON). */
  roots(): Promise<Map<string, Json>>
  /** Folder id from a folder URL. */
  idOf(url: string): string
  /** pathToId GET; returns the folder id or undefined on 404. */
  idByPath(path: string): Promise<string | undefined>
  /** POST /folders with a parent path; asserts 201 and returns the new id. */
  create(parentPath: string, name: string, extra?: Json): Promise<string>
  get(id: string, query?: string): Promise<{ status: number, body: Json }>
}

export function folderClient (env: TestEnv, box: string): FolderClient {
  const base = env.base(box)
  const app = env.gateway.app
  const client: FolderClient = {
    box,
    async call (method, path, payload, headers) {
      const res = await app.inject({
        method: method as 'GET',
        url: base + path,
        headers: headers ?? await env.auth(box),
        ...(payload === undefined ? {} : { payload: payload as Json })
      })
      const body = res.body === '' ? {} : JSON.parse(res.body)
      return { status: res.statusCode, body, headers: res.headers }
    },
    async search (selectionCriteria, headers) {
      return await client.call('POST', '/folders/operations/search', { selectionCriteria }, headers)
    },
    async roots () {
      const r = await client.search({ maxEntries: 100, searchCriteria: { criterion: [{ type: 'Attribute', name: 'Root', value: 'Yes' }] } })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      return new Map((r.body.folderList.folder as Json[]).map((f) => [f.path as string, f]))
    },
    idOf (url) {
      const m = /\/folders\/([^/]+)$/.exec(url)
      assert.ok(m !== null, `not a folder URL: ${url}`)
      return decodeURIComponent(m[1] as string)
    },
    async idByPath (path) {
      const r = await client.call('GET', `/folders/operations/pathToId?path=${encodeURIComponent(path)}`)
      if (r.status === 404) return undefined
      assert.equal(r.status, 200, JSON.stringify(r.body))
      return client.idOf(r.body.reference.resourceURL)
    },
    async create (parentPath, name, extra = {}) {
      const r = await client.call('POST', '/folders', { folder: { parentFolderPath: parentPath, name, ...extra } })
      assert.equal(r.status, 201, JSON.stringify(r.body))
      return client.idOf(r.body.reference.resourceURL)
    },
    async get (id, query = '') {
      return await client.call('GET', `/folders/${encodeURIComponent(id)}${query}`)
    }
  }
  return client
}

/** Creates mailboxes directly on the IMAP server (behind the gateway's back). */
export async function imapCreate (env: TestEnv, box: string, paths: string[]): Promise<void> {
  const c = await env.imap(box)
  try {
    for (const p of paths) await c.mailboxCreate(p)
  } finally {
    await c.logout()
  }
}

/** Mailbox paths as the IMAP server lists them. */
export async function imapPaths (env: TestEnv, box: string): Promise<string[]> {
  const c = await env.imap(box)
  try {
    return (await c.list()).map((m) => m.path)
  } finally {
    await c.logout()
  }
}

/** A tiny RFC 5322 message. */
export function message (i: number): string {
  return `From: a@example.com\r\nTo: b@example.com\r\nSubject: m${i}\r\nMessage-ID: <m${i}@example.com>\r\n\r\nbody ${i}\r\n`
}

/** Appends `n` messages directly over IMAP; every other one is \Seen. */
export async function imapAppend (env: TestEnv, box: string, path: string, n: number): Promise<void> {
  const c = await env.imap(box)
  try {
    for (let i = 0; i < n; i++) await c.append(path, message(i), i % 2 === 0 ? ['\\Seen'] : [])
  } finally {
    await c.logout()
  }
}
