/**
 * One delivery attempt of a notification (a JSON `nmsEventList` body, OMA NMS / Notification
 * Channel) to a subscriber's callback URL, over undici, mapped to what the caller must do next.
 *
 * The transport rules exist because the callback host is chosen by a client:
 * - the egress policy (`egress.ts`) is applied to the URL and again to every resolved address
 *   at connect time, so DNS rebinding cannot steer a connection to a private address;
 * - redirects are never followed (a 3xx could point anywhere, including back inside);
 * - each attempt is bounded in time (connect, headers, body and a wall-clock cap) and in how
 *   much of the response is read, and every response body is drained or destroyed so keep-alive
 *   sockets are neither leaked nor left half-read;
 * - network failures become outcomes, never exceptions, and no outcome echoes URL credentials.
 */
import { setImmediate } from 'node:timers/promises'
import { Agent, request } from 'undici'
import { EGRESS_REFUSED, guardedLookup, inspectCallbackUrl, type EgressPolicy, type LookupAll } from './egress.js'

/** What one attempt achieved; `reason` is one short sentence safe to log and show to the subscriber. */
export type DeliveryOutcome =
  /** 2xx: the subscriber has the notification. */
  | { kind: 'delivered', status: number }
  /** 404 or 410: the callback no longer exists; the subscription must expire. */
  | { kind: 'gone', status: number }
  /** 408, 429, 5xx, timeouts and connection errors: try again later, no sooner than `retryAfterMs`. */
  | { kind: 'retry', status?: number, retryAfterMs?: number, reason: string }
  /** Any other status (1xx, 3xx, other 4xx) or an egress refusal: retrying will not help. */
  | { kind: 'refused', status?: number, reason: string }

/** Options of a {@link CallbackClient}. */
export interface CallbackClientOptions {
  /** Lifts the egress address checks (lab setups and loopback tests only). */
  allowPrivate: boolean
  /** Upper bound of one attempt, from connect to the last byte read. */
  attemptTimeoutMs: number
  /** `User-Agent` request header; `nms-imap-gateway` by default. */
  userAgent?: string
  /** Name resolution (default: `dns.promises.lookup`); injectable for tests. */
  lookup?: LookupAll
}

/**
 * At most this much of a response body is read before the socket is destroyed instead of being
 * returned to the pool: the body is ignored, and a large one is cheaper to cut than to read.
 */
export const DRAIN_LIMIT_BYTES = 256 * 1024

/** Request headers the transport owns (framing and connection management, RFC 9110 / 9112). */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te', 'trailer'])

const REASON_EGRESS = 'the callback host resolves to a private or reserved address'

/** Abort reason of the wall-clock cap, told apart from every other failure. */
class AttemptTimeout extends Error {}

/**
 * Milliseconds from a `Retry-After` header, or undefined. Only delay-seconds (RFC 9110 section
 * 10.2.3: 1*DIGIT) counts; an HTTP-date is ignored on purpose (it trusts the subscriber's clock),
 * as is junk, and so are conflicting repeated fields.
 */
export function retryAfterMs (header: string | string[] | undefined): number | undefined {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header]
  const distinct = new Set(values.map((v) => v.trim()))
  const [value] = distinct
  if (distinct.size !== 1 || value === undefined || !/^\d+$/.test(value)) return undefined
  const ms = Number(value) * 1000
  // An absurd value still means "a long time"; the retry policy caps it.
  return Number.isSafeInteger(ms) ? ms : Number.MAX_SAFE_INTEGER
}

/**
 * POSTs notifications to callback URLs over one keep-alive undici `Agent`. Create one per
 * process (or per policy) and `close()` it on shutdown.
 */
export class CallbackClient {
  private readonly agent: Agent
  private readonly policy: EgressPolicy
  private readonly attemptTimeoutMs: number
  private readonly userAgent: string
  private closing: Promise<void> | undefined

  constructor (opts: CallbackClientOptions) {
    this.policy = { allowPrivate: opts.allowPrivate }
    this.attemptTimeoutMs = opts.attemptTimeoutMs
    this.userAgent = opts.userAgent ?? 'nms-imap-gateway'
    this.agent = new Agent({
      // Every new connection resolves through the guard: the vetted address is the connected one.
      connect: { lookup: guardedLookup(this.policy, opts.lookup), timeout: opts.attemptTimeoutMs },
      headersTimeout: opts.attemptTimeoutMs,
      bodyTimeout: opts.attemptTimeoutMs
    })
  }

