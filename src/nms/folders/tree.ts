/**
 * The folders of one box as seen by one request: the reconciled LIST joined with the registry,
 * indexed by id and by path, with the hierarchy resolved.
 */
import type { MailboxStatus } from '../../imap/types.js'
import type { FolderAttribute, FolderRecord } from '../../store/folder-registry-store.js'
import { nmsPathOf, pathKey } from '../paths.js'

/** One folder: its registry record joined with what the LIST said. */
export interface FolderNode {
  id: string
  /** IMAP mailbox path with the server delimiter. */
  imapPath: string
  /** Folder names from the top. */
  segments: string[]
  /** Last segment (NMS `name`). */
  name: string
  /** NMS path: `/` + segments joined with `/`. */
  nmsPath: string
  parentId: string | undefined
  /** Top-level mailbox (NMS attribute `Root` = `Yes`). */
  root: boolean
  /** False for `\Noselect` mailboxes and synthesized parents: no messages. */
  selectable: boolean
  /** RFC 6154 special use from the LIST (`\Sent`, ...); the object `Direction` rule needs `\Sent`. */
  specialUse?: string | undefined
  /** A parent the LIST did not return (no IMAP mailbox to delete or rename on its own). */
  virtual: boolean
  uidValidity: string
  lastModSeq: number
  firstSeen: string
  attributes: FolderAttribute[]
  status: MailboxStatus | undefined
  record: FolderRecord
}

/** Code-point order, the same on every instance and locale. */
export function compareStrings (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Compares paths segment by segment (`/a/b` before `/a b`). */
export function compareSegments (a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const c = compareStrings(a[i] as string, b[i] as string)
    if (c !== 0) return c
  }
  return a.length - b.length
}

/** The folders of a box, indexed by id and path. */
export class FolderTree {
  readonly delimiter: string
  private readonly ids = new Map<string, FolderNode>()
  private readonly paths = new Map<string, FolderNode>()
  private readonly kids = new Map<string, FolderNode[]>()
  private readonly sorted: FolderNode[]

  constructor (nodes: readonly FolderNode[], delimiter: string) {
    this.delimiter = delimiter
    this.sorted = [...nodes].sort((a, b) => compareSegments(a.segments, b.segments))
    for (const n of this.sorted) {
      this.ids.set(n.id, n)
      this.paths.set(pathKey(n.segments), n)
    }
    for (const n of this.sorted) {
      if (n.parentId === undefined) continue
      const list = this.kids.get(n.parentId)
      if (list === undefined) this.kids.set(n.parentId, [n])
      else list.push(n)
    }
  }

  /** Every folder, sorted by path. */
  all (): readonly FolderNode[] { return this.sorted }

  byId (id: string): FolderNode | undefined { return this.ids.get(id) }

  /** The folder at `segments` (top-level INBOX matched case-insensitively). */
  byPath (segments: readonly string[]): FolderNode | undefined { return this.paths.get(pathKey(segments)) }

  /** Direct children, sorted by name. */
  children (id: string): readonly FolderNode[] { return this.kids.get(id) ?? [] }

  roots (): FolderNode[] { return this.sorted.filter((n) => n.root) }

  /** The folder and everything below it, parents before children. */
  subtree (id: string): FolderNode[] {
    const start = this.ids.get(id)
    if (start === undefined) return []
    const out: FolderNode[] = []
    const walk = (n: FolderNode): void => {
      out.push(n)
      for (const c of this.children(n.id)) walk(c)
    }
    walk(start)
    return out
  }

  /** The folder's ancestors, nearest first. */
  ancestors (id: string): FolderNode[] {
    const out: FolderNode[] = []
    let n = this.ids.get(id)
    while (n?.parentId !== undefined) {
      n = this.ids.get(n.parentId)
      if (n !== undefined) out.push(n)
    }
    return out
  }
}

/** Builds a node from its record and what the LIST said. */
export function makeNode (
  record: FolderRecord,
  segments: string[],
  parentId: string | undefined,
  info: { selectable: boolean, virtual: boolean, status: MailboxStatus | undefined, specialUse?: string | undefined }
): FolderNode {
  return {
    id: record.id,
    imapPath: record.path,
    segments,
    name: segments[segments.length - 1] ?? '',
    nmsPath: nmsPathOf(segments),
    parentId,
    root: segments.length === 1,
    selectable: info.selectable,
    specialUse: info.specialUse,
    virtual: info.virtual,
    uidValidity: record.uidValidity,
    lastModSeq: record.lastModSeq,
    firstSeen: record.firstSeen,
    attributes: record.attributes ?? [],
    status: info.status,
    record
  }
}
