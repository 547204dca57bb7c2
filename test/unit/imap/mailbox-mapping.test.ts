import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { ListResponse } from 'imapflow'
import { isSelectable, specialUseOf, splitPath, statusQuery, toMailboxEntry, toMailboxStatus } from '../../../src/imap/mailbox-mapping.js'

function entry (over: Partial<ListResponse>): ListResponse {
  return { path: 'A/B', pathAsListed: 'A/B', name: 'B', delimiter: '/', parent: ['A'], parentPath: 'A', flags: new Set(), listed: true, subscribed: true, ...over }
}

describe('mailbox mapping', () => {
  it('always asks for UIDVALIDITY', () => {
    assert.deepEqual(statusQuery(), { uidValidity: true })
    assert.deepEqual(statusQuery(['messages', 'highestModseq']), { uidValidity: true, messages: true, highestModseq: true })
  })
  it('turns bigint UIDVALIDITY/MODSEQ into decimal strings, beyond 2^53 too', () => {
    const s = toMailboxStatus({ path: 'X', uidValidity: 4294967295n, highestModseq: 9007199254740993n, uidNext: 5, messages: 4, unseen: 1, size: 10 })
    assert.deepEqual(s, { uidValidity: '4294967295', highestModseq: '9007199254740993', uidNext: 5, messages: 4, unseen: 1, size: 10 })
    assert.equal(toMailboxStatus({ path: 'X', messages: 1 }), undefined)
  })
  it('knows \\Noselect and \\NonExistent in any case', () => {
    assert.equal(isSelectable(['\\HasChildren']), true)
    assert.equal(isSelectable(['\\NoSelect']), false)
    assert.equal(isSelectable(['\\NonExistent']), false)
  })
  it('takes special use only from the server-sent attributes', () => {
    assert.equal(specialUseOf(['\\HasNoChildren', '\\sent']), '\\Sent')
    assert.equal(specialUseOf(['\\HasNoChildren']), undefined)
    // imapflow guesses "\\Sent" from the name "Sent Items"; the entry must not claim it.
    const guessed = toMailboxEntry(entry({ path: 'Sent Items', specialUse: '\\Sent', specialUseSource: 'name' }))
    assert.equal(guessed.specialUse, undefined)
    const inbox = toMailboxEntry(entry({ path: 'INBOX', specialUse: '\\Inbox', specialUseSource: 'name' }))
    assert.equal(inbox.specialUse, undefined)
  })
  it('maps a LIST entry with status and segments', () => {
    const e = toMailboxEntry(entry({ flags: new Set(['\\HasNoChildren', '\\Trash']), status: { path: 'A/B', uidValidity: 7n, messages: 0 } }))
    assert.deepEqual(e, { path: 'A/B', delimiter: '/', segments: ['A', 'B'], specialUse: '\\Trash', flags: ['\\HasNoChildren', '\\Trash'], selectable: true, status: { uidValidity: '7', messages: 0 } })
  })
  it('drops status of non-selectable entries and splits with a NIL delimiter', () => {
    const e = toMailboxEntry(entry({ flags: new Set(['\\Noselect']), status: { path: 'A/B', uidValidity: 7n } }))
    assert.equal(e.selectable, false)
    assert.equal(e.status, undefined)
    assert.deepEqual(splitPath('a.b', ''), ['a.b'])
  })
})
