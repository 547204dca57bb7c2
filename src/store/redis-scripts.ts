/**
 * The Lua scripts of the Redis store, one file each in ./scripts/ with a header listing its
 * KEYS, ARGV and replies, registered once per ioredis client with `defineCommand`. ioredis then
 * calls a script by its SHA1 (EVALSHA), sends the source only the first time a connection runs
 * it, and resends it by itself when Redis answers NOSCRIPT (after SCRIPT FLUSH, a restart or a
 * failover), so the hot paths (append, ack, commit) no longer ship the source on every call.
 *
 * Arguments are KEYS first, then ARGV, in the order the script's header lists them. Replies
 * follow the Redis Lua conversion rules (https://redis.io/docs/latest/develop/interact/programmability/lua-api/#data-type-conversion):
 * integer -> number, string -> string, false -> null, table -> array.
 */
import { readFileSync } from 'node:fs'
import type { Cluster, Redis } from 'ioredis'

/** The scripts as methods of a registered client; each one's file is its name in kebab-case. */
export interface StoreScripts {
  claimFolderRecord (
    records: string, recordJson: string, id: string, path: string, uidValidity: string
  ): Promise<string>
  updateFolderRecord (records: string, id: string, recordJson: string): Promise<0 | 1>

  commitTrackerChange (
    head: string, folders: string, log: string, snapshots: string, tombstones: string, boxSeq: string, flags: string,
    expectedSeq: string, at: string, epoch: string, fullSnapshot: '1' | '0', upserts: string, removed: string,
    tombstoneBodies: string, entryBody: string, flagSnapshots: string
  ): Promise<number>
  readTrackerVector (head: string, snapshots: string, log: string, seq: string): Promise<string[] | null>

  createSubscription (
    record: string, ids: string, correlators: string,
    id: string, correlator: string, specJson: string, exp: string, pos: string, reset: '1' | '0', idx: string, tok: string
  ): Promise<string>
  updateSubscription (record: string, ...fieldValuePairs: string[]): Promise<0 | 1>
  appendOutboxItems (
    record: string, outbox: string,
    gen: string, pos: string, idx: string, newPos: string, tok: string, clearReset: '1' | '0', ...items: string[]
  ): Promise<0 | 1>
  ackOutboxHead (outbox: string, index: string): Promise<0 | 1>
  removeRecord (record: string, list: string, ids: string, correlators: string, id: string): Promise<string | null>

  createChannel (
    record: string, ids: string, correlators: string,
    id: string, correlator: string, specJson: string, exp: string, life: string
  ): Promise<string>
  beginChannelPoll (record: string, queue: string, pollId: string, expiresAt: string): Promise<0 | 1>
  markChannelSent (record: string, pollId: string, lastSeq: string): Promise<0 | 1>
  enqueueChannelItem (record: string, queue: string, body: string): Promise<number>
  moveOutboxHeadToChannel (record: string, queue: string, outbox: string, index: string): Promise<1 | 0 | -1>

  acquireLease (lease: string, owner: string, ttlMs: string): Promise<0 | 1>
  renewLease (lease: string, owner: string, ttlMs: string): Promise<0 | 1>
  releaseLease (lease: string, owner: string): Promise<1>
}

export type ScriptName = keyof StoreScripts

/** How many of each script's leading arguments are KEYS (defineCommand's numberOfKeys). */
export const SCRIPT_KEY_COUNTS: Readonly<Record<ScriptName, number>> = {
  claimFolderRecord: 1,
  updateFolderRecord: 1,
  commitTrackerChange: 7,
  readTrackerVector: 3,
  createSubscription: 3,
  updateSubscription: 1,
  appendOutboxItems: 2,
  ackOutboxHead: 1,
  removeRecord: 4,
  createChannel: 3,
  beginChannelPoll: 2,
  markChannelSent: 1,
  enqueueChannelItem: 2,
  moveOutboxHeadToChannel: 3,
  acquireLease: 1,
  renewLease: 1,
  releaseLease: 1
}

/** The script's file name: `ackOutboxHead` -> `ack-outbox-head.lua`. */
export function scriptFile (name: ScriptName): string {
  return `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.lua`
}

/** Where the script files are: next to this module, in src/ under tsx and in dist/src/ once built. */
export const SCRIPTS_DIR = new URL('./scripts/', import.meta.url)

let sources: ReadonlyMap<ScriptName, string> | undefined

/** Reads every script file once; a missing file fails the first registration (at startup). */
export function scriptSources (): ReadonlyMap<ScriptName, string> {
  sources ??= new Map((Object.keys(SCRIPT_KEY_COUNTS) as ScriptName[])
    .map((name) => [name, readFileSync(new URL(scriptFile(name), SCRIPTS_DIR), 'utf8')]))
  return sources
}

/** A client with the scripts defined on it; only registerScripts makes one. */
export type ScriptedRedis = Redis & StoreScripts

const registered = new WeakSet<Redis | Cluster>()

/** Defines every script on the client (once; Cluster clients included) and returns it typed with them. */
export function registerScripts<C extends Redis | Cluster> (client: C): C & StoreScripts {
  if (!registered.has(client)) {
    for (const [name, lua] of scriptSources()) {
      client.defineCommand(name, { numberOfKeys: SCRIPT_KEY_COUNTS[name], lua })
    }
    registered.add(client)
  }
  return client as C & StoreScripts
}
