/**
 * Copying a folder with everything below it (nms-spec-digest.md R15: "copies whole folder
 * subtrees; new ids are assigned"). The subtree is taken as it is when the request starts, so
 * copying a folder into itself or below itself copies what was there, once. Every folder of the
 * subtree becomes a new mailbox (IMAP CREATE; a `\Noselect` one becomes an ordinary, empty
 * folder) with a new folderId and the source's client attributes, and its messages are copied
 * with one `UID COPY` per mailbox (per 10,000 messages). Names are unique among siblings
 * (digest 0.2), so a target that already has a child of the source's name fails the item with
 * 400 SVC0002. If the copy fails half-way, the mailboxes it created are deleted again.
 */
import { invalidInput, isGatewayError } from '../../errors/gateway-error.js'
import type { MailboxEntry } from '../../imap/types.js'
import type { FolderRecord } from '../../store/folder-registry-store.js'
import { claimCreatedFolder } from './claim-folder.js'
import { nmsPathOf } from '../paths.js'
import { folderUrl, type FolderContext } from './context.js'
import type { NmsReference } from './representation.js'
import type { FolderNode, FolderTree } from './tree.js'

/** UIDs per COPY command; a mailbox below this size takes exactly one. */
const COPY_CHUNK = 10_000

/** True when `target` has a child named `name`. */
export function hasChild (tree: FolderTree, target: FolderNode, name: string): boolean {
  return tree.children(target.id).some((c) => c.name === name)
}

/** Copies every message of `from` into `to`. */
async function copyMessagesOf (ctx: FolderContext, from: FolderNode, to: string): Promise<void> {
  let afterUid = 0
  for (;;) {
    const page = await ctx.imap.listUids(ctx.box, from.imapPath, { afterUid, limit: COPY_CHUNK })
    const last = page.uids[page.uids.length - 1]
    if (last === undefined) return
    await ctx.imap.copyMessages(ctx.box, from.imapPath, page.uids, to, page.uidValidity)
    if (!page.more) return
    afterUid = last
  }
}

/** CREATE plus the registry record (with the source's client attributes). */
interface Made { entry: MailboxEntry, rec: FolderRecord }

async function createCopy (ctx: FolderContext, source: FolderNode, path: string): Promise<Made> {
  const entry = await ctx.imap.createMailbox(ctx.box, path)
  const rec = await claimCreatedFolder(ctx, entry, source.record.attributes ?? [])
  return { entry, rec }
}

/** Deletes what a failed copy created, deepest first; failures here are left to reconciliation. */
async function undo (ctx: FolderContext, created: readonly string[]): Promise<void> {
  for (const path of [...created].reverse()) {
    try {
      await ctx.imap.deleteMailbox(ctx.box, path)
    } catch {
      // The next folder load retires whatever is left half-made; the item's error is what counts.
    }
  }
}

/** Copies `source` and its subtree under `target`; returns the reference of the new top folder. */
export async function copyFolder (
  ctx: FolderContext,
  tree: FolderTree,
  source: FolderNode,
  target: FolderNode,
  url: string
): Promise<Required<NmsReference>> {
  if (hasChild(tree, target, source.name)) throw invalidInput(url, 'the target has a folder of this name')
  const subtree = tree.subtree(source.id)
  const created: string[] = []
  let top: Made | undefined
  try {
    for (const n of subtree) {
      const segments = [...target.segments, source.name, ...n.segments.slice(source.segments.length)]
      const made = await createCopy(ctx, n, segments.join(tree.delimiter))
      created.push(made.entry.path)
      top ??= made
      if (n.selectable && made.entry.selectable) await copyMessagesOf(ctx, n, made.entry.path)
    }
  } catch (err) {
    await undo(ctx, created)
    // CREATE refused because the name appeared meanwhile ([ALREADYEXISTS], RFC 5530).
    if (isGatewayError(err) && err.code === 'GW_ERR_IMAP_FAILED' && created.length === 0) {
      const now = await ctx.imap.listMailboxes(ctx.box)
      const path = [...target.segments, source.name].join(tree.delimiter)
      if (now.some((m) => m.path === path)) throw invalidInput(url, 'created concurrently')
    }
    throw err
  }
  if (top === undefined) throw invalidInput(url)
  return { resourceURL: folderUrl(ctx, top.rec.id), path: nmsPathOf(top.entry.segments) }
}
