/**
 * TypeBox schemas of the subscription resources (nms-spec-digest.md 2.13, 2.14, R17, R18).
 * Numbers may arrive as strings (ajv coerceTypes; the Notification Channel examples quote them).
 * The filter's shape is the search criteria's; its meaning is checked by src/notifications.
 */
import { Type } from '@sinclair/typebox'
import { SelectionCriteria } from '../search-schemas.js'

export { BoxParams, NoContent } from '../folders/schemas.js'

/** Path parameters of `/subscriptions/{subscriptionId}`. Any string: an unknown id is a 404. */
export const SubscriptionParams = Type.Object({
  storeName: Type.String(),
  boxId: Type.String(),
  subscriptionId: Type.String({ minLength: 1, maxLength: 256 })
})

const Filter = Type.Index(SelectionCriteria, ['searchCriteria'])

const CallbackReferenceIn = Type.Object({
  notifyURL: Type.String({ minLength: 1, maxLength: 4096 }),
  callbackData: Type.Optional(Type.String({ maxLength: 4096 })),
  notificationFormat: Type.Optional(Type.String({ maxLength: 16 }))
})

const Duration = Type.Union([Type.Integer({ minimum: 0, maximum: 0xffffffff }), Type.String({ maxLength: 16 })])

/** Body of `POST /subscriptions`. */
export const CreateSubscriptionRequest = Type.Object({
  nmsSubscription: Type.Object({
    callbackReference: CallbackReferenceIn,
    duration: Type.Optional(Duration),
    filter: Type.Optional(Filter),
    clientCorrelator: Type.Optional(Type.String({ maxLength: 1024 })),
    restartToken: Type.Optional(Type.String({ maxLength: 1024 }))
  })
})

/** Body of `POST /subscriptions/{id}`. */
export const UpdateSubscriptionRequest = Type.Object({
  nmsSubscriptionUpdate: Type.Object({
    duration: Type.Optional(Duration),
    restartToken: Type.Optional(Type.String({ maxLength: 1024 }))
  })
})

/** `NmsSubscription` as returned. */
export const NmsSubscription = Type.Object({
  callbackReference: Type.Object({
    notifyURL: Type.String(),
    callbackData: Type.Optional(Type.String()),
    notificationFormat: Type.String()
  }),
  duration: Type.Integer(),
  // Echoed as received (validated by the request schema when it came in).
  filter: Type.Optional(Type.Unknown()),
  clientCorrelator: Type.Optional(Type.String()),
  resourceURL: Type.String(),
  index: Type.Integer(),
  restartToken: Type.String()
})

export const SubscriptionBody = Type.Object({ nmsSubscription: NmsSubscription })

export const SubscriptionListBody = Type.Object({
  nmsSubscriptionList: Type.Object({
    subscription: Type.Array(NmsSubscription),
    resourceURL: Type.String()
  })
})
