/**
 * The objects resource family (nms-spec-digest.md R1-R9, R-X1, R-X2): one encapsulated plugin
 * per concern, registered here in a fixed order.
 */
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../../../app.js'

export default async function objectRoutes (_app: FastifyInstance, _opts: { deps: AppDeps }): Promise<void> {
  // Each concern registers itself below: await app.register(x, { deps: opts.deps })
}
