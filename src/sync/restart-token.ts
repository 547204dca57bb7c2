/**
 * restartToken codec (nms-spec-digest.md 3.4, 3.7; architecture.md section 4): an opaque,
 * integrity-protected encoding of a box position `(epoch, seq)`. Short, box-wide, not tied to
 * a subscription, and valid on every gateway instance, because the HMAC key is the store's
 * shared secret (the one that signs cursors).
 *
 * Layout before base64url: version (1 byte), epoch (8 bytes), seq (uint64 big-endian, 8 bytes),
 * then the first 12 bytes of HMAC-SHA256 over purpose, boxId and those 17 bytes. The box and
 * the purpose are in the MAC, not in the token: a token of another box, or a creationCursor
 * given as a restartToken, fails to decode like a forged one. 39 characters.
 *
 * The same codec, with purpose `cc`, makes the `creationCursor` of CreatedObjects searches
 * (digest 3.8): a box position too.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

const VERSION = 1
const BODY_BYTES = 17
const MAC_BYTES = 12
const MAX_TOKEN_LENGTH = 512

/** What a token is for. */
export type TokenPurpose = 'rt' | 'cc'

/** A box position. */
export interface BoxPosition {
  /** 16 lower-case hex digits (TrackerHead.epoch). */
  epoch: string
  seq: number
}

function mac (secret: Buffer, purpose: TokenPurpose, boxId: string, body: Buffer): Buffer {
  return createHmac('sha256', secret)
    .update(`nms-${purpose}\u0000${boxId}\u0000`)
    .update(body)
    .digest()
    .subarray(0, MAC_BYTES)
}

/** A fresh random epoch. */
export function newEpoch (random: (n: number) => Buffer): string {
  return random(8).toString('hex')
}

/**
 * Encodes a position.
 * @throws RangeError for an epoch that is not 16 hex digits or a seq outside 0..2^53-1
 */
export function encodeToken (secret: Buffer, purpose: TokenPurpose, boxId: string, p: BoxPosition): string {
  if (!/^[0-9a-f]{16}$/.test(p.epoch)) throw new RangeError('bad epoch')
  if (!Number.isSafeInteger(p.seq) || p.seq < 0) throw new RangeError('bad seq')
  const body = Buffer.alloc(BODY_BYTES)
  body[0] = VERSION
  Buffer.from(p.epoch, 'hex').copy(body, 1)
  body.writeBigUInt64BE(BigInt(p.seq), 9)
  return Buffer.concat([body, mac(secret, purpose, boxId, body)]).toString('base64url')
}

/** Decodes a token; undefined when it is malformed, forged, of another box or another purpose. */
export function decodeToken (
  secret: Buffer, purpose: TokenPurpose, boxId: string, token: string
): BoxPosition | undefined {
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined
  const raw = Buffer.from(token, 'base64url')
  if (raw.length !== BODY_BYTES + MAC_BYTES || raw[0] !== VERSION) return undefined
  // Canonical spelling only (base64url has several for the same bytes).
  if (raw.toString('base64url') !== token) return undefined
  const body = raw.subarray(0, BODY_BYTES)
  const given = raw.subarray(BODY_BYTES)
  if (!timingSafeEqual(given, mac(secret, purpose, boxId, body))) return undefined
  const seq = body.readBigUInt64BE(9)
  if (seq > BigInt(Number.MAX_SAFE_INTEGER)) return undefined
  return { epoch: body.subarray(1, 9).toString('hex'), seq: Number(seq) }
}
