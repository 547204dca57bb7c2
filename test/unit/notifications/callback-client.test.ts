/**
 * One callback delivery attempt against local node:http servers: status mapping, Retry-After,
 * redirects never followed, response bodies drained (keep-alive reuse) or cut at the cap,
 * timeouts, connection errors, and the egress policy applied at connect time.
 */
import { after, afterEach, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CallbackClient, DRAIN_LIMIT_BYTES, retryAfterMs, type CallbackClientOptions, type DeliveryOutcome } from '../../../src/notifications/dispatch/callback-client.js'
import { checkCallbackUrl, type LookupAll } from '../../../src/notifications/dispatch/egress.js'

/** One request as the server saw it; `socket` is the client's port, one per TCP connection. */
interface Seen { method: string, path: string, headers: IncomingHttpHeaders, body: string, socket: number }
type Route = (req: IncomingMessage, res: ServerResponse) => void

interface CallbackServer {
  port: number
  url(path: string): string
  /** Requests received so far, in order. */
  requests: Seen[]
  /** TCP connections accepted so far. */
  connections(): number
  hits(path: string): number
  close(): Promise<void>
}

/** A callback endpoint on 127.0.0.1; unknown paths answer 204, '/hang' never answers. */
async function startServer (routes: Record<string, Route>): Promise<CallbackServer> {
  const requests: Seen[] = []
  let connections = 0
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = req.url ?? ''
      requests.push({ method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), socket: req.socket.remotePort ?? 0 })
      if (path === '/hang') return
      const route = routes[path]
      if (route === undefined) res.writeHead(204).end()
      else route(req, res)
    })
  })
  server.on('connection', () => { connections++ })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    connections: () => connections,
    hits: (path) => requests.filter((r) => r.path === path).length,
    async close () {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** A loopback port nothing listens on. */
async function closedPort (): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address() as AddressInfo
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}

/** Resolves every name to `address`, counting queries. */
function mapTo (address: string): LookupAll & { count: () => number } {
  let n = 0
  const fn: LookupAll = async () => { n++; return [{ address, family: 4 }] }
  return Object.assign(fn, { count: () => n })
}

const NOTIFICATION = JSON.stringify({ notificationList: [{ nmsEventList: { nmsEvent: [{ resourceURL: 'https://gw.example/nms/v1/x', changedObject: {} }] } }] })
const big = (bytes: number): Buffer => Buffer.alloc(bytes, 'x')
const LARGE = 192 * 1024
const HUGE = 1024 * 1024
/** Every network test is bounded, whatever the client does. */
const T = { timeout: 4000 }

