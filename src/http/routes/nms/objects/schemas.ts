/**
 * TypeBox schemas of the object resources (nms-spec-digest.md 2.1 to 2.5, 2.9, R2 to R6, R8).
 * Response schemas list every member, in the XSD order, so nothing else leaks out. Shared by
 * every object route plugin (read, flags, payloads, creation, bulk, copy/move).
 */
import { Type } from '@sinclair/typebox'

export { BoxParams, BulkResponseBody, NoContent, PathListRequest, Reference, ReferenceBody } from '../folders/schemas.js'

/** Path parameters of `/objects/{objectId}...`. Any string: a forged id is a 404, not a 400. */
export const ObjectParams = Type.Object({
  storeName: Type.String(),
  boxId: Type.String(),
  objectId: Type.String({ minLength: 1, maxLength: 2048 })
})

/** Path parameters of `/objects/{objectId}/flags/{flagName}` (fastify percent-decodes `%5CSeen`). */
export const FlagParams = Type.Object({
  storeName: Type.String(),
  boxId: Type.String(),
  objectId: Type.String({ minLength: 1, maxLength: 2048 }),
  flagName: Type.String({ maxLength: 1024 })
})

/** Path parameters of `/objects/{objectId}/payloadParts/{partId}`. */
export const PartParams = Type.Object({
  storeName: Type.String(),
  boxId: Type.String(),
  objectId: Type.String({ minLength: 1, maxLength: 2048 }),
  partId: Type.String({ maxLength: 64 })
})

/** `Attribute` of an object (digest 2.4): every value an array of decoded strings. */
export const ObjectAttribute = Type.Object({
  name: Type.String(),
  value: Type.Array(Type.String())
})

/** `PayloadPartInfo` (digest 2.5), XSD order. */
export const PayloadPart = Type.Object({
  contentType: Type.String(),
  contentId: Type.Optional(Type.String()),
  contentLocation: Type.Optional(Type.String()),
  size: Type.Optional(Type.Integer({ minimum: 0 })),
  href: Type.String()
})

/** `FlagList` (digest 2.3) as returned. */
export const FlagList = Type.Object({
  flag: Type.Array(Type.String()),
  resourceURL: Type.Optional(Type.String())
})

/** `Object` (digest 2.1) as returned, XSD order. */
export const NmsObject = Type.Object({
  parentFolder: Type.String(),
  attributes: Type.Object({ attribute: Type.Array(ObjectAttribute) }),
  flags: FlagList,
  resourceURL: Type.String(),
  path: Type.Optional(Type.String()),
  payloadURL: Type.Optional(Type.String()),
  payloadPart: Type.Optional(Type.Array(PayloadPart)),
  lastModSeq: Type.Optional(Type.Integer({ minimum: 0 })),
  correlationId: Type.Optional(Type.String()),
  correlationTag: Type.Optional(Type.String())
})

/** `{"object": ...}` */
export const ObjectBody = Type.Object({ object: NmsObject })

/** `{"flagList": ...}` as returned. */
export const FlagListBody = Type.Object({ flagList: FlagList })

/** Body of PUT flags: the full desired set (digest R3). `resourceURL` may be echoed back and is ignored. */
export const FlagListRequest = Type.Object({
  flagList: Type.Object({
    flag: Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 256 }),
    resourceURL: Type.Optional(Type.String({ maxLength: 4096 }))
  })
})

/** `{"empty": null}` (digest 2.9): the individual-flag 404 and 201 body. */
export const EmptyBody = Type.Object({ empty: Type.Null() })

const Exception = Type.Object({ messageId: Type.String(), text: Type.String(), variables: Type.Array(Type.String()) })

/** `{"requestError": ...}` (digest 6.1). */
export const RequestErrorBody = Type.Object({
  requestError: Type.Object({
    link: Type.Optional(Type.Array(Type.Object({ rel: Type.String(), href: Type.String() }))),
    serviceException: Type.Optional(Exception),
    policyException: Type.Optional(Exception)
  })
})

/** A 404 of an individual flag: `empty` when the flag is not set, a requestError when the object is unknown. */
export const FlagNotFoundBody = Type.Union([EmptyBody, RequestErrorBody])

/**
 * Body of an individual flag PUT: `{"empty": null}`, or nothing at all (the JSON parser yields
 * undefined for an empty body, which deployed clients send: client profile check 2).
 */
export const EmptyRequest = Type.Union([Type.Object({ empty: Type.Optional(Type.Null()) }), Type.Null()])

/**
 * A streamed payload (digest R5, R6): any media type. Fastify never runs a serializer on a
 * stream; this only documents the answer.
 */
export const PayloadResponse = {
  description: 'The entity, streamed, with its own Content-Type',
  content: { '*/*': { schema: Type.String({ format: 'binary' }) } }
}

/** Query of GET object pathToId; `path` is required by the spec but its absence is a 404 (digest R8). */
export const ObjectPathQuery = Type.Object({ path: Type.Optional(Type.String({ maxLength: 8192 })) })
