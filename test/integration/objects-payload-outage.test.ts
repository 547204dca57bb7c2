/**
 * A payload download whose IMAP session dies mid-stream (issue 3 item 4): the HTTP response is
 * cut off (never completed as if it were whole), the gateway does not crash, and the next
 * request is served normally. The session is killed with `doveadm kick` while the HTTP client
 * holds the stream paused, so the IMAP side is still mid-transfer.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { imapUserOf, startTestEnv, type TestEnv } from '../helpers/env.js'
import { kickUser } from '../helpers/kick.js'
import { call, seed } from './objects-read-helpers.js'

const BOX = 'tel:+15550003104'

describe('payload stream interrupted by IMAP', () => {
  let env: TestEnv
  let port: number

  before(async () => {
    env = await startTestEnv({ boxes: [BOX] })
    await env.gateway.app.listen({ host: '127.0.0.1', port: 0 })
    port = (env.gateway.app.server.address() as AddressInfo).port
  })
  after(async () => { await env?.close() })

  it('cuts the response off and keeps serving', async () => {
    // 24 MiB of body: far more than the socket buffers between Dovecot and the paused client.
    const line = 'x'.repeat(998) + '\r\n'
    const raw = `From: tel:+15557654321\r\nTo: ${BOX}\r\nSubject: big\r\nContent-Type: application/octet-stream\r\n\r\n${line.repeat(24 * 1024)}`
    const s = await seed(env, BOX, 'INBOX', raw)
    const headers = await env.auth(BOX)
    const result = await new Promise<{ status: number, received: number, complete: boolean }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: `${env.base(BOX)}/objects/${s.id}/payload`, headers }, (res) => {
        let received = 0
        res.once('data', (chunk: Buffer) => {
          received += chunk.length
          res.pause()
          kickUser(env.dovecot, imapUserOf(BOX)).then(() => {
            setTimeout(() => res.resume(), 300)
          }, reject)
          res.on('data', (c: Buffer) => { received += c.length })
        })
        res.on('error', () => undefined)
        res.on('close', () => resolve({ status: res.statusCode ?? 0, received, complete: res.complete }))
      })
      req.on('error', reject)
    })
    assert.equal(result.status, 200)
    assert.ok(result.received > 0)
    assert.ok(result.received < raw.length, `received ${result.received} of ${raw.length}`)
    assert.equal(result.complete, false, 'a cut-off payload must not look complete')

    // The gateway is still up and opens a new session.
    const again = await call(env, BOX, 'GET', `/objects/${s.id}`)
    assert.equal(again.status, 200)
  })
})
