/**
 * The NMS resource tree under `/nms/v1/:storeName/:boxId`. The auth plugin runs first on every
 * route of this scope: it checks the storeName, verifies the Bearer token, resolves `acr:auth`
 * and authorizes the box and the route's OMA scope, leaving `request.box` for the handlers.
 */
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app-deps.js'
import nmsAuth from '../../plugins/auth.js'
import folderRoutes from './folders/index.js'
import objectRoutes from './objects/index.js'
import subscriptionRoutes from './subscriptions/index.js'
import { forgetFolders } from '../../../nms/folders/tree-cache.js'

export default async function nmsRoutes (app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  await app.register(nmsAuth, { config: opts.deps.config, verifier: opts.deps.verifier })
  // Object operations resolve ids with a short-lived folder-tree cache; whatever this instance
  // changed must be visible to its next request (src/nms/folders/tree-cache.ts).
  // onSend runs before the response leaves, so the client's next request cannot outrun it.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.box !== null) {
      forgetFolders({ imap: opts.deps.imap, box: request.box })
      // What this request changed is notified like any other change (NOTIFY would report it
      // too, about half a second later); searches and failed requests change nothing.
      const url = request.routeOptions.url ?? ''
      if (reply.statusCode < 400 && !url.endsWith('/operations/search') && !url.includes('/subscriptions')) {
        opts.deps.notifications.changed(request.box.boxId)
      }
    }
    return payload
  })
  await app.register(folderRoutes, { deps: opts.deps })
  await app.register(objectRoutes, { deps: opts.deps })
  await app.register(subscriptionRoutes, { deps: opts.deps })
}
