/**
 * TypeBox schemas of the Notification Channel routes (nms-spec-digest.md 5.3): the HTTP wrappers
 * around src/notifications/channels/wire.ts, which the channel service derives its types from.
 * Numbers may arrive as strings (the NC examples quote them); their meaning is checked by the
 * channel service.
 */
import { Type } from '@sinclair/typebox'
import {
  ChannelInputSchema, CountInputSchema, NotificationChannelListSchema, NotificationChannelSchema
} from '../../../notifications/channels/wire.js'

export { NoContent } from '../nms/folders/schemas.js'

export const UserParams = Type.Object({ userId: Type.String() })

export const ChannelParams = Type.Object({
  userId: Type.String(),
  channelId: Type.String({ minLength: 1, maxLength: 256 })
})

/** Body of `POST /channels`. */
export const CreateChannelRequest = Type.Object({ notificationChannel: ChannelInputSchema })

/** `{"notificationChannel": ...}` as returned. */
export const ChannelBody = Type.Object({ notificationChannel: NotificationChannelSchema })

export const ChannelListBody = Type.Object({ notificationChannelList: NotificationChannelListSchema })

export const LifetimeBody = Type.Object({
  notificationChannelLifetime: Type.Object({ channelLifetime: Type.Integer() })
})

export const LifetimeRequest = Type.Object({
  notificationChannelLifetime: Type.Object({ channelLifetime: CountInputSchema })
})

/** Body of a long poll: `{"longPollingRequestParameters": null}`, or an empty body. */
export const PollRequest = Type.Union([
  Type.Object({ longPollingRequestParameters: Type.Optional(Type.Union([Type.Null(), Type.Object({})])) }),
  Type.Null()
])
