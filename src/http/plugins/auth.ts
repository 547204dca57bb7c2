/**
 * The NMS auth hook (architecture.md section 7; style-and-layout.md rule 22). Registered inside
 * the `/nms/v1/:storeName/:boxId` scope, it runs on every NMS route before anything else:
 *
 * 1. `Authorization: Bearer <JWT>` (see src/auth/bearer-token.ts for the deployed-client
 *    variants) -> 401 SVC2003 with `WWW-Authenticate: Bearer realm="nms"` when missing;
 * 2. token verification -> 401 SVC2003 `invalid_token` when it fails;
 * 3. `storeName` must be the configured one -> 404 SVC0004 (checked after authentication, so an
 *    unauthenticated caller cannot probe store names);
 * 4. the box: `acr:auth`, own box, or any box with the server scope -> 403 POL2003;
 * 5. the route's OMA scope (`config.omaScope`, default by method) -> 403 POL2003.
 *
 * On success the handlers find `request.principal` and `request.box`.
 */
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Config } from '../../config/schema.js'
import type { OmaScope, Principal } from '../../auth/types.js'
import type { BoxAccess } from '../../imap/types.js'
import type { TokenVerifier } from '../../auth/verify-token.js'
import { bearerToken } from '../../auth/bearer-token.js'
import { tokenMissing } from '../../auth/auth-errors.js'
import { assertOmaScope, requiredOmaScope, resolveBox } from '../../auth/authorize.js'
import { notFound } from '../../errors/gateway-error.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** OMA NMS scope the route needs (nms-spec-digest.md section 0.4); default by method. */
    omaScope?: OmaScope
  }
  interface FastifyRequest {
    /** The verified caller; set by the auth hook on every NMS route. */
    principal: Principal | null
    /** The authorized box and the credentials to reach it; set by the auth hook. */
    box: BoxAccess | null
  }
}

/** Options of the auth plugin. */
export interface NmsAuthOptions {
  config: Readonly<Config>
  verifier: TokenVerifier
}

interface NmsParams {
  storeName?: string
  boxId?: string
}

async function nmsAuth (app: FastifyInstance, opts: NmsAuthOptions): Promise<void> {
  const { config, verifier } = opts
  app.decorateRequest('principal', null)
  app.decorateRequest('box', null)

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization)
    if (token === undefined) {
      throw tokenMissing(request.headers.authorization === undefined ? 'no Authorization header' : 'unusable Authorization header')
    }
    const principal = await verifier.verify(token)
    const params = request.params as NmsParams
    if (params.storeName !== config.nms.storeName) throw notFound('storeName')
    const boxId = resolveBox(principal, params.boxId ?? '')
    assertOmaScope(principal, requiredOmaScope(request.method, request.routeOptions.config.omaScope))
    request.principal = principal
    request.box = { boxId, accessToken: token }
  })
}

export default fp(nmsAuth, { name: 'nms-auth', fastify: '5.x' })
