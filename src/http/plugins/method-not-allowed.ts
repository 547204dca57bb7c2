/**
 * 405 with an `Allow` header for every method a resource does not support
 * (nms-spec-digest.md section 0.5). `collectRoutes` must be registered before the route
 * plugins and `registerMethodNotAllowed` after them: the first records each URL's methods as
 * routes are added, the second adds one catch-all route per URL for the remaining methods.
 */
import type { FastifyInstance, HTTPMethods } from 'fastify'
import { GatewayError } from '../../errors/gateway-error.js'

const ALL_METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']

export interface RouteTable {
  /** URL pattern -> methods served (HEAD is implied by GET). */
  readonly methods: Map<string, Set<string>>
}

/** Starts recording routes added from now on. */
export function collectRoutes (app: FastifyInstance): RouteTable {
  const table: RouteTable = { methods: new Map() }
  app.addHook('onRoute', (route) => {
    if ((route.config as { methodNotAllowed?: boolean } | undefined)?.methodNotAllowed === true) return
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const set = table.methods.get(route.url) ?? new Set<string>()
    for (const m of methods) set.add(m.toUpperCase())
    table.methods.set(route.url, set)
  })
  return table
}

/** Adds the 405 routes for every recorded URL. */
export function registerMethodNotAllowed (app: FastifyInstance, table: RouteTable): void {
  for (const [url, served] of table.methods) {
    const missing = ALL_METHODS.filter((m) => !served.has(m))
    if (missing.length === 0) continue
    const allow = [...served].filter((m) => m !== 'HEAD').sort().join(', ')
    app.route({
      method: missing,
      url,
      config: { methodNotAllowed: true },
      schema: { hide: true },
      handler: async (request) => {
        throw new GatewayError('GW_ERR_METHOD_NOT_ALLOWED', { variables: [request.method], headers: { Allow: allow } })
      }
    })
  }
}
