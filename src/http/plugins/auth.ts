/**
 * The NMS auth hook (architecture.md section 7; style-and-layout.md rule 22). Registered inside
 * the `/nms/v1/:storeName/:boxId` scope (and, as `kind: 'nc'`, inside the Notification Channel
 * scope `/notificationchannel/v1/:userId`, with the same Bearer tokens), it runs on every route
 * before anything else:
 *
 * 1. `Authorization: Bearer <JWT>` (see src/auth/bearer-token.ts for the deployed-client
 *    variants) -> 401 SVC2003 with `WWW-Authenticate: Bearer realm="nms"` when missing;
 * 2. token verification -> 401 SVC2003 `invalid_token` when it fails;
 * 3. `storeName` must be the configured one -> 404 SVC0004 (checked after authentication, so an
 *    unauthenticated caller cannot probe store names);
 * 4. the box: `acr:auth`, own box, or any box with the server scope -> 403 POL2003;
 * 5. the route's OMA scope (`config.omaScope`, default by method; for the Notification Channel
 *    the `oma_rest_notificationchannel` scopes) -> 403 POL2003.
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
import { assertChannelScope, assertOmaScope, requiredOmaScope, resolveBox } from '../../auth/authorize.js'
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
  /** `nms` (default): `:storeName/:boxId` and NMS scopes; `nc`: `:userId` and channel scopes. */
  kind?: 'nms' | 'nc'
}

interface NmsParams {
  storeName?: string
  boxId?: string
  userId?: string
}

async function nmsAuth (app: FastifyInstance, opts: NmsAuthOptions): Promise<void> {
  const { config, verifier } = opts
  const nc = opts.kind === 'nc'
  app.decorateRequest('principal', null)
  app.decorateRequest('box', null)

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization)
    if (token === undefined) {
      throw tokenMissing(request.headers.authorization === undefined ? 'no Authorization header' : 'unusable Authorization header')
    }
    const principal = await verifier.verify(token)
    const params = request.params as NmsParams
    if (!nc && params.storeName !== config.nms.storeName) throw notFound('storeName')
    const boxId = resolveBox(principal, (nc ? params.userId : params.boxId) ?? '')
    if (nc) assertChannelScope(principal)
    else assertOmaScope(principal, requiredOmaScope(request.method, request.routeOptions.config.omaScope))
    request.principal = principal
    request.box = { boxId, accessToken: token }
  })
}

export default fp(nmsAuth, { name: 'nms-auth', fastify: '5.x' })
/** The same hook for the Notification Channel scope, registered under its own name. */
export const channelAuth = fp(nmsAuth, { name: 'nc-auth', fastify: '5.x' })
