/**
 * The per-request context of the object routes: the same FolderContext the folder routes build
 * (the auth hook has set `request.box` and `request.principal`).
 */
import type { FastifyRequest } from 'fastify'
import type { AppDeps } from '../../../../app.js'
import { GatewayError } from '../../../../errors/gateway-error.js'
import type { FolderContext } from '../../../../nms/folders/context.js'
import { boxBaseUrl } from '../../../public-url.js'

/** The FolderContext of an object request. */
export function objectContext (deps: AppDeps, request: FastifyRequest): FolderContext {
  const box = request.box
  // The auth hook sets both on every NMS route; their absence is a wiring fault.
  if (box === null || request.principal === null) {
    throw new GatewayError('GW_ERR_INTERNAL', { variables: [request.id], detail: 'object route reached without the auth hook' })
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
