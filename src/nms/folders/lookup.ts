/**
 * Finding the folder a request names, and the errors when it does not exist.
 */
import { GatewayError, notFound } from '../../errors/gateway-error.js'
import { folderUrl, type FolderContext } from './context.js'
import type { FolderNode, FolderTree } from './tree.js'

/** 404 SVC0004 for an unknown folder, with `link rel="folder"` (nms-spec-digest.md R11). */
export function folderNotFound (ctx: FolderContext, folderId: string): GatewayError {
  return notFound('Request-URI', [{ rel: 'folder', href: folderUrl(ctx, folderId) }])
}

/** The folder with `folderId`, or 404. */
export function requireFolder (ctx: FolderContext, tree: FolderTree, folderId: string): FolderNode {
  const node = tree.byId(folderId)
  if (node === undefined) throw folderNotFound(ctx, folderId)
  return node
}

/**
 * The folderId a folder URL names, when it is a folder URL of this box: `.../{storeName}/{boxId}/folders/{id}`.
 * Scheme and host are not compared (clients behind proxies see other hosts); the boxId may be the
 * box itself or `acr:auth`. Relative URLs are resolved against the box URL.
 */
export function folderIdFromUrl (ctx: FolderContext, url: string): string | undefined {
  let given: URL
  let own: URL
  try {
    given = new URL(url, `${ctx.boxUrl}/`)
    own = new URL(ctx.boxUrl)
  } catch {
    return undefined
  }
  const decode = (s: string): string | undefined => {
    try { return decodeURIComponent(s) } catch { return undefined }
  }
  const segs = given.pathname.replace(/\/+$/, '').split('/')
  const ownSegs = own.pathname.split('/')
  const id = decode(segs[segs.length - 1] ?? '')
  if (id === undefined || id === '' || id === 'operations' || segs[segs.length - 2] !== 'folders') return undefined
  const prefix = segs.slice(0, -2)
  if (prefix.length !== ownSegs.length) return undefined
  const ok = prefix.every((s, i) => {
    const mine = decode(ownSegs[i] as string)
    const theirs = decode(s)
    if (i === prefix.length - 1) return theirs === ctx.box.boxId || theirs === 'acr:auth'
    return mine === theirs
  })
  return ok ? id : undefined
}
