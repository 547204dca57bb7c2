/**
 * `POST /folders` (nms-spec-digest.md R10): creates a mailbox under the parent named by exactly
 * one of `parentFolder` (URL) or `parentFolderPath`. Parents are not created on the way (unlike
 * object creation): an unknown parent is 400 SVC0002 with the parent as the variable. Without a
 * `name` the server picks one unique among the siblings. Client attributes are kept in the
 * folder's registry record (IMAP has nowhere to put them).
 */
import { randomBytes } from 'node:crypto'
import { GatewayError, invalidInput, isGatewayError } from '../../errors/gateway-error.js'
import type { MailboxEntry } from '../../imap/types.js'
import type { FolderAttribute } from '../../store/folder-registry-store.js'
import { claimCreatedFolder } from './claim-folder.js'
import { nmsPathOf, parseNmsPath } from '../paths.js'
import { SERVER_ATTRIBUTES } from './attributes.js'
import { folderUrl, type FolderContext } from './context.js'
import { loadFolders } from './load.js'
import { folderIdFromUrl } from './lookup.js'
import { folderNameProblem } from './names.js'
import { isServerOnly } from './protection.js'
import type { NmsReference } from './representation.js'
import type { CreateFolderInput } from '../wire/folder.js'
import type { FolderNode, FolderTree } from './tree.js'

export type { CreateFolderInput }

/** Client attributes, refused when they try to set a server-maintained one or repeat a name. */
function clientAttributes (input: CreateFolderInput): FolderAttribute[] {
  const list = input.attributes?.attribute ?? []
  const seen = new Set<string>()
  for (const a of list) {
    const key = a.name.toLowerCase()
    if (SERVER_ATTRIBUTES.includes(key) || seen.has(key)) throw invalidInput('folder.attributes')
    seen.add(key)
  }
  return list.map((a) => ({ name: a.name, value: [...a.value] }))
}

function resolveParent (ctx: FolderContext, tree: FolderTree, input: CreateFolderInput): FolderNode {
  if ((input.parentFolder === undefined) === (input.parentFolderPath === undefined)) throw invalidInput('parentFolder')
  if (input.parentFolder !== undefined) {
    const id = folderIdFromUrl(ctx, input.parentFolder)
    const node = id === undefined ? undefined : tree.byId(id)
    if (node === undefined) throw invalidInput(input.parentFolder)
    return node
  }
  const path = input.parentFolderPath as string
  const segments = parseNmsPath(path)
  const node = segments === null ? undefined : tree.byPath(segments)
  if (node === undefined) throw invalidInput(path)
  return node
}

function generatedName (siblings: ReadonlySet<string>): string {
  for (;;) {
    const name = `Folder-${randomBytes(4).toString('hex')}`
    if (!siblings.has(name)) return name
  }
}

/**
 * IMAP CREATE. When it fails because a concurrent request created the same mailbox first
 * ([ALREADYEXISTS], RFC 5530), the answer is the sibling clash it is, not a server error.
 */
async function createMailbox (ctx: FolderContext, path: string): Promise<MailboxEntry> {
  try {
    return await ctx.imap.createMailbox(ctx.box, path)
  } catch (err) {
    if (!isGatewayError(err) || err.code !== 'GW_ERR_IMAP_FAILED') throw err
    const now = await ctx.imap.listMailboxes(ctx.box)
    if (now.some((m) => m.path === path)) throw invalidInput('folder.name', 'created concurrently')
    throw err
  }
}

/** Creates the folder; returns its reference (resourceURL and path). */
export async function createFolder (ctx: FolderContext, input: CreateFolderInput): Promise<Required<NmsReference>> {
  const attributes = clientAttributes(input)
  const tree = await loadFolders(ctx)
  if (input.name !== undefined) {
    const problem = folderNameProblem(input.name, tree.delimiter)
    if (problem !== undefined) throw invalidInput('folder.name', problem)
  }
  const parent = resolveParent(ctx, tree, input)
  if (isServerOnly(ctx.config, parent) && !ctx.serverScope) {
    throw new GatewayError('GW_ERR_FOLDER_CREATE_PROHIBITED', { variables: [parent.nmsPath] })
  }
  const siblings = new Set(tree.children(parent.id).map((c) => c.name))
  const name = input.name ?? generatedName(siblings)
  if (siblings.has(name)) throw invalidInput('folder.name', 'a sibling has this name')

  const entry = await createMailbox(ctx, [...parent.segments, name].join(tree.delimiter))
  const rec = await claimCreatedFolder(ctx, entry, attributes)
  return { resourceURL: folderUrl(ctx, rec.id), path: nmsPathOf(entry.segments) }
}
