/**
 * `POST /objects/operations/search` (nms-spec-digest.md R7, section 4; architecture.md section 5):
 * one batch of the objects matching `selectionCriteria`, in order, with a cursor when more may
 * follow.
 *
 * Order. Without sort criteria: by folder id, then UID (stable under renames, and new messages
 * get higher UIDs, so paging a box that only grows never skips an object present throughout:
 * digest 4.5 guarantee ii). With sort criteria: by the keys, then folder id and UID in the first
 * criterion's direction, a total order. A `Date` sort uses the server's SORT ARRIVAL (RFC 5256)
 * per folder and merges the folders; attribute sorts are keyed by the gateway.
 *
 * Cursors (src/nms/ids/cursor.ts) carry the last position examined, `(keys, folderId,
 * UIDVALIDITY, UID)`, HMAC-signed and bound to the box, criteria, scope and order; the next
 * batch starts strictly after that position, so a static box pages with no omission and no
 * duplicate (guarantee i). A folder whose UIDVALIDITY changed holds only new objects, all of
 * which count as after the position.
 *
 * Work per batch is bounded by `search.scanLimit` candidates: a batch that reaches it ends
 * early with a cursor (the spec lets a batch hold fewer than maxEntries, even none).
 */
import { invalidInput } from '../../errors/gateway-error.js'
import { GatewayError } from '../../errors/gateway-error.js'
import type { MessageMeta, SearchKey } from '../../imap/types.js'
import type { FolderContext } from '../folders/context.js'
import { loadFolders } from '../folders/load.js'
import { folderIdFromUrl } from '../folders/lookup.js'
import type { FolderNode, FolderTree } from '../folders/tree.js'
import { decodeCursor, encodeCursor, type CursorBinding } from '../ids/cursor.js'
import { describeMessages } from '../objects/describe.js'
import { toNmsObject, type NmsObject } from '../objects/representation.js'
import type { ObjectList } from '../wire/object.js'
import type { SelectionCriteria } from '../wire/search.js'
import { LazyStream, LoadedStream, type Candidate, type CandidateStream, type KeyOf } from './candidate-stream.js'
import { attributeValues, compileObjectCriteria, type ObjectSearchPlan } from './object-criteria.js'
import { compareKeys, isKeyTuple, parseSort, type SortKey, type SortSpec } from './sort-spec.js'
import { textPartsOf } from './text-parts.js'

/** `selectionCriteria` of an object search, as received. */
export type ObjectSearchInput = SelectionCriteria

export type { ObjectList }

/** How simplified-sync searches (src/nms/search/simplified-sync.ts) reuse this engine. */
export interface SearchExtension {
  /** Replaces the compiled criteria. */
  plan?: ObjectSearchPlan
  /** The lowest UID a folder's candidates may have (1: every message). */
  minUid?: (folder: FolderNode) => number
  /** A value fixed by the first batch and carried unchanged through every cursor after it. */
  carry?: () => Promise<unknown>
}

/** A position in the search order. */
interface Position {
  key: SortKey[]
  folderId: string
  uidValidity: string
  uid: number
  /** SearchExtension.carry of the first batch. */
  carried?: unknown
}

const DAY_MS = 86_400_000
/** Folders probed ahead for a further match before a full batch is answered with a cursor. */
const LOOKAHEAD_FOLDERS = 8

function binding (ctx: FolderContext, input: ObjectSearchInput, sort: readonly SortSpec[]): CursorBinding {
  return {
    box: ctx.box.boxId,
    kind: 'objectSearch',
    request: {
      c: input.searchCriteria ?? null,
      s: input.searchScope?.resourceURL ?? null,
      n: input.nonRecursiveScope === true,
      o: sort
    }
  }
}

function decodePosition (secret: Buffer, bind: CursorBinding, cursor: string, sort: readonly SortSpec[]): Position {
  type Payload = { k?: unknown, f?: unknown, v?: unknown, u?: unknown, x?: unknown } | null
  const p = decodeCursor(secret, bind, cursor) as Payload
  if (p === null || typeof p !== 'object' || !isKeyTuple(sort, p.k) || typeof p.f !== 'string' ||
    typeof p.v !== 'string' || typeof p.u !== 'number' || !Number.isSafeInteger(p.u) || p.u < 0) {
    throw invalidInput('fromCursor')
  }
  return { key: p.k, folderId: p.f, uidValidity: p.v, uid: p.u, ...(p.x === undefined ? {} : { carried: p.x }) }
}

