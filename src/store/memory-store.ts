/**
 * In-process store for a single instance when `NMS_REDIS_URL` is unset. Nothing survives a
 * restart; the gateway logs a warning saying so at startup.
 */
import type { Logger } from 'pino'
import { randomBytes } from 'node:crypto'
import type { Store } from './store.js'
import type { FolderRecord, FolderRegistryStore } from './folder-registry-store.js'
import { MemoryChannelStore } from './memory-channel-store.js'
import { MemoryCoordination } from './memory-coordination.js'
import { MemorySubscriptionStore } from './memory-subscription-store.js'
import { MemoryTrackerStore, type SeqCounter } from './memory-tracker-store.js'

/** The box sequence counters, shared by the folder registry and the tracker (as in Redis). */
class Counters implements SeqCounter {
  private readonly seqs = new Map<string, number>()

  next (boxId: string): number {
    const n = (this.seqs.get(boxId) ?? 0) + 1
    this.seqs.set(boxId, n)
    return n
  }
}

class MemoryFolderRegistry implements FolderRegistryStore {
  private readonly boxes = new Map<string, Map<string, FolderRecord>>()

  constructor (private readonly counter: SeqCounter) {}

  private box (boxId: string): Map<string, FolderRecord> {
    let m = this.boxes.get(boxId)
    if (m === undefined) {
      m = new Map()
      this.boxes.set(boxId, m)
    }
    return m
  }

  async list (boxId: string): Promise<FolderRecord[]> {
    return [...this.box(boxId).values()].map((r) => structuredClone(r))
  }

  async claim (boxId: string, rec: FolderRecord): Promise<FolderRecord> {
    const m = this.box(boxId)
    for (const r of m.values()) {
      if (r.path === rec.path && r.uidValidity === rec.uidValidity) return structuredClone(r)
    }
    m.set(rec.id, structuredClone(rec))
    return structuredClone(rec)
  }

  async update (boxId: string, rec: FolderRecord): Promise<void> {
    const m = this.box(boxId)
    if (m.has(rec.id)) m.set(rec.id, structuredClone(rec))
  }

  async remove (boxId: string, ids: readonly string[]): Promise<void> {
    const m = this.box(boxId)
    for (const id of ids) m.delete(id)
  }

  async nextSeq (boxId: string): Promise<number> {
    return this.counter.next(boxId)
  }
}

export class MemoryStore implements Store {
  readonly kind = 'memory' as const
  private readonly counters = new Counters()
  readonly folders: FolderRegistryStore = new MemoryFolderRegistry(this.counters)
  readonly tracker = new MemoryTrackerStore(this.counters)
  readonly subscriptions = new MemorySubscriptionStore()
  readonly channels = new MemoryChannelStore(this.subscriptions)
  readonly coordination: MemoryCoordination
  private readonly secret = randomBytes(32)

  constructor (logger?: Logger) {
    this.coordination = new MemoryCoordination(logger)
  }

  async ping (): Promise<void> {}
  async sharedSecret (): Promise<Buffer> { return this.secret }
  async close (): Promise<void> {}
}
