/**
 * The state store port: what the gateway keeps outside IMAP (architecture.md section 1).
 * `redis-store.ts` is the shared, durable implementation; `memory-store.ts` serves a single
 * instance when `NMS_REDIS_URL` is unset.
 */
import type { ChannelStore } from './channel-store.js'
import type { Coordination } from './coordination.js'
import type { FolderRegistryStore } from './folder-registry-store.js'
import type { SubscriptionStore } from './subscription-store.js'
import type { TrackerStore } from './tracker-store.js'

export interface Store {
  readonly kind: 'redis' | 'memory'
  /** Resolves when the backend answers; throws GW_ERR_STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>
  /** The secret that signs cursors and tokens: generated once and shared by all instances. */
  sharedSecret(): Promise<Buffer>
  readonly folders: FolderRegistryStore
  /** Change tracking: folder-state log, snapshots, tombstones (architecture.md section 4). */
  readonly tracker: TrackerStore
  /** Subscriptions and their outboxes (architecture.md section 6). */
  readonly subscriptions: SubscriptionStore
  /** Notification channels and their queues (architecture.md section 6). */
  readonly channels: ChannelStore
  /** Leases, locks and the bus between instances (architecture.md section 8). */
  readonly coordination: Coordination
  close(): Promise<void>
}
