/**
 * A folder's search candidates in search order, as a stream the search engine merges.
 *
 * `LazyStream` serves UIDs whose order is already right (ascending UID, or the server's SORT
 * ARRIVAL) and fetches their metadata a chunk at a time, so a batch of 100 out of 10,000
 * matches reads about 100 messages. `LoadedStream` is for orders only the gateway can compute
 * (attribute sorts): it reads every candidate's metadata once, keys and sorts them; the cost is
 * O(candidates) per batch.
 */
import { GatewayError } from '../../errors/gateway-error.js'
import type { MessageMeta } from '../../imap/types.js'
import type { FolderContext } from '../folders/context.js'
import type { FolderNode } from '../folders/tree.js'
import { fetchMetas } from '../objects/describe.js'
import type { SortKey } from './sort-spec.js'

/** One candidate object: where it is, its metadata and its sort key. */
export interface Candidate {
  folder: FolderNode
  meta: MessageMeta
  key: SortKey[]
}

export type KeyOf = (folder: FolderNode, meta: MessageMeta) => SortKey[]

export interface CandidateStream {
  readonly folder: FolderNode
  /** The next candidate, fetching metadata when needed; undefined at the end. */
  peek(): Promise<Candidate | undefined>
  /** Drops the candidate `peek` returned. */
  take(): void
  /** True while candidates may remain. */
  readonly pending: boolean
}

const MAX_CHUNK = 1000

/** Metadata of `uids` in `folder`, in the order of `uids`; a folder gone or recreated meanwhile yields none. */
async function metasInOrder (ctx: FolderContext, folder: FolderNode, uids: readonly number[]): Promise<MessageMeta[]> {
  let metas: MessageMeta[]
  try {
    metas = await fetchMetas(ctx, folder, uids)
  } catch (err) {
    // The folder was deleted or recreated since the search listed it: its objects are gone.
    if (err instanceof GatewayError && err.code === 'GW_ERR_NOT_FOUND') return []
    throw err
  }
  const byUid = new Map(metas.map((m) => [m.uid, m]))
  return uids.flatMap((u) => byUid.get(u) ?? [])
}

/** Candidates in the order of `uids`, read a chunk at a time (chunks double up to MAX_CHUNK). */
export class LazyStream implements CandidateStream {
  private pos = 0
  private buf: Candidate[] = []

  constructor (
    private readonly ctx: FolderContext,
    readonly folder: FolderNode,
    private readonly uids: readonly number[],
    private readonly keyOf: KeyOf,
    private chunk: number
  ) {}

  /** Starts at `uids[index]` (the caller knows everything before it is behind its cursor). */
  skipTo (index: number): void {
    this.pos = Math.max(this.pos, index)
  }

  get pending (): boolean {
    return this.buf.length > 0 || this.pos < this.uids.length
  }

  async peek (): Promise<Candidate | undefined> {
    while (this.buf.length === 0 && this.pos < this.uids.length) {
      const slice = this.uids.slice(this.pos, this.pos + this.chunk)
      this.pos += slice.length
      this.chunk = Math.min(this.chunk * 2, MAX_CHUNK)
      for (const meta of await metasInOrder(this.ctx, this.folder, slice)) {
        this.buf.push({ folder: this.folder, meta, key: this.keyOf(this.folder, meta) })
      }
    }
    return this.buf[0]
  }

  take (): void {
    this.buf.shift()
  }
}

/** Every candidate of `uids`, read, keyed and sorted by `compare` before the first `peek`. */
export class LoadedStream implements CandidateStream {
  private items: Candidate[] = []
  private next = 0

  private constructor (readonly folder: FolderNode) {}

  static async load (
    ctx: FolderContext, folder: FolderNode, uids: readonly number[], keyOf: KeyOf,
    compare: (a: Candidate, b: Candidate) => number
  ): Promise<LoadedStream> {
    const s = new LoadedStream(folder)
    for (let i = 0; i < uids.length; i += MAX_CHUNK) {
      for (const meta of await metasInOrder(ctx, folder, uids.slice(i, i + MAX_CHUNK))) {
        s.items.push({ folder, meta, key: keyOf(folder, meta) })
      }
    }
    s.items.sort(compare)
    return s
  }

  get pending (): boolean {
    return this.next < this.items.length
  }

  async peek (): Promise<Candidate | undefined> {
    return this.items[this.next]
  }

  take (): void {
    this.next++
  }
}