  /**
   * One attempt: POST `body` (JSON) to `url` with the extra `headers`. Never throws for network
   * problems and never follows redirects (undici's `request` only does with a redirect
   * interceptor, which this agent does not compose).
   */
  async post (url: string, body: string, headers: Record<string, string> = {}): Promise<DeliveryOutcome> {
    // IP literal hosts never reach the connect-time lookup, so they are vetted here.
    const inspected = inspectCallbackUrl(url, this.policy)
    if (!inspected.ok) return { kind: 'refused', reason: inspected.reason }
    const target = inspected.url
    const requestHeaders = this.requestHeaders(target, headers)
    // Credentials travel in Authorization only, never in the request target.
    target.username = ''
    target.password = ''

    const controller = new AbortController()
    const timer = setTimeout(() => { controller.abort(new AttemptTimeout()) }, this.attemptTimeoutMs)
    try {
      let res: Awaited<ReturnType<typeof request>>
      try {
        res = await request(target, { dispatcher: this.agent, method: 'POST', headers: requestHeaders, body, signal: controller.signal })
      } catch (err) {
        return this.errorOutcome(err, controller.signal.aborted)
      }
      try {
        // Reads at most DRAIN_LIMIT_BYTES, then destroys the socket rather than reuse a half-read one.
        // (undici 7.30.2's Agent may then open an extra connection or two for that origin while
        // requests keep coming, nodejs/undici#5022; nothing leaks, and later undici fixes it.)
        await res.body.dump({ limit: DRAIN_LIMIT_BYTES, signal: controller.signal })
        // undici returns a drained keep-alive socket to the pool one event-loop turn later
        // (setImmediate in its HTTP/1.1 client); waiting that turn lets the caller's next
        // attempt reuse it instead of opening a second connection.
        await setImmediate()
      } catch {
        // The status already decided the outcome; only make sure the body is gone.
        res.body.destroy()
      }
      return statusOutcome(res.statusCode, res.headers['retry-after'])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Closes idle keep-alive sockets after in-flight attempts finish; safe to call twice. */
  async close (): Promise<void> {
    if (this.closing === undefined) this.closing = this.agent.close()
    await this.closing
  }

  private requestHeaders (target: URL, extra: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = { accept: '*/*', 'user-agent': this.userAgent }
    for (const [name, value] of Object.entries(extra)) {
      const key = name.toLowerCase()
      if (!RESERVED_HEADERS.has(key)) out[key] = value
    }
    // userinfo in an http(s) URL (RFC 3986 section 3.2.1) is sent the way curl does: as Basic
    // credentials (RFC 7617), unless the caller gave its own Authorization.
    if ((target.username !== '' || target.password !== '') && out['authorization'] === undefined) {
      const credentials = `${decode(target.username)}:${decode(target.password)}`
      out['authorization'] = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`
    }
    out['content-type'] = 'application/json'
    return out
  }

  /** Maps a failed request to an outcome from its error code only (messages may name hosts). */
  private errorOutcome (err: unknown, timedOut: boolean): DeliveryOutcome {
    const timeout: DeliveryOutcome = { kind: 'retry', reason: `the callback did not answer within ${this.attemptTimeoutMs} ms` }
    if (timedOut || err instanceof AttemptTimeout) return timeout
    const code = errorCode(err)
    switch (code) {
      case EGRESS_REFUSED:
        return { kind: 'refused', reason: REASON_EGRESS }
      case 'UND_ERR_CONNECT_TIMEOUT':
      case 'UND_ERR_HEADERS_TIMEOUT':
      case 'UND_ERR_BODY_TIMEOUT':
      case 'ETIMEDOUT':
        return timeout
      case 'ECONNREFUSED':
        return { kind: 'retry', reason: 'the callback host refused the connection' }
      case 'ECONNRESET':
      case 'EPIPE':
      case 'UND_ERR_SOCKET':
        return { kind: 'retry', reason: 'the callback host closed the connection unexpectedly' }
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'EAI_FAIL':
      case 'EAI_NODATA':
      case 'EAI_NONAME':
        return { kind: 'retry', reason: 'the callback host name could not be resolved' }
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
      case 'EHOSTDOWN':
      case 'ENETDOWN':
        return { kind: 'retry', reason: 'the callback host is unreachable' }
      case 'UND_ERR_INVALID_ARG':
      case 'ERR_INVALID_CHAR':
      case 'ERR_INVALID_ARG_VALUE':
        // A header value the caller supplied cannot be sent; resending it will not help.
        return { kind: 'refused', reason: 'the callback request could not be built from the given headers' }
      case 'UND_ERR_CLOSED':
      case 'UND_ERR_DESTROYED':
        return { kind: 'retry', reason: 'the delivery client is shutting down' }
      default:
        if (code !== undefined && /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_)/.test(code)) {
          return { kind: 'retry', reason: 'the TLS handshake with the callback host failed' }
        }
        return { kind: 'retry', reason: 'the callback could not be reached because of a network error' }
    }
  }
}

/** Outcome of a response by its status (RFC 9110 section 15). */
function statusOutcome (status: number, retryAfter: string | string[] | undefined): DeliveryOutcome {
  if (status >= 200 && status <= 299) return { kind: 'delivered', status }
  if (status === 404 || status === 410) return { kind: 'gone', status }
  if (status === 408 || status === 429 || (status >= 500 && status <= 599)) {
    const reason = `the callback answered with status ${status}`
    const after = retryAfterMs(retryAfter)
    return after === undefined ? { kind: 'retry', status, reason } : { kind: 'retry', status, retryAfterMs: after, reason }
  }
  if (status >= 300 && status <= 399) {
    return { kind: 'refused', status, reason: `the callback answered with redirect status ${status}, and redirects are not followed` }
  }
  return { kind: 'refused', status, reason: `the callback answered with status ${status}` }
}

/** `code` of an error, of its `cause`, or of the first error of an AggregateError (autoSelectFamily). */
function errorCode (err: unknown): string | undefined {
  const codeOf = (e: unknown): string | undefined => {
    const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined
    return typeof code === 'string' ? code : undefined
  }
  if (codeOf(err) !== undefined) return codeOf(err)
  if (err instanceof Error && codeOf(err.cause) !== undefined) return codeOf(err.cause)
  if (err instanceof AggregateError) return codeOf(err.errors[0])
  return undefined
}

/** Percent-decodes a userinfo part; a malformed escape is sent as written. */
function decode (part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}
