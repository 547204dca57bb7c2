/**
 * Gateway-assigned folder ids (architecture.md section 3; nms-spec-digest.md section 0.2).
 *
 * 16 random bytes in base64url: opaque, URL-safe, 22 characters, so never the reserved literal
 * `operations` (10 characters) and, with 128 bits of randomness, never handed out twice. A ULID
 * was rejected because it would leak the creation time and adds nothing the registry's
 * `firstSeen` does not already record.
 */
import { randomBytes } from 'node:crypto'

/** A fresh folderId. */
export function newFolderId (): string {
  return randomBytes(16).toString('base64url')
}

/** True when `s` has the shape of an id this gateway hands out (cheap pre-check before a lookup). */
export function looksLikeFolderId (s: string): boolean {
  return /^[A-Za-z0-9_-]{1,128}$/.test(s) && s !== 'operations'
}
