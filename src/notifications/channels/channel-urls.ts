/**
 * The URLs of a notification channel (section 5.2.2.2 of the OMA Notification Channel TS,
 * OMA-TS-REST_NetAPI_NotificationChannel-V1_0-20200319-C): its resource, the `channelURL` the
 * client long-polls, and the `callbackURL` it gives NMS as a subscription's `notifyURL`. All
 * absolute, user percent-encoded (docs/deployed-clients.md, "Absolute URLs").
 *
 * A callbackURL is recognised by its path alone: scheme and host are not compared, because
 * deployed clients rewrite http to https (docs/deployed-clients.md, "http rewritten to https") and
 * proxies show other hosts.
 */
import type { Config } from '../../config/schema.js'
import { encodeSegment, publicBaseUrl } from '../../nms/public-url.js'

/** Channel ids are generated base64url (src/notifications/channels.ts); anything else names no channel. */
export const CHANNEL_ID = /^[A-Za-z0-9_-]{1,64}$/

/** The three URLs of a channel. */
export interface ChannelUrls {
  resourceURL: string
  channelURL: string
  callbackURL: string
}

/** `{public}/notificationchannel/v1/{userId}`. */
export function channelBaseUrl (config: Readonly<Config>, userId: string): string {
  return `${publicBaseUrl(config)}/notificationchannel/v1/${encodeSegment(userId)}`
}

export function channelUrls (config: Readonly<Config>, userId: string, id: string): ChannelUrls {
  const resourceURL = `${channelBaseUrl(config, userId)}/channels/${encodeURIComponent(id)}`
  return { resourceURL, channelURL: `${resourceURL}/notifications`, callbackURL: `${resourceURL}/callback` }
}

/** The channel a callbackURL of this gateway names, or undefined for any other URL. */
export function channelOfCallback (config: Readonly<Config>, url: string): { userId: string, id: string } | undefined {
  let given: URL
  try {
    given = new URL(url)
  } catch {
    return undefined
  }
  const base = new URL(publicBaseUrl(config)).pathname.replace(/\/+$/, '')
  const path = given.pathname
  if (!path.startsWith(`${base}/notificationchannel/v1/`)) return undefined
  const m = /^\/([^/]+)\/channels\/([^/]+)\/callback$/.exec(path.slice(`${base}/notificationchannel/v1`.length))
  if (m === null || !CHANNEL_ID.test(m[2] as string)) return undefined
  try {
    return { userId: decodeURIComponent(m[1] as string), id: m[2] as string }
  } catch {
    return undefined
  }
}
