/**
 * Streaming payloads from the real Dovecot: a 5 MB message is streamed in partial FETCHes
 * without the process holding it whole, and a stream destroyed mid-way gives its pooled
 * session back (architecture.md section 10: payloads are never buffered whole).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createHash, randomBytes } from 'node:crypto'
import pino from 'pino'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { createImapPort } from '../../src/imap/create-imap-port.js'
import type { ImapPort } from '../../src/imap/types.js'
import { base64Lines, collect, sha256 } from './imap-messages-helpers.js'

const BOX = { boxId: 'tel:+15550005002' }
const MB = 1024 * 1024

// A GC handle without --expose-gc on the command line, to measure what is really retained.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/**
 * Median of the samples: V8 releases external (Buffer) memory lazily, so a single sample can
 * spike by a few MB; a buffering implementation would keep every sample above the message size.
 */
function median (samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

function retained (): number {
  gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

describe('ImapPort streaming', () => {
  let env: TestEnv
  let port: ImapPort
  const attachment = randomBytes(4 * MB)
  let source = ''
  let uid = 0

  before(async () => {
    env = await startTestEnv({ boxes: [BOX.boxId], noGateway: true, noRedis: true })
    // One session per box: a session a stream failed to give back would starve the next call.
    port = createImapPort(env.makeConfig({ imap: { pool: { maxPerBox: 1, acquireTimeoutSeconds: 2 } } }), pino({ level: 'silent' }))
    source = [
      'From: a@example.com', 'Subject: big', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
      '--b', 'Content-Type: text/plain', '', 'see attachment', '--b',
      'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', '', base64Lines(attachment), '--b--', ''
    ].join('\r\n')
    const direct = await env.imap(BOX.boxId)
    const res = await direct.append('INBOX', source)
    await direct.logout()
    assert.ok(res !== false && res.uid !== undefined)
    uid = res.uid
    source = '' // only the test's own copy of the hash is kept from here
  })
  after(async () => {
    await port.close()
    await env.close()
  })

  it('streams a 5 MB message without holding it in memory', async () => {
    const size = (await port.fetchMessages(BOX, 'INBOX', { uids: [uid] }, { headers: [] })).messages[0]?.size ?? 0
    assert.ok(size > 5 * MB, `message is ${size} bytes`)
    // Warm-up: one-time allocations (compiled code, parser state) are not what is measured.
    await collect((await port.openStream(BOX, 'INBOX', uid, { kind: 'part', part: '1' })).stream)
    const baseline = retained()
    const samples: number[] = []
    let total = 0
    let chunks = 0
    const { stream, size: announced } = await port.openStream(BOX, 'INBOX', uid, { kind: 'full' })
    assert.equal(announced, size)
    for await (const chunk of stream) {
      total += (chunk as Buffer).length
      // Measure every few chunks, with the stream paused (the consumer is slow).
      if (++chunks % 2 === 0) samples.push(retained() - baseline)
    }
    assert.equal(total, size)
    assert.ok(chunks > 4, `${chunks} chunks`)
    // Streaming keeps a few 256 KiB windows alive; buffering would retain the whole 5.5 MB.
    assert.ok(median(samples) < MB, `retained grew by ${samples.map((n) => Math.round(n / 1024)).join(', ')} KiB while streaming ${size} bytes`)
  })

  it('decodes a 4 MB base64 part while streaming, bytes exact', async () => {
    const baseline = retained()
    const samples: number[] = []
    const { stream } = await port.openStream(BOX, 'INBOX', uid, { kind: 'part', part: '2' })
    let n = 0
    const hash = createHash('sha256')
    for await (const chunk of stream) {
      hash.update(chunk as Buffer)
      if (++n % 2 === 0) samples.push(retained() - baseline)
    }
    assert.equal(hash.digest('hex'), sha256(attachment))
    assert.ok(samples.length >= 5)
    assert.ok(median(samples) < MB, `retained grew by ${samples.map((x) => Math.round(x / 1024)).join(', ')} KiB`)
  })

  it('gives the session back when the consumer destroys the stream mid-way', async () => {
    const { stream } = await port.openStream(BOX, 'INBOX', uid, { kind: 'full' })
    const first = await new Promise<Buffer>((resolve, reject) => {
      stream.once('data', resolve)
      stream.once('error', reject)
    })
    assert.ok(first.length > 0)
    const closed = new Promise((resolve) => stream.once('close', resolve))
    stream.destroy()
    await closed
    // With maxPerBox 1 this call needs the very session the stream held (else 503 after 2 s).
    const started = Date.now()
    const res = await port.fetchMessages(BOX, 'INBOX', { uids: [uid] }, { headers: [] })
    assert.equal(res.messages.length, 1)
    assert.ok(Date.now() - started < 1500)
    assert.deepEqual(port.stats?.(), { total: 1, perBox: { '+15550005002': 1 }, waiting: 0 })
    // And a stream read to the end gives it back too.
    const again = await port.openStream(BOX, 'INBOX', uid, { kind: 'part', part: '1' })
    const chunks: Buffer[] = []
    for await (const c of again.stream) chunks.push(c as Buffer)
    assert.equal(Buffer.concat(chunks).toString(), 'see attachment')
    assert.equal((await port.fetchText(BOX, 'INBOX', uid, '1', 100))?.text, 'see attachment')
  })

  it('gives the session back when opening a stream fails', async () => {
    await assert.rejects(port.openStream(BOX, 'INBOX', uid, { kind: 'part', part: '9' }))
    await assert.rejects(port.openStream(BOX, 'INBOX', uid + 100, { kind: 'full' }))
    await assert.rejects(port.openStream(BOX, 'INBOX', uid, { kind: 'full' }, '1'))
    const res = await port.fetchMessages(BOX, 'INBOX', { uids: [uid] }, { headers: [] })
    assert.equal(res.messages.length, 1)
  })
})
