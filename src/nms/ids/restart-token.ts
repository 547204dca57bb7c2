/**
 * restartToken codec (OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C sections 5.1.4.3 and 5.1.4.3.1;
 * docs/decisions.md, "Box position and restart tokens"): an opaque, integrity-protected encoding
 * of a box position `(epoch, seq)`. Short, box-wide, not tied to a subscription, and valid on
 * every gateway instance, because the HMAC key is the store's shared secret (the one that signs
 * cursors, ./signed-token.ts signs both). It lives in nms/ids because nms (CreatedObjects
 * searches) and sync (restartTokens) both use it.
 *
 * Layout before base64url: version (1 byte), epoch (8 bytes), seq (uint64 big-endian, 8 bytes),
 * then the first 12 bytes of HMAC-SHA256 over purpose, boxId and those 17 bytes. The box and
 * the purpose are in the MAC, not in the token: a token of another box, or a creationCursor
 * given as a restartToken, fails to decode like a forged one. 39 characters.
 *
 * The same codec, with purpose `cc`, makes the `creationCursor` of CreatedObjects searches
 * (section 5.1.5.2 of the same TS): a box position too.
 */
import { signToken, verifyToken, type TokenFormat } from './signed-token.js'

const VERSION = 1
const BODY_BYTES = 17
const TOKEN_FORMAT: TokenFormat = { layout: 'joined', macBytes: 12, maxLength: 512 }

/** What a token is for. */
export type TokenPurpose = 'rt' | 'cc'

/** A box position. */
export interface BoxPosition {
  /** 16 lower-case hex digits (TrackerHead.epoch). */
  epoch: string
  seq: number
}

/** What the MAC binds a token to besides its bytes: its purpose and its box. */
function macContext (purpose: TokenPurpose, boxId: string): string {
  return `nms-${purpose}\u0000${boxId}\u0000`
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
  return signToken(secret, TOKEN_FORMAT, macContext(purpose, boxId), body)
}

/** Decodes a token; undefined when it is malformed, forged, of another box or another purpose. */
export function decodeToken (
  secret: Buffer, purpose: TokenPurpose, boxId: string, token: string
): BoxPosition | undefined {
  const body = verifyToken(secret, TOKEN_FORMAT, macContext(purpose, boxId), token)
  if (body === undefined || body.length !== BODY_BYTES || body[0] !== VERSION) return undefined
  const seq = body.readBigUInt64BE(9)
  if (seq > BigInt(Number.MAX_SAFE_INTEGER)) return undefined
  return { epoch: body.subarray(1, 9).toString('hex'), seq: Number(seq) }
}
