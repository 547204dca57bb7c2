/**
 * What every folder operation needs: the adapters, the box, who is asking, and where the box's
 * resources live. Built per request by the route layer (src/http/routes/nms/folders).
 */
import type { Config } from '../../config/schema.js'
import type { ImapPort, BoxAccess } from '../../imap/types.js'
import type { Store } from '../../store/store.js'

/** Per-request inputs of every folder operation. */
export interface FolderContext {
  config: Readonly<Config>
  imap: ImapPort
  store: Store
  box: BoxAccess
  /** True for a server-scope token: may create under `folders.serverOnly` folders (POL1031). */
  serverScope: boolean
  /** Absolute base URL of the box, boxId percent-encoded: `{public}/nms/v1/{storeName}/{boxId}`. */
  boxUrl: string
}

/** Absolute URL of a folder. */
export function folderUrl (ctx: Pick<FolderContext, 'boxUrl'>, folderId: string): string {
  return `${ctx.boxUrl}/folders/${encodeURIComponent(folderId)}`
}

/** Absolute URL of an object. */
export function objectUrl (ctx: Pick<FolderContext, 'boxUrl'>, objectId: string): string {
  return `${ctx.boxUrl}/objects/${encodeURIComponent(objectId)}`
}