describe('CallbackClient.post', () => {
  let srv: CallbackServer
  const clients: CallbackClient[] = []
  function client (opts: Partial<CallbackClientOptions> = {}): CallbackClient {
    const c = new CallbackClient({ allowPrivate: true, attemptTimeoutMs: 2000, ...opts })
    clients.push(c)
    return c
  }

  before(async () => {
    srv = await startServer({
      '/ok': (_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}') },
      // Larger than undici buffers for an unread body (so only draining frees the socket), under the cap.
      '/large': (_req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }).end(big(LARGE)) },
      '/huge': (_req, res) => { res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(HUGE) }).end(big(HUGE)) },
      // One byte every 50 ms: never idle long enough for bodyTimeout, so only the wall-clock cap ends it.
      '/trickle-body': (_req, res) => {
        res.writeHead(200, { 'content-length': '10000' }) // under the drain cap
        const timer = setInterval(() => res.write('x'), 50)
        res.on('close', () => { clearInterval(timer) })
      },
      '/redirect': (_req, res) => { res.writeHead(302, { location: srv.url('/target') }).end() },
      '/moved': (_req, res) => { res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end() },
      '/not-found': (_req, res) => { res.writeHead(404).end('no such callback') },
      '/gone': (_req, res) => { res.writeHead(410).end() },
      '/unavailable': (_req, res) => { res.writeHead(503, { 'retry-after': '7' }).end('later') },
      '/unavailable-no-header': (_req, res) => { res.writeHead(503).end() },
      '/throttled-date': (_req, res) => { res.writeHead(429, { 'retry-after': 'Wed, 21 Oct 2037 07:28:00 GMT' }).end() },
      '/throttled': (_req, res) => { res.writeHead(429, { 'retry-after': '3' }).end() },
      '/error': (_req, res) => { res.writeHead(500).end('boom') },
      '/req-timeout': (_req, res) => { res.writeHead(408).end() },
      '/bad-request': (_req, res) => { res.writeHead(400).end() },
      '/unauthorized': (_req, res) => { res.writeHead(401, { 'www-authenticate': 'Bearer' }).end() },
      '/forbidden': (_req, res) => { res.writeHead(403).end() },
      '/conflict': (_req, res) => { res.writeHead(409).end() }
    })
  })
  afterEach(async () => { await Promise.all(clients.splice(0).map(async (c) => { await c.close() })) }, T)
  after(async () => { await srv.close() }, T)

  it('204 is delivered; the POST carries the JSON body and the headers', T, async () => {
    const before = srv.requests.length
    const out = await client({ userAgent: 'nms-test/1' }).post(srv.url('/cb?sub=1'), NOTIFICATION, { 'X-Nms-Subscription': 'sub-1', 'Content-Type': 'text/plain', 'Content-Length': '1' })
    assert.deepEqual(out, { kind: 'delivered', status: 204 })
    const seen = srv.requests.slice(before)
    assert.equal(seen.length, 1)
    const req = seen[0]
    assert.ok(req !== undefined)
    assert.equal(req.method, 'POST')
    assert.equal(req.path, '/cb?sub=1')
    assert.equal(req.body, NOTIFICATION)
    assert.equal(req.headers['content-type'], 'application/json')
    assert.equal(req.headers['content-length'], String(Buffer.byteLength(NOTIFICATION)))
    assert.equal(req.headers.accept, '*/*')
    assert.equal(req.headers['user-agent'], 'nms-test/1')
    assert.equal(req.headers['x-nms-subscription'], 'sub-1')
  })

  it('drains a large 200 body so the next attempt reuses the keep-alive connection', T, async () => {
    assert.ok(LARGE < DRAIN_LIMIT_BYTES && HUGE > DRAIN_LIMIT_BYTES)
    const c = client()
    const before = srv.connections()
    assert.deepEqual(await c.post(srv.url('/large'), NOTIFICATION), { kind: 'delivered', status: 200 })
    assert.deepEqual(await c.post(srv.url('/ok'), NOTIFICATION), { kind: 'delivered', status: 200 })
    assert.deepEqual(await c.post(srv.url('/large'), NOTIFICATION), { kind: 'delivered', status: 200 })
    assert.equal(srv.connections() - before, 1, 'three attempts, one socket')
    assert.equal(new Set(srv.requests.slice(-3).map((r) => r.socket)).size, 1)
  })

  it('cuts a body beyond the drain cap: delivered, and that socket is not reused', T, async () => {
    const c = client()
    const before = srv.requests.length
    const started = Date.now()
    assert.deepEqual(await c.post(srv.url('/huge'), NOTIFICATION), { kind: 'delivered', status: 200 })
    assert.deepEqual(await c.post(srv.url('/ok'), NOTIFICATION), { kind: 'delivered', status: 200 })
    const [huge, next] = srv.requests.slice(before)
    assert.ok(huge !== undefined && next !== undefined)
    // Server connection counts are not asserted here: undici 7.30.2's Agent may open extra
    // connections after a destroyed one (nodejs/undici#5022); the point is only that the cut
    // socket is not handed out again.
    assert.notEqual(next.socket, huge.socket, 'the over-long response cost its socket')
    assert.ok(Date.now() - started < 1500)
  })

  it('a body that trickles after the status line does not hold the attempt beyond its timeout', T, async () => {
    const started = Date.now()
    const out = await client({ attemptTimeoutMs: 300 }).post(srv.url('/trickle-body'), NOTIFICATION)
    const took = Date.now() - started
    assert.deepEqual(out, { kind: 'delivered', status: 200 }, 'the status decided the outcome')
    assert.ok(took >= 250 && took < 1500, `took ${took} ms`)
  })

  it('never follows a redirect: 302 is refused and the Location target gets no request', T, async () => {
    const out = await client().post(srv.url('/redirect'), NOTIFICATION)
    assert.equal(out.kind, 'refused')
    assert.equal(out.kind === 'refused' ? out.status : 0, 302)
    assert.match(out.kind === 'refused' ? out.reason : '', /302/)
    const moved = await client().post(srv.url('/moved'), NOTIFICATION)
    assert.equal(moved.kind === 'refused' ? moved.status : 0, 301)
    // No wait needed: a followed redirect reaches the server before post() settles, and the
    // server counts a request as soon as its body has arrived.
    assert.equal(srv.hits('/target'), 0)
  })

  it('404 and 410 mean the callback is gone', T, async () => {
    const c = client()
    assert.deepEqual(await c.post(srv.url('/not-found'), NOTIFICATION), { kind: 'gone', status: 404 })
    assert.deepEqual(await c.post(srv.url('/gone'), NOTIFICATION), { kind: 'gone', status: 410 })
  })

  it('503 with Retry-After: 7 is a retry after 7000 ms', T, async () => {
    assert.deepEqual(await client().post(srv.url('/unavailable'), NOTIFICATION), {
      kind: 'retry', status: 503, retryAfterMs: 7000, reason: 'the callback answered with status 503'
    })
  })

  it('429 honours delay-seconds and ignores an HTTP-date Retry-After', T, async () => {
    const c = client()
    const dated = await c.post(srv.url('/throttled-date'), NOTIFICATION)
    assert.equal(dated.kind, 'retry')
    assert.equal(dated.kind === 'retry' ? dated.status : 0, 429)
    assert.ok(!('retryAfterMs' in dated), 'an HTTP-date is not a delay')
    assert.deepEqual(await c.post(srv.url('/throttled'), NOTIFICATION), { kind: 'retry', status: 429, retryAfterMs: 3000, reason: 'the callback answered with status 429' })
  })

  it('408, 500 and a 503 without Retry-After are retries without a delay hint', T, async () => {
    const c = client()
    for (const [path, status] of [['/req-timeout', 408], ['/error', 500], ['/unavailable-no-header', 503]] as const) {
      assert.deepEqual(await c.post(srv.url(path), NOTIFICATION), { kind: 'retry', status, reason: `the callback answered with status ${status}` })
    }
  })

  it('400, 401, 403 and 409 are refused with the status', T, async () => {
    const c = client()
    for (const [path, status] of [['/bad-request', 400], ['/unauthorized', 401], ['/forbidden', 403], ['/conflict', 409]] as const) {
      assert.deepEqual(await c.post(srv.url(path), NOTIFICATION), { kind: 'refused', status, reason: `the callback answered with status ${status}` })
    }
  })

  it('a callback that never answers is a retry (timeout) after about attemptTimeoutMs', T, async () => {
    const started = Date.now()
    const out = await client({ attemptTimeoutMs: 300 }).post(srv.url('/hang'), NOTIFICATION)
    const took = Date.now() - started
    assert.deepEqual(out, { kind: 'retry', reason: 'the callback did not answer within 300 ms' })
    assert.ok(took >= 250 && took < 1500, `took ${took} ms`)
  })

  it('a refused connection is a retry', T, async () => {
    const port = await closedPort()
    assert.deepEqual(await client().post(`http://127.0.0.1:${port}/cb`, NOTIFICATION), { kind: 'retry', reason: 'the callback host refused the connection' })
  })

  it('a host name that does not resolve is a retry', T, async () => {
    const notFound: LookupAll = async () => { throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }) }
    const out = await client({ allowPrivate: false, lookup: notFound }).post('http://nowhere.invalid/cb', NOTIFICATION)
    assert.deepEqual(out, { kind: 'retry', reason: 'the callback host name could not be resolved' })
  })

  it('sends URL credentials as Basic auth and never echoes them in a reason', T, async () => {
    const before = srv.requests.length
    assert.deepEqual(await client().post(`http://alice:s%40cret@127.0.0.1:${srv.port}/cb`, NOTIFICATION), { kind: 'delivered', status: 204 })
    const seen = srv.requests[before]
    assert.equal(seen?.headers.authorization, `Basic ${Buffer.from('alice:s@cret').toString('base64')}`)
    assert.equal(seen?.path, '/cb')
    const port = await closedPort()
    const outcomes: DeliveryOutcome[] = [
      await client().post(`http://alice:s3cret@127.0.0.1:${port}/cb`, NOTIFICATION),
      await client().post(`http://alice:s3cret@127.0.0.1:${srv.port}/redirect`, NOTIFICATION),
      await client({ attemptTimeoutMs: 200 }).post(`http://alice:s3cret@127.0.0.1:${srv.port}/hang`, NOTIFICATION),
      await client({ allowPrivate: false }).post('http://alice:s3cret@10.0.0.1/cb', NOTIFICATION),
      await client().post('ftp://alice:s3cret@127.0.0.1/cb', NOTIFICATION)
    ]
    assert.deepEqual(outcomes.map((o) => o.kind), ['retry', 'refused', 'retry', 'refused', 'refused'])
    for (const o of outcomes) assert.doesNotMatch(o.kind === 'retry' || o.kind === 'refused' ? o.reason : '', /alice|s3cret/)
  })

  it('refuses non-http schemes and private literals without connecting', T, async () => {
    const before = srv.connections()
    const strict = client({ allowPrivate: false })
    assert.deepEqual(await client().post(`ftp://127.0.0.1:${srv.port}/cb`, NOTIFICATION), { kind: 'refused', reason: 'the callback URL must use http or https' })
    for (const url of [srv.url('/cb'), `http://[::ffff:127.0.0.1]:${srv.port}/cb`, `http://0x7f.1:${srv.port}/cb`]) {
      assert.deepEqual(await strict.post(url, NOTIFICATION), { kind: 'refused', reason: 'the callback host is a private or reserved address' }, url)
    }
    assert.equal(srv.connections(), before)
  })

  it('refuses at connect time a host name that resolves to 127.0.0.1', T, async () => {
    const before = srv.connections()
    const lookup = mapTo('127.0.0.1')
    const out = await client({ allowPrivate: false, lookup }).post(`http://callback.example.test:${srv.port}/cb`, NOTIFICATION)
    assert.deepEqual(out, { kind: 'refused', reason: 'the callback host resolves to a private or reserved address' })
    assert.ok(lookup.count() >= 1, 'the connect went through the guarded lookup')
    assert.equal(srv.connections(), before, 'no connection was opened')
    // The same name and lookup deliver when private callbacks are allowed: the lookup is what connects.
    assert.deepEqual(await client({ allowPrivate: true, lookup }).post(`http://callback.example.test:${srv.port}/cb`, NOTIFICATION), { kind: 'delivered', status: 204 })
    assert.equal(srv.connections(), before + 1)
  })

  it('catches DNS rebinding: vetted as public at subscription time, refused when delivering', T, async () => {
    const before = srv.connections()
    let answers = 0
    const rebinding: LookupAll = async () => [{ address: answers++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }]
    const url = `http://rebind.example.test:${srv.port}/cb`
    assert.deepEqual(await checkCallbackUrl(url, { allowPrivate: false }, rebinding), { ok: true })
    const out = await client({ allowPrivate: false, lookup: rebinding }).post(url, NOTIFICATION)
    assert.deepEqual(out, { kind: 'refused', reason: 'the callback host resolves to a private or reserved address' })
    assert.equal(answers, 2)
    assert.equal(srv.connections(), before)
  })

  it('does not throw after close: the attempt is a retry', T, async () => {
    const c = client()
    await c.close()
    const out = await c.post(srv.url('/ok'), NOTIFICATION)
    assert.equal(out.kind, 'retry')
  })

  it('a header value that cannot be sent is refused, not thrown', T, async () => {
    const out = await client().post(srv.url('/ok'), NOTIFICATION, { 'x-bad': 'a\r\nInjected: yes' })
    assert.deepEqual(out, { kind: 'refused', reason: 'the callback request could not be built from the given headers' })
  })
})

describe('retryAfterMs', () => {
  it('reads delay-seconds only', () => {
    assert.equal(retryAfterMs('7'), 7000)
    assert.equal(retryAfterMs(' 120 '), 120_000)
    assert.equal(retryAfterMs('0'), 0)
    assert.equal(retryAfterMs('007'), 7000)
    assert.equal(retryAfterMs(['5', '5']), 5000)
  })
  it('ignores HTTP-dates, junk, conflicting repeats and a missing header', () => {
    for (const v of ['Wed, 21 Oct 2037 07:28:00 GMT', '-1', '1.5', '7s', '', '0x10', '1e3', 'Infinity']) assert.equal(retryAfterMs(v), undefined, v)
    assert.equal(retryAfterMs(['5', '6']), undefined)
    assert.equal(retryAfterMs([]), undefined)
    assert.equal(retryAfterMs(undefined), undefined)
  })
  it('keeps an absurdly long delay finite', () => {
    assert.equal(retryAfterMs('9'.repeat(400)), Number.MAX_SAFE_INTEGER)
  })
})
