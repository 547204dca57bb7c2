/**
 * Folder policies from configuration (issue 2 item 9; nms-spec-digest.md section 6.2):
 *
 * - protected (POL1030, GW_ERR_FOLDER_PROTECTED): INBOX, every `folders.protected` path, and any
 *   folder whose subtree holds one of them (deleting or renaming the parent would take the
 *   protected folder with it);
 * - server-only (POL1031, GW_ERR_FOLDER_CREATE_PROHIBITED): a `folders.serverOnly` folder and
 *   everything below it accept new folders only from server-scope tokens (the spec's `/Default`,
 *   written by the CPM Participating Function alone, digest 7.1).
 */
import type { Config } from '../../config/schema.js'
import { parseNmsPath, sameSegments } from '../paths.js'
import type { FolderNode, FolderTree } from './tree.js'

function configuredPaths (paths: readonly string[]): string[][] {
  return paths.map((p) => parseNmsPath(p)).filter((s): s is string[] => s !== null)
}

/** True when `prefix` is `segments` or one of its ancestors. */
function isPrefix (prefix: readonly string[], segments: readonly string[]): boolean {
  return prefix.length <= segments.length && sameSegments(prefix, segments.slice(0, prefix.length))
}

/** True when renaming or deleting `node` must be refused with POL1030. */
export function isProtected (config: Readonly<Config>, tree: FolderTree, node: FolderNode): boolean {
  const guarded = [['INBOX'], ...configuredPaths(config.folders.protected)]
  return tree.subtree(node.id).some((n) => guarded.some((g) => sameSegments(g, n.segments)))
}

/** True when `node` is a configured server-only folder or lies below one. */
export function isServerOnly (config: Readonly<Config>, node: FolderNode): boolean {
  return configuredPaths(config.folders.serverOnly).some((p) => isPrefix(p, node.segments))
}

/** True when a folder at `segments` (existing or about to be created) is server-only. */
export function isServerOnlyPath (config: Readonly<Config>, segments: readonly string[]): boolean {
  return configuredPaths(config.folders.serverOnly).some((p) => isPrefix(p, segments))
}
