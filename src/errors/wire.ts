/**
 * The wire shape of an error: `requestError` (the RequestError type of OMA-TS-REST_NetAPI_Common-V1_0,
 * which OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C uses in section 7), and its content, which a bulk
 * response item carries bare as `failure` (section 5.3.2.31 of that NMS TS). The routes serialise
 * with these schemas, so a member missing here would be dropped from the answer.
 */
import { Type, type Static } from '@sinclair/typebox'

/** `ServiceException` / `PolicyException`. */
export const NmsExceptionSchema = Type.Object({
  messageId: Type.String(),
  text: Type.String(),
  variables: Type.Array(Type.String())
})
export type NmsException = Static<typeof NmsExceptionSchema>

/** `link` entries of a requestError. */
export const ErrorLinkSchema = Type.Object({ rel: Type.String(), href: Type.String() })

/**
 * The content of a requestError: links and exactly one of the two exceptions (the schema cannot
 * say "exactly one" without an anyOf the serialiser would have to try; `NmsFailure` says it).
 */
export const RequestFailureSchema = Type.Object({
  link: Type.Optional(Type.Array(ErrorLinkSchema)),
  serviceException: Type.Optional(NmsExceptionSchema),
  policyException: Type.Optional(NmsExceptionSchema)
})

/** `{"requestError": ...}`. */
export const RequestErrorBodySchema = Type.Object({ requestError: RequestFailureSchema })
