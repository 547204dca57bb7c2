/**
 * The per-request context of every NMS operation: the adapters, the authorized box, whether
 * the caller has the server scope, and the box's absolute base URL. The auth hook
 * (src/http/plugins/auth.ts) has set `request.box` and `request.principal` on every NMS route.
 */
import type { FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app-deps.js'
import { GatewayError } from '../../../errors/gateway-error.js'
import type { FolderContext } from '../../../nms/folders/context.js'
import { boxBaseUrl } from '../../../nms/public-url.js'

/** The FolderContext of an NMS request. */
export function nmsContext (deps: AppDeps, request: FastifyRequest): FolderContext {
  const box = request.box
  // Their absence means a route was registered outside the auth hook's scope: a wiring fault.
  if (box === null || request.principal === null) {
    throw new GatewayError('GW_ERR_INTERNAL', { variables: [request.id], detail: `${request.url} reached without the auth hook` })
  }
  return {
    config: deps.config,
    imap: deps.imap,
    store: deps.store,
    box,
    serverScope: request.principal.server,
    boxUrl: boxBaseUrl(deps.config, box.boxId)
  }
}
