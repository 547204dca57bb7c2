/**
 * `Message-Context` (nms-spec-digest.md 7.1) and `Direction` (architecture.md section 10) of a
 * message that may not carry them as headers.
 */
import type { Config } from '../../config/schema.js'
import type { MessageMeta } from '../../imap/types.js'
import type { FolderNode } from '../folders/tree.js'
import { bareAddress } from './addresses.js'

type ContextRule = Config['objects']['messageContextRules'][number]

function ruleMatches (rule: ContextRule, type: string, size: number, hasSubject: boolean): boolean {
  const want = rule.contentType.toLowerCase()
  const typeOk = want.endsWith('/*') ? type.startsWith(want.slice(0, -1)) : type === want
  if (!typeOk) return false
  if (rule.maxSize !== undefined && size > rule.maxSize) return false
  return rule.hasSubject === undefined || rule.hasSubject === hasSubject
}

/**
 * The `Message-Context` header when present, else the first `objects.messageContextRules` entry
 * matching the top-level content type, RFC822.SIZE and Subject presence, else
 * `objects.messageContextDefault`: the attribute is always present (client profile check 15).
 */
export function messageContextOf (config: Readonly<Config>, meta: MessageMeta): string {
  const header = meta.headers['message-context']?.[0]?.trim()
  if (header !== undefined && header !== '') return header
  const type = meta.bodyStructure.type.toLowerCase()
  const hasSubject = (meta.envelope.subject ?? '').trim() !== ''
  const rule = config.objects.messageContextRules.find((r) => ruleMatches(r, type, meta.size, hasSubject))
  return rule?.value ?? config.objects.messageContextDefault
}

/** A number or address compared without scheme, brackets, parameters or case. */
function identityKey (s: string): string {
  return bareAddress(s).replace(/^(tel|sip|sips|mailto):/i, '').replace(/;.*$/, '').toLowerCase()
}

/**
 * `Direction` per architecture.md section 10: the `Direction` header (`IN`/`out` accepted, sent
 * back as `In`/`Out`); else RCC.07 `Message-Direction` (`received` -> In, `sent` -> Out); else
 * Out when the folder is the `\Sent` special-use mailbox (RFC 6154) or a sender is the box's own
 * identity (boxId without its scheme); otherwise In.
 */
export function directionOf (meta: MessageMeta, folder: FolderNode, boxId: string, from: readonly string[]): string {
  const header = meta.headers.direction?.[0]?.trim()
  if (header !== undefined && header !== '') {
    const lower = header.toLowerCase()
    return lower === 'in' ? 'In' : lower === 'out' ? 'Out' : header
  }
  const rcc = meta.headers['message-direction']?.[0]?.trim().toLowerCase()
  if (rcc === 'received') return 'In'
  if (rcc === 'sent') return 'Out'
  if (folder.specialUse?.toLowerCase() === '\\sent') return 'Out'
  const own = identityKey(boxId)
  return from.some((f) => identityKey(f) === own) ? 'Out' : 'In'
}
