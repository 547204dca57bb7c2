/**
 * Object flags (nms-spec-digest.md R3, R4): the flag list and individual flags, mapped 1:1 onto
 * IMAP FLAGS (architecture.md section 3). Names compare case-insensitively (digest 2.3); a
 * change that would change nothing issues no STORE, so MODSEQ (the object's lastModSeq) is not
 * bumped by a no-op (digest 3.3).
 */
import { invalidInput } from '../../errors/gateway-error.js'
import { objectUrl, type FolderContext } from '../folders/context.js'
import { findFlag, outputFlags, parseFlagName, sameFlagSet } from './flags.js'
import type { NmsFlagList } from '../wire/object.js'
import { objectNotFound, withObject, type ObjectLocation } from './locate.js'

export type { NmsFlagList }

function flagsUrl (ctx: FolderContext, objectId: string): string {
  return `${objectUrl(ctx, objectId)}/flags`
}

/** The current flags of the object (404 when its UID is gone). */
async function currentFlags (ctx: FolderContext, objectId: string): Promise<{ loc: ObjectLocation, flags: string[] }> {
  return await withObject(ctx, objectId, async (loc) => {
    const res = await ctx.imap.fetchMessages(ctx.box, loc.folder.imapPath, { uids: [loc.uid] }, {
      headers: [],
      uidValidity: loc.uidValidity
    })
    const meta = res.messages[0]
    if (meta === undefined) throw objectNotFound()
    return { loc, flags: meta.flags }
  })
}

async function store (ctx: FolderContext, loc: ObjectLocation, op: 'set' | 'add' | 'remove', flags: string[]): Promise<string[]> {
  const res = await ctx.imap.storeFlags(ctx.box, loc.folder.imapPath, [loc.uid], op, flags, loc.uidValidity)
  const after = res.get(loc.uid)
  if (after === undefined) throw objectNotFound()
  return after.flags
}

/** The flag a client names, or 400 SVC0002 naming it. */
export function requireFlagName (name: string): string {
  const flag = parseFlagName(name)
  if (flag === undefined) throw invalidInput(name, 'not a settable IMAP flag or keyword')
  return flag
}

/** GET .../flags */
export async function getFlags (ctx: FolderContext, objectId: string): Promise<NmsFlagList> {
  const { flags } = await currentFlags(ctx, objectId)
  return { flag: outputFlags(flags), resourceURL: flagsUrl(ctx, objectId) }
}

/** PUT .../flags: replaces the whole set with one `UID STORE FLAGS`, unless it is already that set. */
export async function putFlags (
  ctx: FolderContext,
  objectId: string,
  requested: readonly string[]
): Promise<NmsFlagList> {
  const wanted = outputFlags(requested.map(requireFlagName))
  const { loc, flags } = await currentFlags(ctx, objectId)
  const result = sameFlagSet(flags, wanted) ? flags : await store(ctx, loc, 'set', wanted)
  return { flag: outputFlags(result), resourceURL: flagsUrl(ctx, objectId) }
}

/** The URL of one flag of an object (the `Location` of a 201). */
export function flagUrl (ctx: FolderContext, objectId: string, flag: string): string {
  return `${flagsUrl(ctx, objectId)}/${encodeURIComponent(flag)}`
}

/** GET .../flags/{flagName}: true when set. */
export async function hasFlag (ctx: FolderContext, objectId: string, name: string): Promise<boolean> {
  const flag = requireFlagName(name)
  const { flags } = await currentFlags(ctx, objectId)
  return findFlag(flags, flag) !== undefined
}

/** PUT .../flags/{flagName}: true when it was added, false when it was already set. */
export async function addFlag (ctx: FolderContext, objectId: string, name: string): Promise<boolean> {
  const flag = requireFlagName(name)
  const { loc, flags } = await currentFlags(ctx, objectId)
  if (findFlag(flags, flag) !== undefined) return false
  await store(ctx, loc, 'add', [flag])
  return true
}

/** DELETE .../flags/{flagName}: true when it was removed, false when it was not set. */
export async function removeFlag (ctx: FolderContext, objectId: string, name: string): Promise<boolean> {
  const flag = requireFlagName(name)
  const { loc, flags } = await currentFlags(ctx, objectId)
  // Remove the server's own spelling: keyword case handling differs between servers.
  const present = findFlag(flags, flag)
  if (present === undefined) return false
  await store(ctx, loc, 'remove', [present])
  return true
}
