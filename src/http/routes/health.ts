/**
 * Operational endpoints, outside NMS auth: `/healthz` answers while
 * the process is up; `/readyz` only when Redis and the IMAP server answer; `/metrics` serves
 * Prometheus text.
 *
 * Wrapped in fastify-plugin so the timing hook lands on the root instance and measures every
 * route, the NMS ones included; an encapsulated plugin would only time its own three routes.
 */
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import { Counter, Registry, collectDefaultMetrics, Histogram } from 'prom-client'
import type { ImapPort } from '../../imap/types.js'
import type { BackgroundErrors } from '../../logging/background-errors.js'
import type { Store } from '../../store/store.js'
import { isGatewayError } from '../../errors/gateway-error.js'

const CheckResult = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Optional(Type.Record(Type.String(), Type.String()))
})

/** OpenAPI: these routes override the document-wide bearer requirement (no token needed). */
const NO_AUTH: Array<Record<string, string[]>> = []

/** What the checks talk to. */
export interface HealthDeps {
  imap: ImapPort
  store: Store
  /** Failures of background work, exported as `nms_background_errors_total`. */
  backgroundErrors: BackgroundErrors
}

async function healthRoutes (app: FastifyInstance, opts: HealthDeps): Promise<void> {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'nms_' })
  const duration = new Histogram({
    name: 'nms_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry]
  })
  const backgroundErrors = opts.backgroundErrors
  // eslint-disable-next-line no-new -- registered with the registry, read through collect()
  new Counter({
    name: 'nms_background_errors_total',
    help: 'Failures of background work nothing awaits (syncs, bus messages, leases, delivery loops), by operation',
    labelNames: ['operation'],
    registers: [registry],
    collect () {
      this.reset()
      for (const [operation, n] of backgroundErrors.totals()) this.inc({ operation }, n)
    }
  })
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL, keeps label cardinality bounded (box ids never become labels).
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) }
    duration.observe(labels, reply.elapsedTime / 1000)
  })

  app.get('/healthz', {
    schema: { tags: ['operations'], operationId: 'healthz', security: NO_AUTH, response: { 200: CheckResult } }
  }, async () => ({ status: 'ok' as const }))

  app.get('/readyz', {
    schema: { tags: ['operations'], operationId: 'readyz', security: NO_AUTH, response: { 200: CheckResult, 503: CheckResult } }
  }, async (_request, reply) => {
    const checks: Record<string, string> = {}
    const [redis, imap] = await Promise.allSettled([opts.store.ping(), opts.imap.ping()])
    checks.store = redis.status === 'fulfilled' ? `ok (${opts.store.kind})` : describe(redis.reason)
    checks.imap = imap.status === 'fulfilled' ? 'ok' : describe(imap.reason)
    const ok = redis.status === 'fulfilled' && imap.status === 'fulfilled'
    if (!ok) reply.code(503).header('Retry-After', '5')
    return { status: ok ? 'ok' as const : 'unavailable' as const, checks }
  })

  app.get('/metrics', { schema: { tags: ['operations'], operationId: 'metrics', security: NO_AUTH, hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType)
    return await registry.metrics()
  })
}

function describe (reason: unknown): string {
  if (isGatewayError(reason)) return `unavailable: ${reason.detail ?? reason.code}`
  return `unavailable: ${reason instanceof Error ? reason.message : String(reason)}`
}

export default fp(healthRoutes, { name: 'nms-health', fastify: '5.x' })
