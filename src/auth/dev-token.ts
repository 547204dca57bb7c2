/**
 * Development tokens: HS256 JWTs signed with `NMS_AUTH_HS256_SECRET`, as printed by the demo
 * command. Lives in auth/ because only this folder imports jose (architecture.md section 2).
 * Production deployments verify tokens from an identity provider and never mint their own.
 */
import { SignJWT, type JWTPayload } from 'jose'

/** What {@link signDevToken} puts in the token besides the caller's claims. */
export interface DevTokenOptions {
  /** Lifetime in seconds. @defaultValue 86400 (24 h) */
  expiresInSeconds?: number
}

/**
 * Signs an HS256 JWT with `iat` and `exp` set.
 *
 * @param secret - the shared secret (the same text as `NMS_AUTH_HS256_SECRET`)
 * @param claims - payload claims, e.g. `{ sub: 'tel:+15551234567', scope: 'oma_rest_nms.all_v1' }`
 * @returns the compact JWS
 */
export async function signDevToken (secret: string, claims: JWTPayload, opts: DevTokenOptions = {}): Promise<string> {
  const lifetime = opts.expiresInSeconds ?? 86_400
  return await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(`${lifetime}s`)
    .sign(new TextEncoder().encode(secret))
}
