/**
 * TypeBox schemas of the object routes (nms-spec-digest.md 2.1 to 2.5, 2.9, R2 to R6, R8): the
 * HTTP wrappers around the wire shapes of src/nms/wire, which the NMS layer derives its types
 * from. Response schemas list every member, in the XSD order, so nothing else leaks out. Shared
 * by every object route plugin (read, flags, payloads, creation, bulk, copy/move).
 */
import { Type } from '@sinclair/typebox'
import { RequestErrorBodySchema } from '../../../../errors/wire.js'
import { NmsFlagListSchema, NmsObjectSchema } from '../../../../nms/wire/object.js'

/** `{"requestError": ...}` (digest 6.1). */
export const RequestErrorBody = RequestErrorBodySchema

export { BoxParams, BulkResponseBody, NoContent, PathListRequest, ReferenceBody } from '../folders/schemas.js'

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

/** `{"object": ...}` */
export const ObjectBody = Type.Object({ object: NmsObjectSchema })

/** `{"flagList": ...}` as returned. */
export const FlagListBody = Type.Object({ flagList: NmsFlagListSchema })

/** Body of PUT flags: the full desired set (digest R3). `resourceURL` may be echoed back and is ignored. */
export const FlagListRequest = Type.Object({
  flagList: Type.Object({
    flag: Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 256 }),
    resourceURL: Type.Optional(Type.String({ maxLength: 4096 }))
  })
})

/** `{"empty": null}` (digest 2.9): the individual-flag 404 and 201 body. */
export const EmptyBody = Type.Object({ empty: Type.Null() })

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
