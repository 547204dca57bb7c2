/**
 * Messages and assertions shared by the imap-messages*.test.ts files.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import { isGatewayError } from '../../src/errors/gateway-error.js'

/** A 1x1 PNG plus every byte value, so any text-mode mangling shows. */
export const IMAGE = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'),
  Buffer.from(Array.from({ length: 256 }, (_v, i) => i)),
  Buffer.from(Array.from({ length: 4000 }, (_v, i) => (i * 7919) % 256))
])

/** Base64 folded at 76 characters (RFC 2045 section 6.8). */
export function base64Lines (data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n')
}

/** An MMS-like multipart/related message: an ISO-8859-1 quoted-printable text and a binary image. */
export function mmsMessage (): string {
  return [
    'From: <tel:+15557654321>',
    'To: tel:+15551234567, "Bob" <tel:+15550001111>',
    'Subject: =?UTF-8?B?R3LDvMOfZSDml6XmnKw=?=',
    'Date: Tue, 03 Mar 2026 10:11:12 +0100',
    'Message-ID: <mms-1@example.com>',
    'Message-Context: multimedia-message',
    'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="b-rel"; type="text/plain"',
    '',
    '--b-rel',
    'Content-Type: text/plain; charset=ISO-8859-1',
    'Content-Transfer-Encoding: quoted-printable',
    'Content-ID: <text0>',
    '',
    'Gr=FC=DFe aus M=FCnchen, eine lange Zeile die weich umbrochen wird und noch =',
    'weitergeht.',
    '--b-rel',
    'Content-Type: image/png; name="pic.png"',
    'Content-Transfer-Encoding: base64',
    'Content-ID: <image0>',
    'Content-Disposition: attachment; filename="pic.png"',
    '',
    base64Lines(IMAGE),
    '--b-rel--',
    ''
  ].join('\r\n')
}

/** A plain message; `extra` header lines are added before the body. */
export function plainMessage (n: number, extra: string[] = []): string {
  return [
    'From: a@example.com', 'To: b@example.com', `Subject: m${n}`, `Message-ID: <m${n}@example.com>`, ...extra, '', `body ${n}`, ''
  ].join('\r\n')
}

/** Asserts a GatewayError with `code`. */
export function isCode (code: string) {
  return (err: unknown): boolean => {
    assert.ok(isGatewayError(err), `expected a GatewayError, got ${String(err)}`)
    assert.equal(err.code, code)
    return true
  }
}

/** Reads a stream to the end. */
export async function collect (stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string))
  return Buffer.concat(chunks)
}

export function sha256 (data: Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}
