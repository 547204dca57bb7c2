/**
 * objectId codec (architecture.md section 3): an opaque, URL-safe encoding of
 * (folderId, UIDVALIDITY, UID). Unique for the life of the box because folderIds are never
 * reused and RFC 3501 section 2.3.1.1 forbids reusing a UID within one UIDVALIDITY.
 *
 * Layout before base64url: version byte (1), folderId length (1 byte), folderId (ASCII),
 * UIDVALIDITY (uint32 BE), UID (uint32 BE). Decoding is strict and canonical (re-encoding must
 * give back the input), so one object has exactly one id string. The shortest possible id (a
 * one-character folderId) is 15 characters, so it can never be the reserved literal `operations`.
 */
import { looksLikeFolderId } from './folder-id.js'

const VERSION = 1
const UINT32_MAX = 0xffffffff

/** The parts of an objectId. */
export interface ObjectIdParts {
  folderId: string
  /** UIDVALIDITY of the mailbox as a decimal string (RFC 3501 nz-number). */
  uidValidity: string
  uid: number
}

function parseUint32 (s: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(s)) return undefined
  const n = Number(s)
  return n <= UINT32_MAX ? n : undefined
}

/**
 * Encodes an objectId.
 * @throws RangeError when a part is out of range (a programming error, never client input).
 */
export function encodeObjectId (parts: ObjectIdParts): string {
  const uv = parseUint32(parts.uidValidity)
  if (uv === undefined) throw new RangeError(`bad UIDVALIDITY ${parts.uidValidity}`)
  if (!Number.isInteger(parts.uid) || parts.uid < 1 || parts.uid > UINT32_MAX) throw new RangeError(`bad UID ${parts.uid}`)
  if (!looksLikeFolderId(parts.folderId) || parts.folderId.length > 255) throw new RangeError('bad folderId')
  const fid = Buffer.from(parts.folderId, 'ascii')
  const buf = Buffer.alloc(2 + fid.length + 8)
  buf[0] = VERSION
  buf[1] = fid.length
  fid.copy(buf, 2)
  buf.writeUInt32BE(uv, 2 + fid.length)
  buf.writeUInt32BE(parts.uid, 6 + fid.length)
  return buf.toString('base64url')
}

/** Decodes an objectId; null for anything this gateway did not produce. */
export function decodeObjectId (id: string): ObjectIdParts | null {
  if (!/^[A-Za-z0-9_-]{15,400}$/.test(id)) return null
  const buf = Buffer.from(id, 'base64url')
  if (buf.length < 11 || buf[0] !== VERSION) return null
  const len = buf[1] ?? 0
  if (len === 0 || buf.length !== 2 + len + 8) return null
  const folderId = buf.subarray(2, 2 + len).toString('latin1')
  if (!looksLikeFolderId(folderId)) return null
  const uv = buf.readUInt32BE(2 + len)
  const uid = buf.readUInt32BE(6 + len)
  if (uv === 0 || uid === 0) return null
  const parts = { folderId, uidValidity: String(uv), uid }
  // Canonical form only: base64url has several spellings of the same bytes (unused tail bits).
  return encodeObjectId(parts) === id ? parts : null
}
