/**
 * In-process Coordination for a single instance: leases are plain expiring entries and the bus
 * is a local event emitter (delivery is asynchronous, as over Redis).
 */
import { EventEmitter } from 'node:events'
import type { BusMessage, Coordination } from './coordination.js'

export class MemoryCoordination implements Coordination {
  private readonly leases = new Map<string, { owner: string, until: number }>()
  private readonly bus = new EventEmitter()

  constructor () {
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
        } catch {
          // A failing handler must not take the others (or the process) down, as over Redis.
        }
      }
    })
  }

  async subscribe (handler: (msg: BusMessage) => void): Promise<() => Promise<void>> {
    this.bus.on('message', handler)
    return async () => { this.bus.off('message', handler) }
  }
}
