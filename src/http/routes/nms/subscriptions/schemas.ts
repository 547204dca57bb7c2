/**
 * TypeBox schemas of the subscription routes (nms-spec-digest.md 2.13, 2.14, R17, R18): the HTTP
 * wrappers around src/notifications/subscriptions/wire.ts, which the subscription service
 * derives its types from.
 */
import { Type } from '@sinclair/typebox'
import {
  NmsSubscriptionSchema, SubscriptionInputSchema, SubscriptionListSchema, SubscriptionUpdateInputSchema
} from '../../../../notifications/subscriptions/wire.js'

export { BoxParams, NoContent } from '../folders/schemas.js'

/** Path parameters of `/subscriptions/{subscriptionId}`. Any string: an unknown id is a 404. */
export const SubscriptionParams = Type.Object({
  storeName: Type.String(),
  boxId: Type.String(),
  subscriptionId: Type.String({ minLength: 1, maxLength: 256 })
})

/** Body of `POST /subscriptions`. */
export const CreateSubscriptionRequest = Type.Object({ nmsSubscription: SubscriptionInputSchema })

/** Body of `POST /subscriptions/{id}`. */
export const UpdateSubscriptionRequest = Type.Object({ nmsSubscriptionUpdate: SubscriptionUpdateInputSchema })

/** `{"nmsSubscription": ...}` as returned. */
export const SubscriptionBody = Type.Object({ nmsSubscription: NmsSubscriptionSchema })

export const SubscriptionListBody = Type.Object({ nmsSubscriptionList: SubscriptionListSchema })
