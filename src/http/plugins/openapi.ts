/**
 * OpenAPI document generated from the route schemas (@fastify/swagger), served at
 * `GET /openapi.json`, with Swagger UI at `/docs`.
 */
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config/schema.js'
import { publicBaseUrl } from '../../nms/public-url.js'

async function openapiPlugin (app: FastifyInstance, opts: { config: Readonly<Config> }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'nms-imap-gateway',
        description: 'OMA RESTful Network API for Network Message Storage (NMS v1) on IMAP',
        version: '0.1.0'
      },
      servers: [{ url: publicBaseUrl(opts.config) }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }]
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}

export default fp(openapiPlugin, { name: 'nms-openapi', fastify: '5.x' })
