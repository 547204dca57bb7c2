/**
 * Operational endpoints (architecture.md section 9, issue 2 item 10): liveness, readiness that
 * follows the real Dovecot and Redis going down and coming back, and Prometheus metrics.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { eventually } from '../helpers/eventually.js'

const BOX = 'tel:+15550000042'

interface Readiness { status: string, checks?: Record<string, string> }

describe('health, readiness and metrics', () => {
  let env: TestEnv
  before(async () => {
    // Short IMAP timeouts so a stopped server is noticed at once.
    env = await startTestEnv({ boxes: [BOX], config: { imap: { connectTimeoutSeconds: 2, commandTimeoutSeconds: 5 } } })
  })
  after(async () => { await env.close() })

  async function readyz (): Promise<LightMyRequestResponse> {
    return await env.gateway.app.inject({ method: 'GET', url: '/readyz' })
  }

  /** Polls /readyz until it answers `status` (reconnects are asynchronous), at most `ms`. */
  async function readyzUntil (status: number, ms = 15_000): Promise<LightMyRequestResponse> {
    return await eventually(`/readyz to answer ${status}`, async () => {
      const res = await readyz()
      assert.equal(res.statusCode, status, res.body)
      return res
    }, { timeoutMs: ms, intervalMs: 100 })
  }

  function assertUnavailable (res: LightMyRequestResponse, failing: 'imap' | 'store'): void {
    assert.equal(res.statusCode, 503, res.body)
    assert.match(String(res.headers['retry-after']), /^\d+$/, 'integer Retry-After')
    const body = res.json() as Readiness
    assert.equal(body.status, 'unavailable')
    assert.match(body.checks?.[failing] ?? '', /^unavailable/, res.body)
    const other = failing === 'imap' ? 'store' : 'imap'
    assert.match(body.checks?.[other] ?? '', /^ok/, res.body)
  }

  it('GET /healthz answers 200 without a token', async () => {
    const res = await env.gateway.app.inject({ method: 'GET', url: '/healthz' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { status: 'ok' })
  })

  it('GET /readyz answers 200 when Dovecot and Redis are up', async () => {
    const res = await readyz()
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), { status: 'ok', checks: { store: 'ok (redis)', imap: 'ok' } })
  })

  it('GET /readyz answers 503 with Retry-After while Dovecot is stopped, 200 again after restart', async () => {
    await env.dovecot.stop()
    try {
      assertUnavailable(await readyz(), 'imap')
      const health = await env.gateway.app.inject({ method: 'GET', url: '/healthz' })
      assert.equal(health.statusCode, 200, 'liveness does not depend on IMAP')
    } finally {
      await env.dovecot.start()
    }
    const res = await readyzUntil(200)
    assert.equal(res.statusCode, 200, res.body)
  })

  it('GET /readyz answers 503 with Retry-After while Redis is stopped, 200 again after restart', async () => {
    const redis = env.redis
    assert.ok(redis !== undefined)
    await redis.stop()
    try {
      assertUnavailable(await readyzUntil(503), 'store')
    } finally {
      await redis.start()
    }
    const res = await readyzUntil(200)
    assert.equal(res.statusCode, 200, res.body)
  })

  it('GET /metrics serves Prometheus text with request durations of every route', async () => {
    const search = await env.gateway.app.inject({
      method: 'POST',
      url: `${env.base(BOX)}/folders/operations/search`,
      headers: await env.auth(BOX),
      payload: { selectionCriteria: { maxEntries: 10, searchCriteria: { criterion: [{ type: 'Attribute', name: 'Root', value: 'Yes' }] } } }
    })
    assert.equal(search.statusCode, 200, search.body)
    await env.gateway.app.inject({ method: 'GET', url: '/healthz' })

    const res = await env.gateway.app.inject({ method: 'GET', url: '/metrics' })
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/)
    assert.match(res.body, /^# TYPE nms_http_request_duration_seconds histogram$/m)
    const counts = res.body.split('\n').filter((l) => l.startsWith('nms_http_request_duration_seconds_count{'))
    assert.ok(counts.some((l) => /^\S+\{method="GET",route="\/healthz",status="200"\} [1-9]\d*$/.test(l)), counts.join('\n'))
    // Labelled by route pattern, so NMS routes are timed too and box ids never become labels.
    const searchRoute = '/nms/v1/:storeName/:boxId/folders/operations/search'
    assert.ok(counts.includes(`nms_http_request_duration_seconds_count{method="POST",route="${searchRoute}",status="200"} 1`),
      counts.join('\n'))
    assert.ok(!res.body.includes('15550000042'), 'no box id in labels')
    assert.match(res.body, /^nms_process_cpu_seconds_total /m, 'default process metrics')
  })

  it('GET /metrics counts failures of background work by operation', async () => {
    env.gateway.notifications.errors.report('bus publish', new Error('redis down'), { boxId: BOX })
    env.gateway.notifications.errors.report('bus publish', new Error('redis down'), { boxId: BOX })
    const res = await env.gateway.app.inject({ method: 'GET', url: '/metrics' })
    assert.match(res.body, /^# TYPE nms_background_errors_total counter$/m)
    assert.match(res.body, /^nms_background_errors_total\{operation="bus publish"\} 2$/m)
  })
})
