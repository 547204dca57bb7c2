/**
 * Notification channels (nms-spec-digest.md 5.3; architecture.md section 6): long-polling
 * channels and the queue of notifications each one holds for its client.
 *
 * A queued item has a per-channel sequence number. A poll answers the oldest items and, once its
 * response has been written, records the last one it carried as `sent`; the next poll of the
 * channel is what tells the client got them, and it removes them before serving (a response lost
 * on the way is sent again). Only one poll is current per channel: starting one makes any other
 * one stale, which then answers 409 SVC1012.
 *
 * Lists reach a channel from a subscription's outbox in one atomic step (the subscription and the
 * channel belong to the same box), so the outbox guarantees of the webhook path hold.
 */

/** One channel. */
export interface ChannelRecord {
  id: string
  /** The channel's user (decoded), the box whose notifications it may carry. */
  userId: string
  clientCorrelator?: string
  applicationTag?: string
  /** Most notifications one poll answers. */
  maxNotifications: number
  /** Echoed `maxWaitTime` (seconds). */
  maxWaitTime?: number
  /** Granted lifetime in seconds; every poll extends the channel by it. */
  lifetimeSeconds: number
  /** Epoch ms. */
  createdAt: number
  /** Epoch ms at which the channel ends unless polled or refreshed. */
  expiresAt: number
}

/** A queued notification: its sequence number and its JSON (one enabler notification, wrapped). */
export interface ChannelItem {
  seq: number
  body: string
}

/** What moving a subscription's oldest list into a channel did. */
export type ChannelMove = 'moved' | 'nothing' | 'no-channel'

export interface ChannelStore {
  /** Stores a channel; with a live clientCorrelator of the user, returns that channel instead. */
  create(rec: ChannelRecord): Promise<{ record: ChannelRecord, created: boolean }>
  get(userId: string, id: string): Promise<ChannelRecord | undefined>
  list(userId: string): Promise<ChannelRecord[]>
  /** Removes the channel and its queue; false when it did not exist. */
  remove(userId: string, id: string): Promise<boolean>
  /** Sets the lifetime and the expiry; undefined when the channel is gone. */
  setLifetime(
    userId: string, id: string, lifetimeSeconds: number, expiresAt: number
  ): Promise<ChannelRecord | undefined>
  /**
   * Makes `pollId` the channel's current poll, extends the channel to `expiresAt`, and drops the
   * items the previous poll's response carried. False when the channel is gone.
   */
  beginPoll(userId: string, id: string, pollId: string, expiresAt: number): Promise<boolean>
  /** The current poll's id, or undefined when the channel is gone. */
  currentPoll(userId: string, id: string): Promise<string | undefined>
  /** The oldest `limit` queued items. */
  peek(userId: string, id: string, limit: number): Promise<ChannelItem[]>
  /** Records that the response of `pollId` carried the items up to `lastSeq` (if it is still current). */
  markSent(userId: string, id: string, pollId: string, lastSeq: number): Promise<void>
  /** Queues a notification body; undefined when the channel is gone. */
  enqueue(userId: string, id: string, body: string): Promise<number | undefined>
  /**
   * Moves the subscription's oldest outbox list, if it has index `index`, to the end of the
   * channel's queue, atomically. The subscription and the channel are of the same box.
   */
  moveFromOutbox(boxId: string, subscriptionId: string, index: number, channelId: string): Promise<ChannelMove>
  /** Channels whose lifetime ended at or before `now`. */
  expired(now: number, limit: number): Promise<Array<{ userId: string, id: string }>>
}
