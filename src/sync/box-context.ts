/**
 * The FolderContext of background work on a box (syncs, replays, notifications): no request
 * and no caller token. IMAP logins then use the master-user modes (authzid, separator); in
 * `oauthbearer` mode there is no credential to log in with, which is why subscriptions are
 * refused in that mode (src/notifications/subscriptions.ts).
 */
import type { Config } from '../config/schema.js'
import type { ImapPort } from '../imap/types.js'
import type { FolderContext } from '../nms/folders/context.js'
import { boxBaseUrl } from '../nms/public-url.js'
import type { Store } from '../store/store.js'

export interface BackgroundDeps {
  config: Readonly<Config>
  imap: ImapPort
  store: Store
}

export function backgroundContext (deps: BackgroundDeps, boxId: string): FolderContext {
  return {
    config: deps.config,
    imap: deps.imap,
    store: deps.store,
    box: { boxId },
    serverScope: true,
    boxUrl: boxBaseUrl(deps.config, boxId)
  }
}
