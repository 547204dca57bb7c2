/**
 * NMS subscriptions and their notification outboxes (nms-spec-digest.md 2.13-2.15, section 5;
 * architecture.md section 6). A subscription has a fixed part (callback, filter, correlator)
 * and a moving part the outbox writer and the dispatcher advance: the box position it has been fed
 * up to, the index of its next notification list, and a generation counter that every change
 * by a client (rewind, extension) bumps, so a feed computed against an older state is refused
 * instead of overwriting the newer one.
 *
 * Every notification list is appended to the subscription's ordered outbox in the same atomic
 * step that advances the position and the index, before any delivery attempt; the dispatcher
 * removes a list only once it was delivered (or the subscription ends).
 */

/** The fixed part of a subscription, as created. */
export interface SubscriptionSpec {
  id: string
  boxId: string
  notifyURL: string
  callbackData?: string
  /** Echoed `clientCorrelator` (never generated; an empty one counts as absent). */
  clientCorrelator?: string
  /** The `filter` (SearchCriteria) as received, for echo and compilation. */
  filter?: unknown
  /** Epoch ms. */
  createdAt: number
  /** Box seq at creation: a `CreatedObjects` filter matches objects created after it. */
  createdSeq: number
}

/** A subscription with its moving part. */
export interface SubscriptionRecord extends SubscriptionSpec {
  /** Epoch ms at which the granted duration ends. */
  expiresAt: number
  /** Box seq the subscription has been fed up to. */
  position: number
  /** True while the next list must be a lone `resetBox` (unknown, forged or expired token). */
  pendingReset: boolean
  /** Index of the next notification list (starts at 1, never reset). */
  nextIndex: number
  /** The restartToken the resource reports (echo of the client's, or the position's). */
  restartToken: string
  /** Bumped by every client update. */
  generation: number
}

/** One queued notification list. */
export interface OutboxItem {
  index: number
  /** The JSON body to POST (`{"nmsEventList": ...}`). */
  body: string
}

/** A feed: lists to queue and the state they bring the subscription to. */
export interface FeedAppend {
  /** The generation, position and next index the lists were computed against. */
  expectGeneration: number
  expectPosition: number
  expectNextIndex: number
  items: OutboxItem[]
  position: number
  restartToken: string
  /** The feed produced the pending resetBox. */
  clearReset: boolean
}

/** A client update (rewind and/or extension). */
export interface SubscriptionUpdate {
  expiresAt?: number
  position?: number
  pendingReset?: boolean
  restartToken?: string
}

export interface SubscriptionStore {
  /**
   * Stores a new subscription. With a clientCorrelator already used by a live subscription of
   * the box, nothing is written and that subscription is returned instead (idempotent create).
   */
  create(rec: SubscriptionRecord): Promise<{ record: SubscriptionRecord, created: boolean }>
  get(boxId: string, id: string): Promise<SubscriptionRecord | undefined>
  list(boxId: string): Promise<SubscriptionRecord[]>
  /** Applies a client update and bumps the generation; undefined when the subscription is gone. */
  update(boxId: string, id: string, u: SubscriptionUpdate): Promise<SubscriptionRecord | undefined>
  /** Removes the subscription and its outbox; false when it did not exist. */
  remove(boxId: string, id: string): Promise<boolean>
  /** Queues lists and advances the subscription, only if it is still in the expected state. */
  append(boxId: string, id: string, feed: FeedAppend): Promise<boolean>
  /** The oldest queued list. */
  outboxHead(boxId: string, id: string): Promise<OutboxItem | undefined>
  /** Removes the oldest queued list if it has this index. */
  outboxAck(boxId: string, id: string, index: number): Promise<boolean>
  outboxLength(boxId: string, id: string): Promise<number>
  /** Subscriptions whose duration ended at or before `now`. */
  expired(now: number, limit: number): Promise<Array<{ boxId: string, id: string }>>
  /** Boxes that have at least one subscription (they are watched). */
  watchedBoxes(): Promise<string[]>
}
