/**
 * The objects resource family (nms-spec-digest.md R1-R9, R-X1, R-X2): one encapsulated plugin
 * per concern, registered here in a fixed order.
 */
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../../app-deps.js'
import bulkRoutes from './bulk.js'
import createRoutes from './create.js'
import readRoutes from './read.js'
import searchRoutes from './search.js'

export default async function objectRoutes (app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  // Each concern registers itself below: await app.register(x, { deps: opts.deps })
  await app.register(createRoutes, { deps: opts.deps })
  await app.register(bulkRoutes, { deps: opts.deps })
  await app.register(searchRoutes, { deps: opts.deps })
  await app.register(readRoutes, { deps: opts.deps })
}
