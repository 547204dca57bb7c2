/**
 * Typings for the parts of libbase64 (nodemailer's base64 codec) the gateway uses; the package
 * ships none and DefinitelyTyped has none.
 */
declare module 'libbase64' {
  import { Transform } from 'node:stream'

  /** Decodes base64 text; input made of several padded segments is decoded segment by segment. */
  export function decode (str: string): Buffer

  /** A streaming base64 decoder: characters outside the alphabet are dropped. */
  export class Decoder extends Transform {}
}
