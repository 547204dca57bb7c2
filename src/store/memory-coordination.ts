/**
 * In-process Coordination for a single instance: leases are plain expiring entries and the bus
 * is a local event emitter (delivery is asynchronous, as over Redis).
 */
import { EventEmitter } from 'node:events'
import type { Logger } from 'pino'
import type { BusMessage, Coordination } from './coordination.js'

export class MemoryCoordination implements Coordination {
  private readonly leases = new Map<string, { owner: string, until: number }>()
  private readonly bus = new EventEmitter()

  /** Without a logger a failing handler's error is rethrown (uncaught), so tests see it. */
  constructor (private readonly logger?: Logger) {
    this.bus.setMaxListeners(0)
  }

  async acquire (name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now()
    const l = this.leases.get(name)
    if (l !== undefined && l.until > now && l.owner !== owner) return false
    this.leases.set(name, { owner, until: now + ttlMs })
    return true
  }

  async renew (name: string, owner: string, ttlMs: number): Promise<boolean> {
    const l = this.leases.get(name)
    if (l === undefined || l.owner !== owner || l.until <= Date.now()) return false
    l.until = Date.now() + ttlMs
    return true
  }

  async release (name: string, owner: string): Promise<void> {
    if (this.leases.get(name)?.owner === owner) this.leases.delete(name)
  }

  async publish (msg: BusMessage): Promise<void> {
    const copy = { ...msg }
    setImmediate(() => {
      for (const h of this.bus.listeners('message')) {
        try {
          (h as (m: BusMessage) => void)(copy)
        } catch (err) {
          // A failing handler must not keep the message from the others, as over Redis.
          if (this.logger === undefined) setImmediate(() => { throw err })
          else this.logger.error({ err }, 'bus handler failed')
        }
      }
    })
  }

  async subscribe (handler: (msg: BusMessage) => void): Promise<() => Promise<void>> {
    this.bus.on('message', handler)
    return async () => { this.bus.off('message', handler) }
  }
}
