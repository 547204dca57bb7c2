/**
 * Wire schemas of the Notification Channel resources (OMA Notification Channel TS section 5.2, that
 * TS being OMA-TS-REST_NetAPI_NotificationChannel-V1_0-20200319-C), the single source of the HTTP
 * routes' validation and serialisation and of the types the channel service reads and answers
 * (`Static<>`). fast-json-stringify writes exactly the members `NotificationChannelSchema` lists,
 * so a member `render` adds must be added here.
 *
 * Numbers may arrive as strings (the TS's JSON examples, Appendix D, quote them); their meaning is
 * checked by the channel service.
 */
import { Type, type Static } from '@sinclair/typebox'

/** A count given as a number or a numeric string. */
export const CountInputSchema = Type.Union([
  Type.Integer({ minimum: 0, maximum: 0xffffffff }),
  Type.String({ maxLength: 16 })
])

/** `notificationChannel` as received (POST /channels). */
export const ChannelInputSchema = Type.Object({
  clientCorrelator: Type.Optional(Type.String({ maxLength: 1024 })),
  applicationTag: Type.Optional(Type.String({ maxLength: 1024 })),
  channelType: Type.String({ minLength: 1, maxLength: 64 }),
  channelData: Type.Optional(Type.Object({
    maxNotifications: Type.Optional(CountInputSchema),
    maxWaitTime: Type.Optional(CountInputSchema)
  })),
  channelLifetime: Type.Optional(CountInputSchema)
})
export type ChannelInput = Static<typeof ChannelInputSchema>

/** `notificationChannel` as returned; `channelLifetime` is the remaining seconds. */
export const NotificationChannelSchema = Type.Object({
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
export type NotificationChannel = Static<typeof NotificationChannelSchema>

/** `notificationChannelList` as returned. */
export const NotificationChannelListSchema = Type.Object({
  notificationChannel: Type.Array(NotificationChannelSchema),
  resourceURL: Type.String()
})
export type NotificationChannelList = Static<typeof NotificationChannelListSchema>
