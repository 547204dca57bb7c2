/**
 * Streams one section of a message from IMAP in partial FETCHes (RFC 3501 section 6.4.5,
 * `BODY.PEEK[section]<offset.length>`), one chunk at a time as the consumer reads, so a large
 * message is never held whole in memory. The leased session and the mailbox lock are held
 * until the stream ends, fails or is destroyed, then given back exactly once.
 */
import { Readable, pipeline, type Transform } from 'node:stream'
import type { ImapFlow } from 'imapflow'

/** Bytes per partial FETCH: few round trips, bounded memory. */
export const CHUNK_BYTES = 256 * 1024

export interface SectionSource {
  client: ImapFlow
  uid: number
  /** IMAP section (`TEXT`, `1`, `2.1`); undefined for the whole message (`BODY[]`). */
  section: string | undefined
  /** Called once when the stream is done with the session; `broken` when the session is unusable. */
  done: (broken: boolean) => void
  chunkBytes?: number | undefined
}

/** The raw (still transfer-encoded) bytes of one section. */
export class ImapSectionStream extends Readable {
  private offset = 0
  private inFlight: Promise<void> | undefined
  private finished = false

  constructor (private readonly src: SectionSource) {
    super({ highWaterMark: src.chunkBytes ?? CHUNK_BYTES })
  }

  override _read (): void {
    if (this.inFlight !== undefined || this.finished) return
    this.inFlight = this.fetchChunk().then(
      () => { this.inFlight = undefined },
      (err: unknown) => {
        this.inFlight = undefined
        this.destroy(err instanceof Error ? err : new Error(String(err)))
      }
    )
  }

  private async fetchChunk (): Promise<void> {
    const { client, uid, section } = this.src
    const size = this.src.chunkBytes ?? CHUNK_BYTES
    const window = { start: this.offset, maxLength: size }
    const query = section === undefined
      ? { uid: true, source: window }
      : { uid: true, bodyParts: [{ key: section, ...window }] }
    const res = await client.fetchOne(String(uid), query, { uid: true })
    if (this.destroyed) return
    if (res === false || res === undefined) {
      // Expunged by another client mid-stream: ending quietly would pass a cut body off as whole.
      throw Object.assign(new Error(`message UID ${uid} disappeared during the download`), { code: 'DownloadIncomplete' })
    }
    const chunk = section === undefined ? res.source : res.bodyParts?.get(section.toLowerCase())
    const bytes = chunk ?? Buffer.alloc(0)
    this.offset += bytes.length
    // RFC 3501 section 6.4.5: a partial FETCH returns fewer octets only at the end of the section.
    if (bytes.length < size) this.finished = true
    if (bytes.length > 0) this.push(bytes)
    if (this.finished) this.push(null)
  }

  override _destroy (err: Error | null, cb: (error?: Error | null) => void): void {
    // A FETCH still running finishes first, so the session is left between commands and can be
    // reused; if it broke meanwhile the pool drops it.
    // Its failure, if any, was the reader's already (_read): only its end matters here.
    const pending = this.inFlight ?? Promise.resolve()
    const release = (): void => {
      this.src.done(!this.src.client.usable)
      cb(err)
    }
    pending.then(release, release)
  }
}

/** The section as a stream, run through `decoder` when given (errors and destruction propagate both ways). */
export function sectionStream (src: SectionSource, decoder: Transform | undefined): Readable {
  const raw = new ImapSectionStream(src)
  if (decoder === undefined) return raw
  pipeline(raw, decoder, () => { /* errors reach the consumer through `decoder` */ })
  return decoder
}
