import { test } from 'node:test'
import { startTestEnv } from '/work/main/test/helpers/env.js'
test('openapi', async () => {
  const env = await startTestEnv({ noRedis: true })
  try {
    const r = await env.gateway.app.inject({ method: 'GET', url: '/openapi.json' })
    const doc = JSON.parse(r.body)
    for (const [p, ops] of Object.entries<any>(doc.paths)) if (p.includes('folders')) for (const [m, op] of Object.entries<any>(ops)) console.log(r.statusCode, m, p, op.operationId, op.tags, Object.keys(op.responses))
  } finally { await env.close() }
})
