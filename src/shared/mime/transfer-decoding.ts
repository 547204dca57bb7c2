/**
 * Content-Transfer-Encoding decoders (RFC 2045 sections 6.7 and 6.8) over nodemailer's libqp and
 * libbase64, the codecs imapflow and nodemailer already use. The streaming ones take chunks of
 * encoded bytes and hold back only the few bytes that may continue in the next chunk, so a large
 * part is never held in memory.
 */
import { Transform, type TransformCallback } from 'node:stream'
import * as libbase64 from 'libbase64'
import * as libqp from 'libqp'

/** Characters outside the base64 alphabet (and its `=` pad), ignored by RFC 2045 section 6.8. */
const NOT_BASE64 = /[^A-Za-z0-9+/=]/g

/** Base64 text of `data` with everything outside the alphabet removed; bytes are read as latin1. */
function base64Text (data: Buffer): string {
  return data.toString('latin1').replace(NOT_BASE64, '')
}

/**
 * Base64 over libbase64's streaming decoder. Non-alphabet bytes are removed first: libbase64
 * reads chunks as `ascii`, which clears the high bit, so an 8-bit byte would turn into a letter.
 */
export class Base64Decoder extends libbase64.Decoder {
  override _transform (chunk: Buffer, encoding: BufferEncoding, done: TransformCallback): void {
    super._transform(Buffer.from(base64Text(chunk), 'latin1'), encoding, done)
  }
}

/**
 * Decodes quoted-printable text with libqp (`=XX` octets, soft line breaks, white space at line
 * ends: RFC 2045 section 6.7); `data` may be a piece of a longer body. libqp takes the end of
 * its input for the end of the body and drops white space and a lone `=` there, which a piece
 * cut after a soft line break (`weich =` CRLF `umbrochen`) must keep: a `.` appended and cut off
 * again keeps that end as it is.
 */
export function decodeQuotedPrintable (data: Buffer | string): Buffer {
  const text = typeof data === 'string' ? data : data.toString('latin1')
  return libqp.decode(`${text}.`).subarray(0, -1)
}

/**
 * Quoted-printable, decoded line by line (libqp's own stream buffers the whole input until it
 * ends); an overlong line is cut before a possible partial `=XX` or trailing white space.
 */
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
    if (cut > 0) this.push(decodeQuotedPrintable(text.slice(0, cut)))
    done()
  }

  override _flush (done: TransformCallback): void {
    // The end of the body: its trailing white space goes too (RFC 2045 section 6.7 rule 3).
    if (this.rest !== '') this.push(decodeQuotedPrintable(this.rest.replace(/[ \t]+$/, '')))
    this.rest = ''
    done()
  }
}

/** A decoder for `encoding` (any case), or undefined for identity encodings (7bit, 8bit, binary, unknown). */
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
    case 'base64': return libbase64.decode(base64Text(data))
    case 'quoted-printable': return decodeQuotedPrintable(data)
    default: return data
  }
}
