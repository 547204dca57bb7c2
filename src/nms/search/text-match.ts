/**
 * Text matching of `AllTextAttributes` and `WholeWord` (nms-spec-digest.md 4.2).
 *
 * The searchable text attributes are those whose values come from the message's own header or
 * body text: Subject, the address lists, the identifiers, TextContent and the configured header
 * attributes. Derived enumerations (Date, Direction, Message-Context, Content-Type) are not
 * text; they are matched with `Attribute`. Because every searchable value is text of the
 * message, IMAP `TEXT` (header and body, case-insensitive substring) is a sound narrowing for
 * both types: it can only let too much through, which the exact checks here remove.
 */
import type { Config } from '../../config/schema.js'
import type { NmsObject } from '../objects/representation.js'

const TEXT_ATTRIBUTES = [
  'subject', 'from', 'to', 'cc', 'bcc', 'message-id', 'conversation-id', 'contribution-id',
  'inreplyto-contribution-id', 'imdn-message-id', 'textcontent'
]

/** Lower-case names of the searchable text attributes under `config`. */
export function textAttributeNames (config: Readonly<Config>): Set<string> {
  return new Set([...TEXT_ATTRIBUTES, ...Object.values(config.objects.headerAttributes).map((n) => n.toLowerCase())])
}

/** Every value of the searchable text attributes of `object`. */
export function textValues (object: NmsObject, names: ReadonlySet<string>): string[] {
  return object.attributes.attribute.filter((a) => names.has(a.name.toLowerCase())).flatMap((a) => a.value)
}

/** Case-insensitive substring test. */
export function containsText (haystack: readonly string[], needle: string): boolean {
  const n = needle.toLowerCase()
  return haystack.some((h) => h.toLowerCase().includes(n))
}

/**
 * A whole-word (or whole-phrase) matcher: `phrase` bounded on both sides by a non-word
 * character or the text's edge, case-insensitively. Words are Unicode letters, digits and `_`,
 * so `Köln` is one word and `tel:+1555` matches inside `From: tel:+1555`.
 */
export function wholeWordMatcher (phrase: string): (texts: readonly string[]) => boolean {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'iu')
  return (texts) => texts.some((t) => re.test(t))
}
