/**
 * Giving a mailbox its folderId (architecture.md section 3): a new record (fresh id, the next
 * box sequence as lastModSeq, first-seen time) claimed in the registry, which keeps whichever
 * record for the same (path, UIDVALIDITY) got there first, so instances agree on one id.
 */
import type { MailboxEntry } from '../../imap/types.js'
import type { FolderAttribute, FolderRecord } from '../../store/folder-registry-store.js'
import { newFolderId } from '../ids/folder-id.js'
import type { FolderContext } from './context.js'

/** Current time as ISO 8601 to the second (`2024-02-01T08:00:00Z`). */
export function nowIso (): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Claims an id for the mailbox at `path`; returns the record the registry holds afterwards. */
export async function claimFolder (
  ctx: Pick<FolderContext, 'store' | 'box'>,
  path: string,
  uidValidity: string,
  attributes: readonly FolderAttribute[] = []
): Promise<FolderRecord> {
  const registry = ctx.store.folders
  const boxId = ctx.box.boxId
  const mine: FolderRecord = {
    id: newFolderId(),
    path,
    uidValidity,
    lastModSeq: await registry.nextSeq(boxId),
    firstSeen: nowIso(),
    ...(attributes.length > 0 ? { attributes: attributes.map((a) => ({ name: a.name, value: [...a.value] })) } : {})
  }
  const rec = await registry.claim(boxId, mine)
  if (rec.id === mine.id || attributes.length === 0) return rec
  // Another instance saw the new mailbox first and claimed it bare; add the attributes.
  const withAttributes = { ...rec, attributes: mine.attributes ?? [] }
  await registry.update(boxId, withAttributes)
  return withAttributes
}

/** Claims an id for a mailbox this request just CREATEd. */
export async function claimCreatedFolder (
  ctx: Pick<FolderContext, 'store' | 'box'>,
  entry: MailboxEntry,
  attributes: readonly FolderAttribute[] = []
): Promise<FolderRecord> {
  const uidValidity = entry.selectable && entry.status !== undefined ? entry.status.uidValidity : '0'
  return await claimFolder(ctx, entry.path, uidValidity, attributes)
}
