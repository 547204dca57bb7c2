/**
 * Helpers of the copyToFolder / moveToFolder tests (folders-copy*.test.ts, folders-move*.test.ts):
 * object listings through the app, and message sources and MODSEQs straight from IMAP.
 */
import assert from 'node:assert/strict'
import type { TestEnv } from '../helpers/env.js'
import { decodeObjectId } from '../../src/nms/ids/object-id.js'
import type { FolderClient, Json, Reply } from './folders-helpers.js'

export const PUBLIC = 'https://nms.test.example'

/** Absolute URL of a folder or object of `box`. */
export function urlOf (box: string, kind: 'folders' | 'objects', id: string): string {
  return `${PUBLIC}/nms/v1/base/${encodeURIComponent(box)}/${kind}/${encodeURIComponent(id)}`
}

/** The id at the end of a resource URL. */
export function lastSegment (url: string): string {
  return decodeURIComponent(url.slice(url.lastIndexOf('/') + 1))
}

/** POST copyToFolder / moveToFolder with the wrapped body. */
export async function transfer (
  f: FolderClient,
  op: 'copyToFolder' | 'moveToFolder',
  target: string,
  sources: { folders?: string[], objects?: string[] },
  headers?: Record<string, string>
): Promise<Reply> {
  const body = {
    targetSourceRef: {
      targetRef: { resourceURL: target },
      sourceRefs: {
        folders: { folderReference: (sources.folders ?? []).map((resourceURL) => ({ resourceURL })) },
        objects: { objectReference: (sources.objects ?? []).map((resourceURL) => ({ resourceURL })) }
      }
    }
  }
  return await f.call('POST', `/folders/operations/${op}`, body, headers)
}

/** Object URLs of a folder, listed through the app. */
export async function objectUrls (f: FolderClient, folderId: string): Promise<string[]> {
  const r = await f.get(folderId, '?listFilter=Objects&maxEntries=1000')
  assert.equal(r.status, 200, JSON.stringify(r.body))
  return ((r.body.folder.objects?.objectReference ?? []) as Json[]).map((o) => o.resourceURL as string)
}

/** The UID an object URL names (and checks it names `folderId`). */
export function uidOf (url: string, folderId: string): number {
  const parts = decodeObjectId(lastSegment(url))
  assert.ok(parts !== null, `not an object URL: ${url}`)
  assert.equal(parts.folderId, folderId)
  return parts.uid
}

/** RFC 5322 source and MODSEQ of each UID of a mailbox, straight from IMAP (imapflow asks MODSEQ by itself under CONDSTORE). */
export async function imapMessages (env: TestEnv, box: string, path: string): Promise<Map<number, { source: string, modseq: string }>> {
  const c = await env.imap(box)
  const out = new Map<number, { source: string, modseq: string }>()
  try {
    const lock = await c.getMailboxLock(path)
    try {
      if ((c.mailbox !== false && c.mailbox.exists > 0)) {
        for await (const m of c.fetch('1:*', { uid: true, source: true }, { uid: true })) {
          out.set(m.uid, { source: m.source?.toString('utf8') ?? '', modseq: String(m.modseq) })
        }
      }
    } finally {
      lock.release()
    }
  } finally {
    await c.logout()
  }
  return out
}

/** The `response` list of a bulk answer. */
export function items (r: Reply): Json[] {
  assert.ok(Array.isArray(r.body.bulkResponseList?.response), JSON.stringify(r.body))
  return r.body.bulkResponseList.response
}

/** The messageId of a failed item or error body. */
export function messageIdOf (failure: Json): string | undefined {
  return (failure.serviceException ?? failure.policyException)?.messageId
}
