/**
 * Reading ids back out of the absolute URLs the gateway hands out (references in request bodies:
 * `parentFolder`, `searchScope`, `targetRef`, `objectReference`, ...).
 */
import type { BoxAccess } from '../imap/types.js'

/**
 * The id a URL names when it is `{box URL}/{collection}/{id}` for this box. Scheme and host are
 * not compared (clients behind proxies see other hosts, and client profile 1.1 rewrites http to
 * https); the boxId segment may be the box itself or `acr:auth`. Relative URLs are resolved
 * against the box URL. The reserved literal `operations` is never an id (digest 0.2).
 */
export function resourceIdFromUrl (
  ctx: { boxUrl: string, box: BoxAccess },
  url: string,
  collection: 'folders' | 'objects'
): string | undefined {
  let given: URL
  let own: URL
  try {
    given = new URL(url, `${ctx.boxUrl}/`)
    own = new URL(ctx.boxUrl)
  } catch {
    return undefined
  }
  const segs = given.pathname.replace(/\/+$/, '').split('/')
  const ownSegs = own.pathname.split('/')
  const id = decodeSegment(segs[segs.length - 1] ?? '')
  if (id === undefined || id === '' || id === 'operations' || segs[segs.length - 2] !== collection) return undefined
  const prefix = segs.slice(0, -2)
  if (prefix.length !== ownSegs.length) return undefined
  const ok = prefix.every((s, i) => {
    const theirs = decodeSegment(s)
    if (i === prefix.length - 1) return theirs === ctx.box.boxId || theirs === 'acr:auth'
    return decodeSegment(ownSegs[i] as string) === theirs
  })
  return ok ? id : undefined
}

function decodeSegment (s: string): string | undefined {
  try {
    return decodeURIComponent(s)
  } catch {
    return undefined
  }
}
