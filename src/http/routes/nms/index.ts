/**
 * The NMS resource tree under `/nms/v1/:storeName/:boxId`. The auth plugin runs first on every
 * route of this scope: it checks the storeName, verifies the Bearer token, resolves `acr:auth`
 * and authorizes the box and the route's OMA scope, leaving `request.box` for the handlers.
 */
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../../app.js'
import nmsAuth from '../../plugins/auth.js'
import folderRoutes from './folders/index.js'
import objectRoutes from './objects/index.js'

export default async function nmsRoutes (app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  await app.register(nmsAuth, { config: opts.deps.config, verifier: opts.deps.verifier })
  await app.register(folderRoutes, { deps: opts.deps })
  await app.register(objectRoutes, { deps: opts.deps })
}
