/**
 * The request of copyToFolder / moveToFolder (nms-spec-digest.md R15, R16): `targetSourceRef`
 * with the target folder and the source folders and objects. Resolving the target is
 * all-or-nothing (an unknown target fails the whole request with 404 SVC0004, a server-only
 * target under a user token with 403 POL1031, digest R16); sources are judged one by one.
 */
import { STATUS_CODES } from 'node:http'
import { GatewayError, isGatewayError, notFound } from '../../errors/gateway-error.js'
import { toFailure } from '../../errors/to-nms-body.js'
import { folderUrl, type FolderContext } from './context.js'
import { folderIdFromUrl } from './lookup.js'
import type { BulkItemResponse } from '../wire/bulk.js'
import { isServerOnly } from './protection.js'
import type { NmsReference } from './representation.js'
import type { FolderNode, FolderTree } from './tree.js'
import type { TargetSourceRef } from '../wire/folder.js'

export type { TargetSourceRef }

/** Copy creates new resources; move relocates them. */
export type TransferMode = 'copy' | 'move'

/**
 * The target folder. A URL that names no folder of this box is 404 SVC0004 with a `folder`
 * link, like an unknown folder in the Request-URI (digest R11).
 */
export function resolveTarget (ctx: FolderContext, tree: FolderTree, url: string): FolderNode {
  const id = folderIdFromUrl(ctx, url)
  const node = id === undefined ? undefined : tree.byId(id)
  if (node === undefined) throw notFound('targetRef', [{ rel: 'folder', href: url }])
  // A copy or move creates something under the target, which a server-only folder refuses to
  // user tokens (digest R16; the same rule as POST /folders).
  if (isServerOnly(ctx.config, node) && !ctx.serverScope) {
    throw new GatewayError('GW_ERR_FOLDER_CREATE_PROHIBITED', { variables: [folderUrl(ctx, node.id)] })
  }
  return node
}

/** A successful bulk item. */
export function okItem (success: NmsReference): BulkItemResponse {
  return { code: 200, reason: 'OK', success }
}

/** A failed bulk item from the error it failed with. */
export function failedItem (err: GatewayError): BulkItemResponse {
  return { code: err.statusCode, reason: STATUS_CODES[err.statusCode] ?? 'Error', failure: toFailure(err) }
}

/**
 * Errors that say nothing about one item but about the whole request (IMAP unreachable, the
 * box's login refused, Redis down): they abort the request instead of failing one item.
 */
export function isRequestWide (err: unknown): boolean {
  return !isGatewayError(err) || ['GW_ERR_IMAP_UNAVAILABLE', 'GW_ERR_IMAP_LOGIN_REFUSED', 'GW_ERR_STORE_UNAVAILABLE', 'GW_ERR_INTERNAL'].includes(err.code)
}

/** Runs one item: its error becomes its failure, unless the error is request-wide. */
export async function perItem (run: () => Promise<BulkItemResponse>): Promise<BulkItemResponse> {
  try {
    return await run()
  } catch (err) {
    if (isRequestWide(err) || !isGatewayError(err)) throw err
    return failedItem(err)
  }
}
