/**
 * Wire schemas of the object resources (nms-spec-digest.md 2.1 to 2.5, R2 to R7), the single
 * source of the HTTP routes' serialisation and of the types src/nms/objects and src/nms/search
 * build (`Static<>`). Members are listed in the XSD order; fast-json-stringify writes exactly
 * these, so a member the NMS layer adds must be added here (deriving the types makes a missing
 * one a compile error).
 */
import { Type, type Static } from '@sinclair/typebox'

/** `Attribute` of an object (digest 2.4): every value an array of decoded strings. */
export const NmsAttributeSchema = Type.Object({
  name: Type.String(),
  value: Type.Array(Type.String())
})
export type NmsAttribute = Static<typeof NmsAttributeSchema>

/** `PayloadPartInfo` (digest 2.5), XSD order. */
export const NmsPayloadPartSchema = Type.Object({
  contentType: Type.String(),
  contentId: Type.Optional(Type.String()),
  contentLocation: Type.Optional(Type.String()),
  size: Type.Optional(Type.Integer({ minimum: 0 })),
  href: Type.String()
})
export type NmsPayloadPart = Static<typeof NmsPayloadPartSchema>

/** `FlagList` (digest 2.3) as returned. */
export const NmsFlagListSchema = Type.Object({
  flag: Type.Array(Type.String()),
  resourceURL: Type.String()
})
export type NmsFlagList = Static<typeof NmsFlagListSchema>

/** `Object` (digest 2.1) as returned, XSD order. */
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
 * `ObjectList` (digest 2.2): one batch, a cursor when more may follow, and the creationCursor of
 * a CreatedObjects answer (4.2).
 */
export const ObjectListSchema = Type.Object({
  object: Type.Array(NmsObjectSchema),
  cursor: Type.Optional(Type.String()),
  creationCursor: Type.Optional(Type.String())
})
export type ObjectList = Static<typeof ObjectListSchema>

/** The `objectReferenceList` of a VanishedObjects search (digest 4.2): URLs only. */
export const VanishedObjectListSchema = Type.Object({
  objectReference: Type.Array(Type.Object({ resourceURL: Type.String() }))
})
export type VanishedObjectList = Static<typeof VanishedObjectListSchema>
