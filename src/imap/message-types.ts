/**
 * Message-level part of the IMAP port (architecture.md section 3, rows object ... copy/move).
 * Everything a message operation returns is IMAP metadata: describing an object never needs
 * its body (ENVELOPE, FLAGS, MODSEQ, INTERNALDATE, RFC822.SIZE, BODYSTRUCTURE and selected
 * header fields), except the small text body inlined as `TextContent`.
 *
 * Every operation names the mailbox by path and may pass the UIDVALIDITY the caller's objectId
 * was minted under: when the mailbox's current UIDVALIDITY differs, the ids are stale and the
 * operation throws GW_ERR_NOT_FOUND (RFC 3501 section 2.3.1.1: UIDs mean nothing across
 * UIDVALIDITY values). A mailbox that does not exist is GW_ERR_NOT_FOUND too.
 */
import type { Readable } from 'node:stream'
import type { BoxAccess } from './box-access.js'

/** One address of an ENVELOPE list (RFC 3501 section 7.4.2), decoded to Unicode. */
export interface EnvelopeAddress {
  name?: string | undefined
  /** `local@domain`, or the raw mailbox text when the address has no domain (e.g. `tel:+1555`). */
  address?: string | undefined
}

/** The ENVELOPE of a message, decoded (RFC 2047 words removed). */
export interface Envelope {
  date?: Date | undefined
  subject?: string | undefined
  from: EnvelopeAddress[]
  sender: EnvelopeAddress[]
  replyTo: EnvelopeAddress[]
  to: EnvelopeAddress[]
  cc: EnvelopeAddress[]
  bcc: EnvelopeAddress[]
  inReplyTo?: string | undefined
  /** As in the header, angle brackets included. */
  messageId?: string | undefined
}

/** One node of BODYSTRUCTURE (RFC 3501 section 7.4.2). */
export interface BodyStructure {
  /** IMAP section number (`1`, `2.1`); `1` for the body of a single-part message. Absent on the root of a multipart. */
  part?: string | undefined
  /** Lower-case `type/subtype`. */
  type: string
  /** Content-Type parameters, lower-case names (`charset`, `boundary`, `name`, ...). */
  parameters: Record<string, string>
  /** Content-ID as sent (angle brackets included). */
  id?: string | undefined
  description?: string | undefined
  /** Content-Transfer-Encoding, lower case. */
  encoding?: string | undefined
  /** Encoded size in bytes. */
  size?: number | undefined
  /** `inline` / `attachment`, lower case. */
  disposition?: string | undefined
  dispositionParameters?: Record<string, string> | undefined
  language?: string[] | undefined
  location?: string | undefined
  /** Children of a multipart, in order. */
  childNodes?: BodyStructure[] | undefined
}

/** What describing one message takes. */
export interface MessageMeta {
  uid: number
  /** Flags and keywords as the server spells them; `\Recent` is never included. */
  flags: string[]
  /** MODSEQ (RFC 7162) as a decimal string; `0` when the server has no CONDSTORE. */
  modseq: string
  internalDate: Date
  /** RFC822.SIZE */
  size: number
  envelope: Envelope
  bodyStructure: BodyStructure
  /**
   * The requested header fields (lower-case names), each occurrence's value unfolded and with
   * RFC 2047 encoded-words decoded; a field that is absent is absent here.
   */
  headers: Record<string, string[]>
}

/** Which messages to fetch. */
export type UidSelection = { uids: readonly number[] } | { afterUid: number, limit: number }

export interface FetchOptions {
  /** Header fields to return in `MessageMeta.headers` (case-insensitive). */
  headers: readonly string[]
  /** Expected UIDVALIDITY; a different one throws GW_ERR_NOT_FOUND. */
  uidValidity?: string | undefined
}

export interface FetchResult {
  uidValidity: string
  /** Ascending by UID; UIDs that do not exist are simply absent. */
  messages: MessageMeta[]
  /** For `afterUid` selections: true when more messages follow the last one returned. */
  more: boolean
}

