/**
 * Every route of the app is either operational (/healthz, /readyz, /metrics, the OpenAPI document
 * and Swagger UI) or behind the Bearer auth hook: a request without `Authorization` answers 401
 * with the requestError SVC2003 (OMA NMS v1, section 5.4; RFC 6750 section 3). The one exception
 * is a method the resource does not support, which answers 405 with `Allow` (the catch-alls of
 * src/http/plugins/method-not-allowed.ts, registered outside the auth scope), and only for the
 * methods `Allow` leaves out. The table is read from the app itself, so a route added without
 * the hook fails here.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import { buildOfflineApp, type OfflineApp } from '../../helpers/offline-app.js'

/** The operational routes: the only ones anyone may call without a token. */
const OPERATIONAL = [/^\/healthz$/, /^\/readyz$/, /^\/metrics$/, /^\/openapi\.json$/, /^\/docs(\/.*|\*)?$/]
const PROTECTED = /^\/(nms|notificationchannel)\/v1\//
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const

interface RouteRow { url: string, methods: string[] }

/**
 * The routes of `printRoutes({ commonPrefix: false })`: one tree line per node, four characters
 * of indentation per level, each node's text appended to its parent's.
 */
function routeTable (printed: string): RouteRow[] {
  const rows: RouteRow[] = []
  const stack: string[] = []
  for (const line of printed.split('\n')) {
    if (line.trim() === '') continue
    const m = /^((?:│ {3}| {4})*)[├└]── (\S+) \(([A-Z, ]+)\)$/.exec(line)
    assert.ok(m !== null, `unexpected printRoutes line: ${JSON.stringify(line)}`)
    const [, indent = '', part = '', methods = ''] = m
    const depth = [...indent].length / 4
    stack.length = depth
    const url = (stack[depth - 1] ?? '') + part
    stack.push(url)
    rows.push({ url, methods: methods.split(', ') })
  }
  return rows
}

/** A concrete URL for a route pattern. */
function concrete (pattern: string): string {
  return pattern
    .replace(':storeName', 'base')
    .replace(':boxId', encodeURIComponent('tel:+15550000001'))
    .replace(':userId', encodeURIComponent('tel:+15550000001'))
    .replace(/:[A-Za-z]+/g, 'x1')
    .replace('*', 'x')
}

function messageId (res: LightMyRequestResponse): string | undefined {
  const body = res.json() as { requestError?: Record<string, { messageId?: string }> }
  return Object.values(body.requestError ?? {})[0]?.messageId
}

describe('route table: authentication', () => {
  let offline: OfflineApp
  let routes: RouteRow[]

  before(async () => {
    offline = await buildOfflineApp()
    routes = routeTable(offline.app.printRoutes({ commonPrefix: false }))
  })
  after(async () => { await offline.close() })

  it('reads the whole table', () => {
    const urls = routes.map((r) => r.url)
    for (const url of ['/healthz', '/nms/v1/:storeName/:boxId/objects/:objectId/payloadParts/:partId',
      '/notificationchannel/v1/:userId/channels/:channelId/notifications']) {
      assert.ok(urls.includes(url), `${url} missing from:\n${urls.join('\n')}`)
    }
  })

  it('has no routes but the operational ones outside /nms/v1/ and /notificationchannel/v1/', () => {
    const outside = routes.map((r) => r.url).filter((url) => !PROTECTED.test(url))
    const unexpected = outside.filter((url) => !OPERATIONAL.some((re) => re.test(url)))
    assert.deepEqual(unexpected, [], 'routes outside auth that are not operational')
  })

  it('answers 401 SVC2003 without a token on every NMS and channel route, 405 only for methods Allow leaves out', async () => {
    const guarded = routes.filter((r) => PROTECTED.test(r.url))
    assert.ok(guarded.length >= 20, `only ${guarded.length} protected routes found`)
    for (const route of guarded) {
      const url = concrete(route.url)
      const unauthorized: string[] = []
      let allow: string | undefined
      for (const method of METHODS) {
        const res = await offline.app.inject({ method, url })
        const what = `${method} ${route.url}`
        if (res.statusCode === 405) {
          allow = String(res.headers.allow)
          assert.ok(!allow.split(', ').includes(method), `${what}: 405 for a method Allow lists (${allow})`)
          continue
        }
        assert.equal(res.statusCode, 401, `${what} answered without a token: ${res.statusCode} ${res.body}`)
        assert.match(String(res.headers['www-authenticate']), /^Bearer /, `${what}: challenge`)
        if (method !== 'HEAD') assert.equal(messageId(res), 'SVC2003', `${what}: ${res.body}`)
        unauthorized.push(method)
      }
      assert.ok(unauthorized.length > 0, `${route.url}: no method behind auth`)
      if (allow !== undefined) {
        // Every method a 405 does not refuse is one the resource serves, and is behind auth.
        const served = unauthorized.filter((m) => m !== 'HEAD').sort().join(', ')
        assert.equal(served, allow, `${route.url}: methods answering 401 vs. Allow`)
      }
    }
  })

  it('serves the operational routes without a token', async () => {
    for (const url of ['/healthz', '/metrics', '/openapi.json', '/docs']) {
      const res = await offline.app.inject({ method: 'GET', url })
      assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 200)}`)
    }
    // /readyz asks IMAP, which this app cannot reach: 503, still not 401.
    assert.equal((await offline.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503)
  })
})
