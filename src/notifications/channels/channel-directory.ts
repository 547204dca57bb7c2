/**
 * Which notification channels exist, for the stages that only need to recognise one: a
 * subscription's `notifyURL` that is a channel's `callbackURL` (OMA Notification Channel API:
 * the NMS server delivers to it), and whether that channel is live.
 */
import type { Config } from '../../config/schema.js'
import type { ChannelRecord } from '../../store/channel-store.js'
import type { Store } from '../../store/store.js'
import { CHANNEL_ID, channelOfCallback } from './channel-urls.js'

export class ChannelDirectory {
  constructor (private readonly deps: { config: Readonly<Config>, store: Store }) {}

  /** The channel of this gateway a notifyURL names (it is the channel's callbackURL), if any. */
  of (notifyURL: string): { userId: string, id: string } | undefined {
    return channelOfCallback(this.deps.config, notifyURL)
  }

  /** The channel, while its lifetime runs; undefined for a malformed id too. */
  async live (userId: string, id: string): Promise<ChannelRecord | undefined> {
    const rec = CHANNEL_ID.test(id) ? await this.deps.store.channels.get(userId, id) : undefined
    return rec === undefined || rec.expiresAt <= Date.now() ? undefined : rec
  }
}