/** A decoded text part (transfer encoding and charset undone). */
export interface TextPart {
  text: string
  /** True when the part was longer than the requested maximum and was cut. */
  truncated: boolean
}

/**
 * What to stream: the whole RFC 5322 source, the body entity (RFC 3501 `BODY[TEXT]`, the raw
 * body of a multipart so its boundaries stay intact, or the transfer-decoded body of a
 * single-part message), or one MIME part, transfer-decoded.
 */
export type StreamSection = { kind: 'full' } | { kind: 'body' } | { kind: 'part', part: string }

export interface MessageStream {
  /** The bytes; the IMAP session stays leased until it ends, errors or is destroyed. */
  stream: Readable
  /** Byte count when known in advance. */
  size?: number | undefined
  /** The message's BODYSTRUCTURE, read to choose the section (so callers need not fetch it again). */
  structure: BodyStructure
}

export type FlagOperation = 'set' | 'add' | 'remove'

/** Flags of one message after a STORE. */
export interface StoredFlags {
  flags: string[]
  modseq: string
}

/** APPEND result from UIDPLUS APPENDUID (RFC 4315). */
export interface AppendResult {
  uidValidity: string
  uid: number
}

/** COPY/MOVE result from UIDPLUS COPYUID (RFC 4315): source UID -> new UID. */
export interface CopyResult {
  /** UIDVALIDITY of the destination mailbox. */
  uidValidity: string
  uidMap: Map<number, number>
}

/** Message operations of the IMAP port (mixed into ImapPort). */
export interface ImapMessagePort {
  /** Metadata of messages (never bodies). */
  fetchMessages(box: BoxAccess, path: string, which: UidSelection, opts: FetchOptions): Promise<FetchResult>
  /** One text part decoded to a string, at most `maxBytes` of decoded text; null when the message does not exist. */
  fetchText(
    box: BoxAccess, path: string, uid: number, part: string, maxBytes: number, uidValidity?: string
  ): Promise<TextPart | null>
  /**
   * The same text part of many messages in one FETCH, decoded, at most `maxBytes` each; UIDs
   * that do not exist, or have no such leaf part, are absent from the map.
   */
  fetchTexts(
    box: BoxAccess, path: string, uids: readonly number[], part: string, maxBytes: number, uidValidity?: string
  ): Promise<Map<number, TextPart>>
  /** Streams a message or part; GW_ERR_NOT_FOUND when the message or part does not exist. */
  openStream(
    box: BoxAccess, path: string, uid: number, section: StreamSection, uidValidity?: string
  ): Promise<MessageStream>
  /** UID STORE FLAGS / +FLAGS / -FLAGS (RFC 3501 section 6.4.6); returns the resulting flags of every existing UID. */
  storeFlags(
    box: BoxAccess, path: string, uids: readonly number[], op: FlagOperation, flags: readonly string[],
    uidValidity?: string
  ): Promise<Map<number, StoredFlags>>
  /** Marks the UIDs \Deleted and expunges exactly them (UID EXPUNGE, RFC 4315); returns the UIDs that existed. */
  expunge(box: BoxAccess, path: string, uids: readonly number[], uidValidity?: string): Promise<number[]>
  /** APPEND with flags and internal date; the new UID from APPENDUID. */
  append(
    box: BoxAccess, path: string, message: Buffer, flags: readonly string[], internalDate?: Date
  ): Promise<AppendResult>
  /** UID COPY into another mailbox. */
  copyMessages(
    box: BoxAccess, path: string, uids: readonly number[], toPath: string, uidValidity?: string
  ): Promise<CopyResult>
  /** UID MOVE (RFC 6851) into another mailbox. */
  moveMessages(
    box: BoxAccess, path: string, uids: readonly number[], toPath: string, uidValidity?: string
  ): Promise<CopyResult>
}
