/**
 * Builds the fastify application from already-constructed adapters. Never listens: `server.ts`
 * does that, tests use `app.inject()`. Plugins are registered in a fixed order:
 *
 * 1. error handler (every error becomes an NMS requestError, unknown routes 404 SVC0004);
 * 2. body parsing (JSON that tolerates an empty body, as deployed clients send on flag PUT);
 * 3. OpenAPI generation, which must see every route added after it;
 * 4. route recording for 405 handling;
 * 5. operational routes (/healthz, /readyz, /metrics) outside NMS auth;
 * 6. the NMS tree under `/nms/v1/:storeName/:boxId`, and the Notification Channel tree under
 *    `/notificationchannel/v1/:userId`, each behind the auth hook;
 * 7. the 405 catch-alls for everything recorded in 4.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { AppDeps } from './http/app-deps.js'
import errorHandler, { sendGatewayError, toGatewayError } from './http/plugins/error-handler.js'
import jsonBody from './http/plugins/json-body.js'
import openapi from './http/plugins/openapi.js'
import { collectRoutes, registerMethodNotAllowed } from './http/plugins/method-not-allowed.js'
import healthRoutes from './http/routes/health.js'
import nmsRoutes from './http/routes/nms/index.js'
import channelRoutes from './http/routes/nc/index.js'

export async function buildApp (deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: config.http.maxBodyBytes,
    trustProxy: config.http.trustProxy,
    requestTimeout: config.http.requestTimeoutSeconds * 1000,
    // Box ids (`tel:+1...`) and flag names (`\Seen`) arrive percent-encoded in path segments.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
    genReqId: () => crypto.randomUUID(),
    // URLs the router cannot even decode (broken percent-encoding) never reach setErrorHandler;
    // render them as NMS errors too.
    frameworkErrors: (error, request, reply) => {
      sendGatewayError(reply, toGatewayError(error, String(request.id)))
    }
  })

  await app.register(errorHandler)
  await app.register(jsonBody)
  await app.register(openapi, { config })
  const routes = collectRoutes(app)
  await app.register(healthRoutes, { imap: deps.imap, store: deps.store, backgroundErrors: deps.notifications.errors })
  await app.register(nmsRoutes, { prefix: '/nms/v1/:storeName/:boxId', deps })
  await app.register(channelRoutes, { prefix: '/notificationchannel/v1/:userId', deps })
  registerMethodNotAllowed(app, routes)
  return app
}
