/**
 * `Reference` (nms-spec-digest.md 2.7): the wire schema and, derived from it, the type the NMS
 * layer builds. Every folder and object reference the gateway answers has this shape.
 */
import { Type, type Static } from '@sinclair/typebox'

/** `Reference` (digest 2.7). */
export const NmsReferenceSchema = Type.Object({
  resourceURL: Type.String(),
  path: Type.Optional(Type.String())
})
export type NmsReference = Static<typeof NmsReferenceSchema>
