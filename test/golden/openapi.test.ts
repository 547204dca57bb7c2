/**
 * The OpenAPI document (issue 2 item 10; style-and-layout.md rules 21-23) as the real app serves
 * it (built without servers: test/helpers/offline-app.ts): every folders endpoint is described,
 * every NMS operation has an operationId, tags, a bearer requirement and a success response
 * schema, and the operational routes need no token.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { buildOfflineApp, type OfflineApp } from '../helpers/offline-app.js'

interface Operation {
  operationId?: string
  tags?: string[]
  security?: Array<Record<string, string[]>>
  parameters?: Array<{ in: string, name: string, required?: boolean }>
  responses?: Record<string, { content?: unknown }>
}
interface OpenApiDoc {
  openapi: string
  servers: Array<{ url: string }>
  security: Array<Record<string, string[]>>
  components: { securitySchemes: Record<string, { type: string, scheme?: string }> }
  paths: Record<string, Record<string, Operation>>
}

const NMS = '/nms/v1/{storeName}/{boxId}'

/** The folders endpoints of issue 2 item 9 (nms-spec-digest.md R10 to R14). */
const FOLDER_OPERATIONS = [
  `post ${NMS}/folders/operations/search`,
  `get ${NMS}/folders/operations/pathToId`,
  `post ${NMS}/folders/operations/pathToId`,
  `post ${NMS}/folders`,
  `get ${NMS}/folders/{folderId}`,
  `delete ${NMS}/folders/{folderId}`,
  `get ${NMS}/folders/{folderId}/folderName`,
  `put ${NMS}/folders/{folderId}/folderName`
]

describe('OpenAPI document', () => {
  let offline: OfflineApp
  let doc: OpenApiDoc
  let operations: Array<[string, Operation]>

  before(async () => {
    // The route table is all the document needs: no Dovecot, no Redis.
    offline = await buildOfflineApp()
    const res = await offline.app.inject({ method: 'GET', url: '/openapi.json' })
    assert.equal(res.statusCode, 200)
    doc = res.json()
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]): [string, Operation] => [`${method} ${path}`, op]))
  })
  after(async () => { await offline.close() })

  it('is OpenAPI 3 with the public URL and a bearer scheme', () => {
    assert.match(doc.openapi, /^3\./)
    assert.deepEqual(doc.servers, [{ url: 'https://nms.test.example' }])
    assert.deepEqual(doc.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    assert.deepEqual(doc.security, [{ bearer: [] }])
  })

  it('lists every folders endpoint', () => {
    const listed = operations.map(([key]) => key)
    for (const op of FOLDER_OPERATIONS) assert.ok(listed.includes(op), `${op} missing from:\n${listed.join('\n')}`)
  })

  it('gives every NMS operation an operationId, tags, the bearer requirement and a success schema', () => {
    const nms = operations.filter(([key]) => key.split(' ')[1]?.startsWith(`${NMS}/`))
    assert.ok(nms.length >= FOLDER_OPERATIONS.length)
    for (const [key, op] of nms) {
      assert.match(op.operationId ?? '', /^[a-z][A-Za-z]+$/, `${key}: operationId`)
      assert.ok((op.tags ?? []).length > 0, `${key}: tags`)
      assert.equal(op.security, undefined, `${key}: inherits the document-wide bearer requirement`)
      const names = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)
      assert.ok(names.includes('storeName') && names.includes('boxId'), `${key}: path parameters`)
      const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status))
      assert.ok(success.length > 0, `${key}: a 2xx response`)
      for (const [status, response] of success) {
        if (status !== '204') assert.ok(response.content !== undefined, `${key}: ${status} has a schema`)
      }
    }
  })

  it('has unique operationIds', () => {
    const ids = operations.map(([, op]) => op.operationId).filter((id) => id !== undefined)
    assert.equal(new Set(ids).size, ids.length, ids.join(', '))
  })

  it('describes /healthz and /readyz as needing no token, and hides the 405 catch-alls', () => {
    for (const path of ['/healthz', '/readyz']) {
      const op = doc.paths[path]?.get
      assert.ok(op !== undefined, path)
      assert.deepEqual(op.security, [], `${path} needs no token`)
      assert.deepEqual(op.tags, ['operations'])
    }
    // PATCH is supported nowhere; the 405 routes registered for it must not be documented.
    assert.ok(!operations.some(([key]) => key.startsWith('patch ')), 'no PATCH operations')
  })

  it('serves Swagger UI at /docs', async () => {
    const res = await offline.app.inject({ method: 'GET', url: '/docs' })
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /swagger-ui/i)
  })
})
