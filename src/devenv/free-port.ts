/** Asks the kernel for a free loopback TCP port (bind to 0, read, release). */
import net from 'node:net'

export async function freePort (host = '127.0.0.1'): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, host, () => {
      const addr = srv.address()
      srv.close(() => {
        if (addr !== null && typeof addr === 'object') resolve(addr.port)
        else reject(new Error('no port'))
      })
    })
  })
}

/** Resolves once `host:port` accepts a connection and sends something starting with `greeting`. */
export async function waitForGreeting (host: string, port: number, greeting: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastErr: unknown
  while (Date.now() < deadline) {
    try {
      await new Promise<void>((resolve, reject) => {
        const s = net.connect(port, host)
        let buf = ''
        const t = setTimeout(() => { s.destroy(); reject(new Error('greeting timeout')) }, 2000)
        s.on('data', (d) => {
          buf += d.toString('latin1')
          if (buf.startsWith(greeting) || buf.length >= greeting.length) {
            clearTimeout(t)
            s.destroy()
            if (buf.startsWith(greeting)) resolve()
            else reject(new Error(`unexpected greeting ${JSON.stringify(buf.slice(0, 80))}`))
          }
        })
        s.on('error', (err) => { clearTimeout(t); reject(err) })
      })
      return
    } catch (err) {
      lastErr = err
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  throw new Error(`${host}:${port} did not greet with ${greeting} within ${timeoutMs} ms: ${String(lastErr)}`)
}
