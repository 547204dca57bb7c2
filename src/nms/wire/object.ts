/**
 * Wire schemas of the object resources (OMA NMS TS sections 5.3.2.1 to 5.3.2.7 and 6.2 to 6.7,
 * OMA NMS TS being OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C), the single source of the HTTP routes'
 * serialisation and of the types src/nms/objects and src/nms/search build (`Static<>`). Members
 * are listed in the XSD order; fast-json-stringify writes exactly these, so a member the NMS layer
 * adds must be added here (deriving the types makes a missing one a compile error).
 */
import { Type, type Static } from '@sinclair/typebox'

/** `Attribute` of an object (OMA NMS TS section 5.3.2.5): every value an array of decoded strings. */
export const NmsAttributeSchema = Type.Object({
  name: Type.String(),
  value: Type.Array(Type.String())
})
export type NmsAttribute = Static<typeof NmsAttributeSchema>

/** `PayloadPartInfo` (OMA NMS TS section 5.3.2.7), XSD order. */
export const NmsPayloadPartSchema = Type.Object({
  contentType: Type.String(),
  contentId: Type.Optional(Type.String()),
  contentLocation: Type.Optional(Type.String()),
  size: Type.Optional(Type.Integer({ minimum: 0 })),
  href: Type.String()
})
export type NmsPayloadPart = Static<typeof NmsPayloadPartSchema>

/** `FlagList` (OMA NMS TS section 5.3.2.4) as returned. */
export const NmsFlagListSchema = Type.Object({
  flag: Type.Array(Type.String()),
  resourceURL: Type.String()
})
export type NmsFlagList = Static<typeof NmsFlagListSchema>

/** `Object` (OMA NMS TS section 5.3.2.1) as returned, XSD order. */
export const NmsObjectSchema = Type.Object({
  parentFolder: Type.String(),
  attributes: Type.Object({ attribute: Type.Array(NmsAttributeSchema) }),
  flags: NmsFlagListSchema,
  resourceURL: Type.String(),
  path: Type.String(),
  payloadURL: Type.Optional(Type.String()),
  payloadPart: Type.Optional(Type.Array(NmsPayloadPartSchema)),
  lastModSeq: Type.Optional(Type.Integer({ minimum: 0 })),
  correlationId: Type.Optional(Type.String()),
  correlationTag: Type.Optional(Type.String())
})
export type NmsObject = Static<typeof NmsObjectSchema>

/**
 * `ObjectList` (OMA NMS TS section 5.3.2.2): one batch, a cursor when more may follow, and the
 * creationCursor of a CreatedObjects answer (section 5.1.5.2).
 */
export const ObjectListSchema = Type.Object({
  object: Type.Array(NmsObjectSchema),
  cursor: Type.Optional(Type.String()),
  creationCursor: Type.Optional(Type.String())
})
export type ObjectList = Static<typeof ObjectListSchema>

/** The `objectReferenceList` of a VanishedObjects search (OMA NMS TS section 6.7): URLs only. */
export const VanishedObjectListSchema = Type.Object({
  objectReference: Type.Array(Type.Object({ resourceURL: Type.String() }))
})
export type VanishedObjectList = Static<typeof VanishedObjectListSchema>
