/**
 * Redis failures as gateway errors: a command that fails because Redis is unreachable becomes
 * 503 GW_ERR_STORE_UNAVAILABLE with Retry-After, so requests answer instead of hanging.
 */
import { GatewayError } from '../errors/gateway-error.js'

export function storeUnavailable (err: unknown): GatewayError {
  return new GatewayError('GW_ERR_STORE_UNAVAILABLE', { variables: ['state store'], headers: { 'Retry-After': '5' }, detail: (err as Error).message, cause: err })
}

/** Runs a Redis call, turning connection failures into 503 GW_ERR_STORE_UNAVAILABLE. */
export async function guarded<T> (fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    throw storeUnavailable(err)
  }
}
