/**
 * `Reference` (OMA NMS TS section 5.3.2.11, OMA NMS TS being OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C):
 * the wire schema and, derived from it, the type the NMS layer builds. Every folder and object
 * reference the gateway answers has this shape.
 */
import { Type, type Static } from '@sinclair/typebox'

/** `Reference` (OMA NMS TS section 5.3.2.11). */
export const NmsReferenceSchema = Type.Object({
  resourceURL: Type.String(),
  path: Type.Optional(Type.String())
})
export type NmsReference = Static<typeof NmsReferenceSchema>
