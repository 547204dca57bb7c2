/**
 * A local HTTP receiver for notification tests: node:http on 127.0.0.1, port 0. It records every
 * request and answers what `respond` says (204 by default), so tests can play a receiver that is
 * down for a while, gone, or slow.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
  /** Parsed JSON body, when it parses. */
  json: unknown
  at: number
  /** The status the sink answered with. */
  status: number
}

export interface SinkAnswer {
  status: number
  headers?: Record<string, string>
  body?: string
  /** Delay before answering (ms). */
  delayMs?: number
}

export interface WebhookSink {
  readonly url: string
  readonly port: number
  /** Every request received, in order (including the ones answered with errors). */
  readonly received: ReceivedRequest[]
  /** Chooses the answer for each request (default 204). */
  respond: (req: ReceivedRequest, n: number) => SinkAnswer
  /** Resolves when `predicate` holds for the received requests, or rejects after `timeoutMs`. */
  waitFor(predicate: (received: readonly ReceivedRequest[]) => boolean, timeoutMs?: number, what?: string): Promise<void>
  close(): Promise<void>
}

export async function startWebhookSink (path = '/notify'): Promise<WebhookSink> {
  const received: ReceivedRequest[] = []
  const waiters = new Set<() => void>()
  const sink: WebhookSink = {
    url: '',
    port: 0,
    received,
    respond: () => ({ status: 204 }),
    async waitFor (predicate, timeoutMs = 15000, what = 'notifications') {
      if (predicate(received)) return
      await new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!predicate(received)) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve()
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received ${received.length}: ${received.map(summary).join(' | ')}`))
        }, timeoutMs)
        waiters.add(check)
      })
    },
    async close () {
      await new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => { resolve() })
      })
    }
  }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      let json: unknown
      try {
        json = JSON.parse(body)
      } catch {
        json = undefined
      }
      const r: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json, at: Date.now(), status: 0 }
      received.push(r)
      const answer = sink.respond(r, received.length)
      r.status = answer.status
      const send = (): void => {
        res.writeHead(answer.status, answer.headers)
        res.end(answer.body)
        for (const w of [...waiters]) w()
      }
      if (answer.delayMs !== undefined && answer.delayMs > 0) setTimeout(send, answer.delayMs)
      else send()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  Object.assign(sink, { port, url: `http://127.0.0.1:${port}${path}` })
  return sink
}

/** `status index: event(name|id)...` of a received request, for failure messages. */
function summary (r: ReceivedRequest): string {
  const list = (r.json as EventListJson | undefined)?.nmsEventList
  if (list === undefined) return `${r.status} ${r.body.slice(0, 200)}`
  const events = list.nmsEvent.map((e) => Object.entries(e).map(([k, v]) => {
    const ref = String(v.resourceURL ?? '').split('/').pop() ?? ''
    return `${k}(${String(v.name ?? '')}|${ref.slice(0, 10)}|${JSON.stringify(v.flags ?? '')})`
  }).join(''))
  return `${r.status} #${list.index}: ${events.join(', ')}`
}

/** The nmsEventList of a received notification. */
export interface EventListJson {
  nmsEventList: {
    nmsEvent: Array<Record<string, Record<string, unknown>>>
    index: number
    restartToken: string
    callbackData?: string
    link: Array<{ rel: string, href: string }>
  }
}

/** The event lists the sink answered with 2xx, in arrival order. */
export function deliveredLists (sink: WebhookSink): EventListJson['nmsEventList'][] {
  return sink.received
    .filter((r) => r.status >= 200 && r.status < 300 && (r.json as EventListJson | undefined)?.nmsEventList !== undefined)
    .map((r) => (r.json as EventListJson).nmsEventList)
}
