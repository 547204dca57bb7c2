/**
 * Pure conversions from imapflow's FETCH results to the message types of the port
 * (message-types.ts). MODSEQ arrives as bigint and leaves as a decimal string.
 */
import type { FetchMessageObject, MessageAddressObject, MessageEnvelopeObject, MessageStructureObject } from 'imapflow'
import type { BodyStructure, Envelope, EnvelopeAddress, MessageMeta } from './message-types.js'
import { parseAddressList } from './address-list.js'
import { headerFields, rawHeaderFields } from './header-fields.js'
import { storedFlags } from './flag-names.js'

/** Envelope address fields and the header each comes from (RFC 3501 section 7.4.2). */
export const ADDRESS_FIELDS = [
  ['from', 'from'], ['sender', 'sender'], ['replyTo', 'reply-to'], ['to', 'to'], ['cc', 'cc'], ['bcc', 'bcc']
] as const

/** The header fields fetched besides the caller's, to rebuild addresses ENVELOPE cannot carry. */
export const ADDRESS_HEADERS: readonly string[] = ADDRESS_FIELDS.map(([, h]) => h)

/**
 * Dovecot's stand-ins for a missing or unparsable domain (`tel:+1555` has none): imapflow then
 * reports `local@MISSING_DOMAIN`, `tel@SYNTAX_ERROR` or an empty address.
 */
function isBroken (a: MessageAddressObject): boolean {
  const address = a.address ?? ''
  return address === '' || /@(\.?MISSING[-_]DOMAIN\.?|SYNTAX_ERROR|\.MISSING-HOST-NAME\.)$/i.test(address)
}

function cleanAddress (a: MessageAddressObject): EnvelopeAddress {
  return { name: a.name === '' ? undefined : a.name, address: a.address === '' ? undefined : a.address }
}

/**
 * One address list: ENVELOPE's when every entry is a proper `local@domain`, otherwise the
 * header field parsed here, which keeps URI addresses such as `tel:+15551234567` whole.
 */
function addressList (fromEnvelope: MessageAddressObject[] | undefined, raw: string[] | undefined): EnvelopeAddress[] {
  const env = fromEnvelope ?? []
  if (raw !== undefined && (env.length === 0 || env.some(isBroken))) return raw.flatMap(parseAddressList)
  return env.map(cleanAddress)
}

/** The decoded ENVELOPE, with address lists repaired from the raw header fields. */
export function toEnvelope (e: MessageEnvelopeObject | undefined, raw: Map<string, string[]>): Envelope {
  const env = e ?? {}
  const out: Envelope = {
    date: env.date instanceof Date ? env.date : undefined,
    subject: env.subject === '' ? undefined : env.subject,
    from: [],
    sender: [],
    replyTo: [],
    to: [],
    cc: [],
    bcc: [],
    inReplyTo: env.inReplyTo === '' ? undefined : env.inReplyTo,
    messageId: env.messageId === '' ? undefined : env.messageId
  }
  for (const [key, header] of ADDRESS_FIELDS) out[key] = addressList(env[key], raw.get(header))
  return out
}

function lowerKeys (o: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(o ?? {})) out[k.toLowerCase()] = v
  return out
}

/** imapflow's BODYSTRUCTURE node as a BodyStructure; a single-part root gets part `1` (RFC 3501 section 6.4.5). */
export function toBodyStructure (node: MessageStructureObject, isRoot = true): BodyStructure {
  const out: BodyStructure = { type: node.type.toLowerCase(), parameters: lowerKeys(node.parameters) }
  const part = node.part ?? (isRoot && node.childNodes === undefined ? '1' : undefined)
  if (part !== undefined) out.part = part
  if (node.id !== undefined) out.id = node.id
  if (node.description !== undefined) out.description = node.description
  if (node.encoding !== undefined) out.encoding = node.encoding.toLowerCase()
  if (node.size !== undefined) out.size = node.size
  if (node.disposition !== undefined && node.disposition !== '') out.disposition = node.disposition.toLowerCase()
  if (node.dispositionParameters !== undefined) out.dispositionParameters = lowerKeys(node.dispositionParameters)
  if (node.language !== undefined) out.language = node.language
  if (node.location !== undefined) out.location = node.location
  if (node.childNodes !== undefined) out.childNodes = node.childNodes.map((c) => toBodyStructure(c, false))
  return out
}

/** Finds the node of IMAP section `part` (`1`, `2.1`) in a structure. */
export function findPart (root: BodyStructure, part: string): BodyStructure | undefined {
  if (root.part === part) return root
  for (const child of root.childNodes ?? []) {
    const found = findPart(child, part)
    if (found !== undefined) return found
  }
  return undefined
}

/** One FETCH answer as MessageMeta; `headers` are the caller's requested fields only. */
export function toMessageMeta (m: FetchMessageObject, wantedHeaders: readonly string[]): MessageMeta {
  const raw = rawHeaderFields(m.headers)
  const internalDate = m.internalDate instanceof Date ? m.internalDate : new Date(m.internalDate ?? 0)
  return {
    uid: m.uid,
    flags: storedFlags(m.flags),
    modseq: (m.modseq ?? 0n).toString(),
    internalDate,
    size: m.size ?? 0,
    envelope: toEnvelope(m.envelope, raw),
    bodyStructure: m.bodyStructure === undefined ? { part: '1', type: 'text/plain', parameters: {} } : toBodyStructure(m.bodyStructure),
    headers: headerFields(m.headers, wantedHeaders)
  }
}