function encodePosition (secret: Buffer, bind: CursorBinding, p: Position): string {
  const x = p.carried === undefined ? {} : { x: p.carried }
  return encodeCursor(secret, bind, { k: p.key, f: p.folderId, v: p.uidValidity, u: p.uid, ...x })
}

/** The folders searched (digest 4.3), in folder-id order; 400 SVC0002 for a scope that names none. */
function scopeFolders (ctx: FolderContext, tree: FolderTree, input: ObjectSearchInput): FolderNode[] {
  let folders: readonly FolderNode[] = tree.all()
  if (input.searchScope !== undefined) {
    const id = folderIdFromUrl(ctx, input.searchScope.resourceURL)
    const scope = id === undefined ? undefined : tree.byId(id)
    if (scope === undefined) throw invalidInput('searchScope.resourceURL')
    folders = input.nonRecursiveScope === true ? [scope] : tree.subtree(scope.id)
  }
  return folders
    .filter((f) => f.selectable && !f.virtual && (f.status?.messages ?? 1) > 0)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** The total order of candidates and positions (see the module comment). */
function comparator (sort: readonly SortSpec[]) {
  const dir = sort[0]?.dir ?? 1
  return (a: Position, b: Position): number => {
    const c = compareKeys(sort, a.key, b.key)
    if (c !== 0) return c
    if (a.folderId !== b.folderId) return (a.folderId < b.folderId ? -1 : 1) * dir
    return (a.uid - b.uid) * dir
  }
}

/**
 * A cursor into a folder that was since recreated (new UIDVALIDITY) points before all of the
 * folder's objects, which are all new (RFC 3501 section 2.3.1.1).
 */
function sameIncarnation (tree: FolderTree, p: Position, dir: 1 | -1): Position {
  const folder = tree.byId(p.folderId)
  if (folder === undefined || folder.uidValidity === p.uidValidity) return p
  return { ...p, uidValidity: folder.uidValidity, uid: dir === 1 ? 0 : Number.MAX_SAFE_INTEGER }
}

function positionOf (c: Candidate): Position {
  return { key: c.key, folderId: c.folder.id, uidValidity: c.folder.uidValidity, uid: c.meta.uid }
}

function keyFunction (ctx: FolderContext, sort: readonly SortSpec[]): KeyOf {
  if (sort.length === 0) return () => []
  return (folder: FolderNode, meta: MessageMeta): SortKey[] => {
    let object: NmsObject | undefined
    return sort.map((s) => {
      if (s.type === 'Date') return meta.internalDate.getTime()
      object ??= toNmsObject(ctx, folder, meta)
      return attributeValues(object, s.name.toLowerCase())[0] ?? null
    })
  }
}

/** SearchKey for the candidates of one folder. */
function folderQuery (plan: ObjectSearchPlan, extra: SearchKey[]): SearchKey {
  return extra.length === 0 ? plan.imap : { kind: 'and', keys: [plan.imap, ...extra] }
}

interface Batch {
  streams: () => AsyncGenerator<CandidateStream>
  merge: boolean
}

/** Runs one batch of an object search; `carried` is the extension's value of the first batch. */
export async function searchObjects (
  ctx: FolderContext, input: ObjectSearchInput, ext: SearchExtension = {}
): Promise<ObjectList & { carried?: unknown }> {
  const plan = ext.plan ?? compileObjectCriteria(ctx.config, input.searchCriteria)
  const sort = plan.sort ?? parseSort(input)
  const secret = await ctx.store.sharedSecret()
  const bind = binding(ctx, input, sort)
  const tree = await loadFolders(ctx, ['messages'])
  const after = input.fromCursor === undefined
    ? undefined
    : sameIncarnation(tree, decodePosition(secret, bind, input.fromCursor, sort), sort[0]?.dir ?? 1)
  const folders = scopeFolders(ctx, tree, input)
  const limit = Math.min(input.maxEntries, ctx.config.search.maxEntries)
  const compare = comparator(sort)
  const keyOf = keyFunction(ctx, sort)
  const chunk = Math.min(Math.max(limit + 1, 16), 1000)

  const carried = after === undefined ? await ext.carry?.() : after.carried
  const minUid = ext.minUid ?? (() => 1)
  const afterUidIn = (f: FolderNode): number => Math.max(
    after !== undefined && after.folderId === f.id && after.uidValidity === f.uidValidity ? after.uid : 0,
    minUid(f) - 1
  )

  // Without sort: folders one after the other, from the cursor's folder, UIDs above the cursor's.
  async function * natural (): AsyncGenerator<CandidateStream> {
    for (const f of folders) {
      if (after !== undefined && f.id < after.folderId) continue
      const from = afterUidIn(f)
      const res = await searchIn(f, from > 0 ? [{ kind: 'uidFrom', from: from + 1 }] : [], 'uid')
      if (res === undefined) continue
      // `UID n:*` also matches the highest UID when it is below n (RFC 3501 section 6.4.8).
      yield new LazyStream(ctx, f, res.filter((u) => u > from), keyOf, chunk)
    }
  }

  // With sort: every folder's stream, positioned after the cursor, merged by `compare`.
  async function * sorted (): AsyncGenerator<CandidateStream> {
    const first = sort[0]
    const byArrival = sort.length === 1 && first?.type === 'Date'
    for (const f of folders) {
      let stream: CandidateStream
      if (byArrival) {
        const extra: SearchKey[] = []
        const floor = minUid(f)
        if (floor > 1) extra.push({ kind: 'uidFrom', from: floor })
        const t = after?.key[0]
        // Only the cursor's neighbourhood and beyond can follow it; a day of slack for time zones.
        if (typeof t === 'number') {
          extra.push(first.dir === 1
            ? { kind: 'since', day: new Date(Math.floor(t / DAY_MS) * DAY_MS - DAY_MS) }
            : { kind: 'before', day: new Date(Math.floor(t / DAY_MS) * DAY_MS + 2 * DAY_MS) })
        }
        const found = await searchIn(f, extra, 'arrival')
        if (found === undefined) continue
        // `UID n:*` also matches the highest UID when it is below n (RFC 3501 section 6.4.8).
        const res = found.filter((u) => u >= floor)
        const uids = first.dir === 1 ? res : [...res].reverse()
        const lazy = new LazyStream(ctx, f, uids, keyOf, chunk)
        const from = afterUidIn(f)
        if (from > 0) {
          // The per-folder order is the search order, so the cursor's own UID marks the spot.
          const i = uids.indexOf(from)
          if (i >= 0) lazy.skipTo(i + 1)
        }
        stream = lazy
      } else {
        const floor = minUid(f)
        const found = await searchIn(f, floor > 1 ? [{ kind: 'uidFrom', from: floor }] : [], 'uid')
        if (found === undefined) continue
        const res = found.filter((u) => u >= floor)
        stream = await LoadedStream.load(ctx, f, res, keyOf, (a, b) => compare(positionOf(a), positionOf(b)))
      }
      if (after !== undefined) {
        let c = await stream.peek()
        while (c !== undefined && compare(positionOf(c), after) <= 0) {
          stream.take()
          c = await stream.peek()
        }
      }
      yield stream
    }
  }

  async function searchIn (f: FolderNode, extra: SearchKey[], order: 'uid' | 'arrival'): Promise<number[] | undefined> {
    try {
      const query = folderQuery(plan, extra)
      const res = await ctx.imap.searchUids(ctx.box, f.imapPath, query, { uidValidity: f.uidValidity, order })
      return res.uids
    } catch (err) {
      // Deleted or recreated since the listing: nothing of it to return.
      if (err instanceof GatewayError && err.code === 'GW_ERR_NOT_FOUND') return undefined
      throw err
    }
  }

  const batch: Batch = sort.length === 0 ? { streams: natural, merge: false } : { streams: sorted, merge: true }
  const bounds = { limit, scanLimit: ctx.config.search.scanLimit, compare }
  const list = await collect(ctx, plan, batch, bounds, (p) => encodePosition(secret, bind, { ...p, carried }))
  return carried === undefined ? list : { ...list, carried }
}

/** Draws candidates in order, keeps those the plan accepts, and decides on the cursor. */
async function collect (
  ctx: FolderContext, plan: ObjectSearchPlan, batch: Batch,
  o: { limit: number, scanLimit: number, compare: (a: Position, b: Position) => number },
  encode: (p: Position) => string
): Promise<ObjectList> {
  const gen = batch.streams()
  const open: CandidateStream[] = []
  let listed = false

  if (batch.merge) {
    for await (const s of gen) open.push(s)
    listed = true
  }

  /** The next candidate in order, or undefined at the end. */
  async function next (): Promise<Candidate | undefined> {
    if (batch.merge) {
      let best: { s: CandidateStream, c: Candidate } | undefined
      for (const s of open) {
        const c = await s.peek()
        if (c !== undefined && (best === undefined || o.compare(positionOf(c), positionOf(best.c)) < 0)) best = { s, c }
      }
      best?.s.take()
      return best?.c
    }
    for (;;) {
      const s = open[0]
      const c = s === undefined ? undefined : await s.peek()
      if (c !== undefined) {
        s?.take()
        return c
      }
      if (s !== undefined) open.shift()
      if (listed) return undefined
      const r = await gen.next()
      if (r.done === true) { listed = true; return undefined }
      open.push(r.value)
    }
  }

  /** True when another candidate may follow (natural order probes a few folders ahead). */
  async function more (): Promise<boolean> {
    for (const s of open) if (s.pending && await s.peek() !== undefined) return true
    if (listed) return false
    for (let i = 0; i < LOOKAHEAD_FOLDERS; i++) {
      const r = await gen.next()
      if (r.done === true) return false
      open.push(r.value)
      if (await r.value.peek() !== undefined) return true
    }
    return true
  }

  const object: NmsObject[] = []
  let last: Position | undefined
  let scanned = 0
  let ended = false
  // Candidates are drawn in runs no longer than what the batch still lacks, so the batch never
  // exceeds maxEntries, and each run is described with one FETCH per folder.
  while (!ended && object.length < o.limit && scanned < o.scanLimit) {
    const want = Math.min(o.limit - object.length, o.scanLimit - scanned)
    const run: Candidate[] = []
    while (run.length < want) {
      const c = await next()
      if (c === undefined) { ended = true; break }
      run.push(c)
    }
    const tail = run[run.length - 1]
    if (tail !== undefined) last = positionOf(tail)
    scanned += run.length
    object.push(...await acceptRun(ctx, plan, run))
  }
  if (last === undefined || ended || !(await more())) return { object }
  return { object, cursor: encode(last) }
}

/** `run` grouped by folder (first appearance order), each group in run order. */
function byFolder (run: readonly Candidate[]): Candidate[][] {
  const groups = new Map<string, Candidate[]>()
  for (const c of run) {
    const g = groups.get(c.folder.id)
    if (g === undefined) groups.set(c.folder.id, [c])
    else g.push(c)
  }
  return [...groups.values()]
}

/** The full objects of `run`, in run order; candidates expunged meanwhile are dropped. */
async function describeRun (ctx: FolderContext, run: readonly Candidate[]): Promise<Map<Candidate, NmsObject>> {
  const out = new Map<Candidate, NmsObject>()
  for (const group of byFolder(run)) {
    const first = group[0] as Candidate
    let objects: NmsObject[]
    try {
      objects = await describeMessages(ctx, first.folder, group.map((c) => c.meta))
    } catch (err) {
      // The folder was recreated since it was listed: its candidates are gone.
      if (err instanceof GatewayError && err.code === 'GW_ERR_NOT_FOUND') continue
      throw err
    }
    group.forEach((c, k) => { out.set(c, objects[k] as NmsObject) })
  }
  return out
}

/**
 * The candidates of `run` the plan's exact test accepts, as full objects in run order. When the
 * test does not read TextContent it runs on the metadata alone, and only accepted candidates
 * are described (a pager message's text is then never fetched for nothing).
 */
async function acceptRun (ctx: FolderContext, plan: ObjectSearchPlan, run: readonly Candidate[]): Promise<NmsObject[]> {
  let pending: readonly Candidate[] = run
  let described: Map<Candidate, NmsObject> | undefined
  if (plan.needsText) {
    described = await describeRun(ctx, run)
  } else if (!plan.exact || plan.needsParts) {
    pending = run.filter((c) =>
      plan.test({ object: toNmsObject(ctx, c.folder, c.meta), internalDate: c.meta.internalDate, parts: [] }))
  }
  described ??= await describeRun(ctx, pending)
  const out: NmsObject[] = []
  for (const c of pending) {
    const object = described.get(c)
    if (object === undefined) continue
    if (plan.needsText || plan.needsParts) {
      const parts = plan.needsParts ? await textPartsOf(ctx, c.folder, c.meta) : []
      if (!plan.test({ object, internalDate: c.meta.internalDate, parts })) continue
    }
    out.push(object)
  }
  return out
}
