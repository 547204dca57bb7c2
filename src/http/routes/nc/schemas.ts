/**
 * TypeBox schemas of the Notification Channel resources (nms-spec-digest.md 5.3). Numbers may
 * arrive as strings (the NC examples quote them); their meaning is checked by
 * src/notifications/channels.ts.
 */
import { Type } from '@sinclair/typebox'

export { NoContent } from '../nms/folders/schemas.js'

export const UserParams = Type.Object({ userId: Type.String() })

export const ChannelParams = Type.Object({
  userId: Type.String(),
  channelId: Type.String({ minLength: 1, maxLength: 256 })
})

const Count = Type.Union([Type.Integer({ minimum: 0, maximum: 0xffffffff }), Type.String({ maxLength: 16 })])

/** Body of `POST /channels`. */
export const CreateChannelRequest = Type.Object({
  notificationChannel: Type.Object({
    clientCorrelator: Type.Optional(Type.String({ maxLength: 1024 })),
    applicationTag: Type.Optional(Type.String({ maxLength: 1024 })),
    channelType: Type.String({ minLength: 1, maxLength: 64 }),
    channelData: Type.Optional(Type.Object({
      maxNotifications: Type.Optional(Count),
      maxWaitTime: Type.Optional(Count)
    })),
    channelLifetime: Type.Optional(Count)
  })
})

/** `NotificationChannel` as returned. */
export const NotificationChannel = Type.Object({
  clientCorrelator: Type.Optional(Type.String()),
  applicationTag: Type.Optional(Type.String()),
  channelType: Type.String(),
  channelData: Type.Object({
    channelURL: Type.String(),
    maxNotifications: Type.Integer(),
    maxWaitTime: Type.Optional(Type.Integer())
  }),
  channelLifetime: Type.Integer(),
  callbackURL: Type.String(),
  resourceURL: Type.String()
})

export const ChannelBody = Type.Object({ notificationChannel: NotificationChannel })

export const ChannelListBody = Type.Object({
  notificationChannelList: Type.Object({
    notificationChannel: Type.Array(NotificationChannel),
    resourceURL: Type.String()
  })
})

export const LifetimeBody = Type.Object({
  notificationChannelLifetime: Type.Object({ channelLifetime: Type.Integer() })
})

export const LifetimeRequest = Type.Object({
  notificationChannelLifetime: Type.Object({ channelLifetime: Count })
})

/** Body of a long poll: `{"longPollingRequestParameters": null}`, or an empty body. */
export const PollRequest = Type.Union([
  Type.Object({ longPollingRequestParameters: Type.Optional(Type.Union([Type.Null(), Type.Object({})])) }),
  Type.Null()
])
