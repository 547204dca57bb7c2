/**
 * The one error class of the gateway. Code branches on `code`, never on `instanceof` across
 * module boundaries (style-and-layout.md section 5, rule 13).
 */
import { ERROR_CODES, type ErrorCode } from './codes.js'

export interface GatewayErrorOptions {
  /** Values for the `%n` placeholders of the catalogue text. */
  variables?: readonly string[]
  /** Extra `link` entries of the requestError (e.g. `rel: folder`). */
  links?: ReadonlyArray<{ rel: string, href: string }>
  /** Extra response headers (`Retry-After`, `Allow`, `WWW-Authenticate`). */
  headers?: Readonly<Record<string, string>>
  /** Detail for the log only; never sent to the client. */
  detail?: string
  cause?: unknown
}

export class GatewayError extends Error {
  readonly code: ErrorCode
  readonly statusCode: number
  readonly variables: readonly string[]
  readonly links: ReadonlyArray<{ rel: string, href: string }>
  readonly headers: Readonly<Record<string, string>>
  readonly detail: string | undefined

  constructor (code: ErrorCode, opts: GatewayErrorOptions = {}) {
    super(opts.detail ?? code, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'GatewayError'
    this.code = code
    this.statusCode = ERROR_CODES[code].status
    this.variables = opts.variables ?? []
    this.links = opts.links ?? []
    this.headers = opts.headers ?? {}
    this.detail = opts.detail
  }
}

/** True for a GatewayError, also one from another copy of this module. */
export function isGatewayError (err: unknown): err is GatewayError {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'GatewayError' &&
    typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code in ERROR_CODES
}

/** Shorthand for the most common error: a bad input part, named in `variables`. */
export function invalidInput (part: string, detail?: string): GatewayError {
  return new GatewayError('GW_ERR_INPUT_INVALID', { variables: [part], ...(detail === undefined ? {} : { detail }) })
}

/** Shorthand for 404 SVC0004. */
export function notFound (what: string, links?: ReadonlyArray<{ rel: string, href: string }>): GatewayError {
  return new GatewayError('GW_ERR_NOT_FOUND', { variables: [what], ...(links === undefined ? {} : { links }) })
}
