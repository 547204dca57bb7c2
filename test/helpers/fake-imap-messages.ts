/**
 * What the fake ImapPort answers about messages of the model (test/helpers/fake-imap-model.ts):
 * the MessageMeta a FETCH of metadata returns, and SEARCH keys evaluated on a message.
 */
import type { MessageMeta, SearchKey } from '../../src/imap/types.js'
import type { FakeMessage } from './fake-imap-model.js'

function values (v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v]
}

/** Every header field of the message, lower-case names (what a `BODY[HEADER.FIELDS]` would find). */
export function headerFields (m: FakeMessage): Record<string, string[]> {
  const s = m.spec
  const out: Record<string, string[]> = {}
  const add = (name: string, v: string[]): void => {
    if (v.length > 0) out[name] = [...(out[name] ?? []), ...v]
  }
  add('from', values(s.from))
  add('to', s.to === undefined ? [] : [s.to.join(', ')])
  add('subject', values(s.subject))
  add('message-id', values(s.messageId))
  for (const [name, v] of Object.entries(s.headers ?? {})) add(name.toLowerCase(), values(v))
  return out
}

/** The message's RFC822.SIZE: its header lines and body, CRLF line ends. */
function sizeOf (m: FakeMessage): number {
  const lines = Object.entries(headerFields(m)).flatMap(([k, vs]) => vs.map((v) => `${k}: ${v}\r\n`))
  return Buffer.byteLength(lines.join('') + '\r\n' + (m.spec.text ?? ''))
}

/**
 * The metadata of `m` as the real port maps a FETCH (src/imap/message-types.ts): one text/plain
 * part, the envelope from the spec, the `wanted` header fields; MODSEQ `0` without CONDSTORE.
 */
export function toMeta (m: FakeMessage, wanted: readonly string[], condstore: boolean): MessageMeta {
  const s = m.spec
  const all = headerFields(m)
  const headers: Record<string, string[]> = {}
  for (const name of wanted.map((h) => h.toLowerCase())) {
    const v = all[name]
    if (v !== undefined) headers[name] = [...v]
  }
  return {
    uid: m.uid,
    flags: [...m.flags],
    modseq: condstore ? m.modseq.toString() : '0',
    internalDate: m.internalDate,
    size: sizeOf(m),
    envelope: {
      date: s.date,
      subject: s.subject,
      from: values(s.from).map((address) => ({ address })),
      sender: [],
      replyTo: [],
      to: (s.to ?? []).map((address) => ({ address })),
      cc: [],
      bcc: [],
      messageId: s.messageId
    },
    bodyStructure: {
      part: '1',
      type: 'text/plain',
      parameters: { charset: 'utf-8' },
      encoding: '8bit',
      size: Buffer.byteLength(s.text ?? '')
    },
    headers
  }
}

/** The UTC calendar day of `d` (SEARCH dates disregard time and timezone, RFC 3501 section 6.4.4). */
function day (d: Date): number {
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
}

function includes (haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle.toLowerCase())
}

/** True when `m` matches `key` (RFC 3501 section 6.4.4 semantics, case-insensitive substrings). */
export function matches (m: FakeMessage, key: SearchKey): boolean {
  const sent = m.spec.date ?? m.internalDate
  switch (key.kind) {
    case 'all': return true
    case 'none': return false
    case 'uidFrom': return m.uid >= key.from
    case 'since': return day(m.internalDate) >= day(key.day)
    case 'before': return day(m.internalDate) < day(key.day)
    case 'sentSince': return day(sent) >= day(key.day)
    case 'sentBefore': return day(sent) < day(key.day)
    case 'header': return (headerFields(m)[key.field.toLowerCase()] ?? []).some((v) => includes(v, key.value))
    case 'body': return includes(m.spec.text ?? '', key.value)
    case 'text': return includes(m.spec.text ?? '', key.value) ||
      Object.values(headerFields(m)).flat().some((v) => includes(v, key.value))
    case 'flag': return m.flags.some((f) => f.toLowerCase() === key.flag.toLowerCase()) === key.set
    case 'and': return key.keys.every((k) => matches(m, k))
    case 'or': return key.keys.some((k) => matches(m, k))
    case 'not': return !matches(m, key.key)
  }
}
