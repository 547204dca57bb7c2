/**
 * Readiness probe of the IMAP server: opens a TCP (or TLS, for `security: tls`) connection and
 * waits for the server greeting (RFC 3501 section 7.1: `* OK` or `* PREAUTH`), without logging
 * in, then hangs up. `* BYE` or silence within the connect timeout means not ready.
 */
import net from 'node:net'
import tls from 'node:tls'
import type { Config } from '../config/schema.js'
import { GatewayError } from '../errors/gateway-error.js'

const MAX_GREETING_BYTES = 8192

export async function pingImap (imap: Readonly<Config['imap']>): Promise<void> {
  const timeoutMs = imap.connectTimeoutSeconds * 1000
  await new Promise<void>((resolve, reject) => {
    // SNI only for host names (RFC 6066 section 3 forbids IP literals).
    const sni = net.isIP(imap.host) === 0 ? { servername: imap.host } : {}
    const socket = imap.security === 'tls'
      ? tls.connect({ host: imap.host, port: imap.port, rejectUnauthorized: imap.tlsRejectUnauthorized, ...sni })
      : net.connect({ host: imap.host, port: imap.port })
    let buffer = ''
    let settled = false
    const finish = (err?: unknown): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      if (err === undefined) resolve()
      else reject(new GatewayError('GW_ERR_IMAP_UNAVAILABLE', { variables: ['IMAP'], headers: { 'Retry-After': '1' }, detail: `IMAP ping failed: ${err instanceof Error ? err.message : String(err)}`, cause: err }))
    }
    const timer = setTimeout(() => { finish(new Error(`no greeting within ${timeoutMs} ms`)) }, timeoutMs)
    timer.unref()
    socket.setEncoding('latin1')
    socket.on('error', finish)
    socket.on('close', () => { finish(new Error('connection closed before the greeting')) })
    socket.on('data', (chunk: string) => {
      buffer += chunk
      const eol = buffer.indexOf('\r\n')
      if (eol < 0) {
        if (buffer.length > MAX_GREETING_BYTES) finish(new Error('greeting line too long'))
        return
      }
      const line = buffer.slice(0, eol)
      if (/^\* (OK|PREAUTH)\b/i.test(line)) finish()
      else finish(new Error(`unexpected greeting: ${line.slice(0, 100)}`))
    })
  })
}
