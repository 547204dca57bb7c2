/**
 * Cursor codec for batched listings and searches (OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C section
 * 5.1.10).
 *
 * A cursor is `base64url(JSON payload) "." base64url(HMAC-SHA256)`, keyed with the store's
 * shared secret so every gateway instance accepts the cursors of the others and restarts keep
 * them valid. The payload carries the resume position and a hash of what the cursor belongs to
 * (box, kind, and the request: folder id or search criteria). A cursor that was altered, signed
 * with another secret, or presented with another box, folder or criteria does not decode, and
 * the caller answers 400 SVC0002 `fromCursor` (the TS lets a server answer an invalid cursor with
 * an HTTP error).
 *
 * Positions are not encrypted: they hold folder names and UIDs of the caller's own box, which
 * the same caller can read anyway.
 */
import { createHash } from 'node:crypto'
import { signToken, verifyToken, type TokenFormat } from './signed-token.js'

const VERSION = 1
/** `base64url(JSON payload) "." base64url(16-byte MAC over "nms-cursor:" and the payload text)`. */
const CURSOR_FORMAT: TokenFormat = { layout: 'dotted', macBytes: 16, maxLength: 4096 }
/** The cursor's binding is inside the payload (its hash), so the MAC context is only the purpose. */
const CURSOR_CONTEXT = 'nms-cursor:'

/** What a cursor is bound to. */
export interface CursorBinding {
  /** Decoded boxId. */
  box: string
  /** Which listing: e.g. `folder` (GET folder) or `folderSearch`. */
  kind: string
  /** The request it continues; hashed canonically (object key order does not matter). */
  request: unknown
}

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** Short hash of a binding (box, kind, request). */
export function bindingHash (binding: CursorBinding): string {
  return createHash('sha256').update(canonicalJson([binding.box, binding.kind, binding.request])).digest('base64url').slice(0, 22)
}

/** Encodes `position` as a cursor bound to `binding`. */
export function encodeCursor (secret: Buffer, binding: CursorBinding, position: unknown): string {
  const payload = Buffer.from(JSON.stringify({ v: VERSION, h: bindingHash(binding), p: position }), 'utf8')
  return signToken(secret, CURSOR_FORMAT, CURSOR_CONTEXT, payload)
}

/**
 * Decodes a cursor; returns its position, or null when it is malformed, tampered with, signed
 * with another secret or bound to something else. The caller still validates the position's shape.
 */
export function decodeCursor (secret: Buffer, binding: CursorBinding, cursor: string): unknown {
  const payload = verifyToken(secret, CURSOR_FORMAT, CURSOR_CONTEXT, cursor)
  if (payload === undefined) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(payload.toString('utf8'))
  } catch {
    return null
  }
  if (parsed === null || typeof parsed !== 'object') return null
  const { v, h, p } = parsed as { v?: unknown, h?: unknown, p?: unknown }
  if (v !== VERSION || h !== bindingHash(binding) || p === undefined) return null
  return p
}
