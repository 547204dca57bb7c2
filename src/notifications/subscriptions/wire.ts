/**
 * Wire schemas of the NMS subscription resource (OMA NMS TS sections 5.3.2.20 to 5.3.2.22, 6.17
 * and 6.18, OMA NMS TS being OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C), the single source of the
 * HTTP routes' validation and serialisation and of the types the subscription service reads and
 * answers (`Static<>`). fast-json-stringify writes exactly the members `NmsSubscriptionSchema`
 * lists, so a member `render` adds must be added here.
 *
 * Numbers may arrive as strings (ajv coerceTypes; the OMA Notification Channel TS's JSON examples
 * quote them).
 * The filter's shape is the search criteria's; its meaning is checked by the feed's filter.
 */
import { Type, type Static } from '@sinclair/typebox'
import { SearchCriteriaInputSchema } from '../../nms/wire/search.js'

const CallbackReferenceInput = Type.Object({
  notifyURL: Type.String({ minLength: 1, maxLength: 4096 }),
  callbackData: Type.Optional(Type.String({ maxLength: 4096 })),
  notificationFormat: Type.Optional(Type.String({ maxLength: 16 }))
})

const Duration = Type.Union([Type.Integer({ minimum: 0, maximum: 0xffffffff }), Type.String({ maxLength: 16 })])

/** `nmsSubscription` as received (POST /subscriptions). */
export const SubscriptionInputSchema = Type.Object({
  callbackReference: CallbackReferenceInput,
  duration: Type.Optional(Duration),
  filter: Type.Optional(SearchCriteriaInputSchema),
  clientCorrelator: Type.Optional(Type.String({ maxLength: 1024 })),
  restartToken: Type.Optional(Type.String({ maxLength: 1024 }))
})
export type SubscriptionInput = Static<typeof SubscriptionInputSchema>

/** `nmsSubscriptionUpdate` as received (POST /subscriptions/{id}). */
export const SubscriptionUpdateInputSchema = Type.Object({
  duration: Type.Optional(Duration),
  restartToken: Type.Optional(Type.String({ maxLength: 1024 }))
})
export type SubscriptionUpdateInput = Static<typeof SubscriptionUpdateInputSchema>

/** `nmsSubscription` as returned (OMA NMS TS section 5.3.2.20). */
export const NmsSubscriptionSchema = Type.Object({
  callbackReference: Type.Object({
    notifyURL: Type.String(),
    callbackData: Type.Optional(Type.String()),
    notificationFormat: Type.String()
  }),
  duration: Type.Integer(),
  // Echoed as received and stored (validated by SubscriptionInputSchema when it came in), whole.
  filter: Type.Optional(Type.Unknown()),
  clientCorrelator: Type.Optional(Type.String()),
  resourceURL: Type.String(),
  index: Type.Integer(),
  restartToken: Type.String()
})
export type NmsSubscription = Static<typeof NmsSubscriptionSchema>

/** `nmsSubscriptionList` as returned. */
export const SubscriptionListSchema = Type.Object({
  subscription: Type.Array(NmsSubscriptionSchema),
  resourceURL: Type.String()
})
