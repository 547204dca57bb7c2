/**
 * Folder attributes (nms-spec-digest.md section 7.1, Appendices J and K):
 *
 * - always: `Name` (read-only mirror of `name`), `Root` = `Yes` on top-level folders, `Date`
 *   (when the gateway first saw the folder; IMAP keeps no creation date), then the attributes the
 *   client gave at creation;
 * - only when named in `attrFilter` (costly, R11): `MsgCount`, `UnreadMsgCount`, `Size` from
 *   STATUS MESSAGES / UNSEEN / SIZE (RFC 3501 section 6.3.10, RFC 8438), and their `Subtree*`
 *   sums over the folder and everything below it.
 */
import type { StatusItem } from '../../imap/types.js'
import type { FolderAttribute } from '../../store/folder-registry-store.js'
import type { FolderNode, FolderTree } from './tree.js'

/** The attributes returned only when named in `attrFilter`, in output order. */
export const COSTLY_ATTRIBUTES = ['MsgCount', 'UnreadMsgCount', 'Size', 'SubtreeMsgCount', 'SubtreeUnreadMsgCount', 'SubtreeSize'] as const
/** One of {@link COSTLY_ATTRIBUTES}. */
export type CostlyAttribute = typeof COSTLY_ATTRIBUTES[number]

/** Attribute names the server maintains; a client may not set them (R10). */
export const SERVER_ATTRIBUTES = ['Name', 'Root', 'Date', ...COSTLY_ATTRIBUTES].map((n) => n.toLowerCase())

const STATUS_OF: Record<CostlyAttribute, 'messages' | 'unseen' | 'size'> = {
  MsgCount: 'messages',
  UnreadMsgCount: 'unseen',
  Size: 'size',
  SubtreeMsgCount: 'messages',
  SubtreeUnreadMsgCount: 'unseen',
  SubtreeSize: 'size'
}

/** The costly attributes named in `attrFilter` (names are case-insensitive; others ignored). */
export function parseAttrFilter (names: readonly string[] | undefined): Set<CostlyAttribute> {
  const out = new Set<CostlyAttribute>()
  for (const raw of names ?? []) {
    // `attrFilter=A,B` is accepted as well as the repeated form.
    for (const name of raw.split(',')) {
      const hit = COSTLY_ATTRIBUTES.find((c) => c.toLowerCase() === name.trim().toLowerCase())
      if (hit !== undefined) out.add(hit)
    }
  }
  return out
}

/** STATUS items needed for `costly`. */
export function statusItemsFor (costly: ReadonlySet<CostlyAttribute>): StatusItem[] {
  return [...new Set([...costly].map((c) => STATUS_OF[c]))]
}

function countOf (node: FolderNode, item: 'messages' | 'unseen' | 'size'): number | undefined {
  if (!node.selectable) return 0
  return node.status?.[item]
}

function costlyValue (tree: FolderTree, node: FolderNode, attr: CostlyAttribute): number | undefined {
  const item = STATUS_OF[attr]
  if (!attr.startsWith('Subtree')) return countOf(node, item)
  let sum = 0
  for (const n of tree.subtree(node.id)) {
    const v = countOf(n, item)
    if (v === undefined) return undefined
    sum += v
  }
  return sum
}

/** Every attribute of a folder, in a stable order. */
export function folderAttributes (
  tree: FolderTree,
  node: FolderNode,
  costly: ReadonlySet<CostlyAttribute> = new Set()
): FolderAttribute[] {
  const out: FolderAttribute[] = [{ name: 'Name', value: [node.name] }]
  if (node.root) out.push({ name: 'Root', value: ['Yes'] })
  out.push({ name: 'Date', value: [node.firstSeen] })
  for (const a of node.attributes) out.push({ name: a.name, value: [...a.value] })
  for (const attr of COSTLY_ATTRIBUTES) {
    if (!costly.has(attr)) continue
    const v = costlyValue(tree, node, attr)
    // A server without STATUS=SIZE (RFC 8438) cannot say; leaving the attribute out says so.
    if (v !== undefined) out.push({ name: attr, value: [String(v)] })
  }
  return out
}
