/**
 * Streaming Content-Transfer-Encoding decoders (RFC 2045 sections 6.7 and 6.8): chunks of
 * encoded bytes in, decoded bytes out, holding back only the few bytes that may continue in
 * the next chunk, so a large part is never held in memory.
 */
import { Transform, type TransformCallback } from 'node:stream'

/** Base64: characters outside the alphabet are ignored (RFC 2045 section 6.8). */
export class Base64Decoder extends Transform {
  private rest = ''

  override _transform (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const text = this.rest + chunk.toString('latin1').replace(/[^A-Za-z0-9+/]/g, '')
    const whole = text.length - (text.length % 4)
    this.rest = text.slice(whole)
    if (whole > 0) this.push(Buffer.from(text.slice(0, whole), 'base64'))
    done()
  }

  override _flush (done: TransformCallback): void {
    // A truncated final quantum still yields the bytes it fully encodes.
    if (this.rest.length > 1) this.push(Buffer.from(this.rest, 'base64'))
    this.rest = ''
    done()
  }
}

/** Decodes quoted-printable text that ends at a safe boundary. */
function decodeQp (s: string): Buffer {
  // Soft line breaks (`=` at line end, RFC 2045 section 6.7 rule 5), then trailing white space
  // of hard lines (rule 3), then `=XX` octets; a stray `=` stays as is.
  const text = s.replace(/=[ \t]*\r?\n/g, '').replace(/[ \t]+(?=\r?\n)/g, '')
  const out = Buffer.alloc(text.length)
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out[n++] = parseInt(text.slice(i + 1, i + 3), 16)
      i += 2
    } else out[n++] = c & 0xff
  }
  return out.subarray(0, n)
}

/** Quoted-printable, decoded line by line; an overlong line is cut before its last `=`. */
export class QuotedPrintableDecoder extends Transform {
  private rest = ''

  override _transform (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const text = this.rest + chunk.toString('latin1')
    let cut = text.lastIndexOf('\n') + 1
    if (cut === 0 && text.length > 4096) {
      // No line end in sight (malformed, RFC 2045 limits lines to 76): decode all but a
      // possible partial `=XX` or trailing white space.
      cut = text.length - 3
      while (cut > 0 && /[=\s]/.test(text[cut - 1] ?? '')) cut--
    }
    this.rest = text.slice(cut)
    if (cut > 0) this.push(decodeQp(text.slice(0, cut)))
    done()
  }

  override _flush (done: TransformCallback): void {
    if (this.rest !== '') this.push(decodeQp(this.rest.replace(/[ \t]+$/, '')))
    this.rest = ''
    done()
  }
}

/** A decoder for `encoding` (lower case), or undefined for identity encodings (7bit, 8bit, binary, unknown). */
export function transferDecoder (encoding: string | undefined): Transform | undefined {
  switch ((encoding ?? '').toLowerCase()) {
    case 'base64': return new Base64Decoder()
    case 'quoted-printable': return new QuotedPrintableDecoder()
    default: return undefined
  }
}

/** Decodes a whole (small) buffer at once. */
export function decodeTransfer (data: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? '').toLowerCase()) {
    case 'base64': return Buffer.from(data.toString('latin1').replace(/[^A-Za-z0-9+/]/g, ''), 'base64')
    case 'quoted-printable': return decodeQp(data.toString('latin1'))
    default: return data
  }
}
