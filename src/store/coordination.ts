/**
 * Coordination between gateway instances sharing one Redis (architecture.md section 8): leases
 * (who watches a box and delivers its notifications; another instance takes over when the
 * owner stops renewing), short locks (one sync of a box at a time) and a message bus (pokes,
 * wake-ups) over Redis pub/sub. The gateway adds no consensus of its own: a lease is a key with
 * an owner and an expiry, and every write that must not be duplicated is also guarded by a
 * compare-and-set in the store, so a lease that expired under a slow owner cannot corrupt state.
 */

/** A message on the bus. */
export interface BusMessage {
  /** What happened: `poke` (a box may have changed), `subs` (its subscriptions changed), `outbox`. */
  kind: string
  boxId: string
  id?: string
}

export interface Coordination {
  /** Takes the lease `name` for `owner` (or renews it if `owner` holds it already). */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>
  /** Extends the lease while `owner` holds it; false when it was lost. */
  renew(name: string, owner: string, ttlMs: number): Promise<boolean>
  /** Gives the lease up if `owner` holds it. */
  release(name: string, owner: string): Promise<void>
  /** Publishes to every instance (this one included). */
  publish(msg: BusMessage): Promise<void>
  /** Receives every published message; returns the unsubscribe function. */
  subscribe(handler: (msg: BusMessage) => void): Promise<() => Promise<void>>
}
