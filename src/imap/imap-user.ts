/**
 * The IMAP login name of a box (architecture.md section 3): `imap.userTemplate` with `{user}` =
 * the boxId without its URI scheme (`tel:+15551234567` -> `+15551234567`) and `{boxId}` = the
 * boxId as given.
 */
import { GatewayError } from '../errors/gateway-error.js'

// RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
const SCHEME = /^[a-z][a-z0-9+.-]*:/i

/**
 * Renders the IMAP user of `boxId`. Throws GW_ERR_INPUT_INVALID for a result that is empty or
 * holds CR, LF or NUL: those would end or corrupt the IMAP command line (RFC 3501 section 4.3,
 * CHAR8 excludes NUL and a quoted string excludes CR/LF) or the SASL PLAIN message (RFC 4616
 * section 2 uses NUL as the field separator).
 */
export function imapUserFor (template: string, boxId: string): string {
  const user = boxId.replace(SCHEME, '')
  const rendered = template.replace(/\{(user|boxId)\}/g, (_m, name: string) => name === 'user' ? user : boxId)
  if (rendered.length === 0 || /[\r\n\0]/.test(rendered)) {
    throw new GatewayError('GW_ERR_INPUT_INVALID', { variables: ['boxId'], detail: 'box id yields an unusable IMAP user name' })
  }
  return rendered
}
