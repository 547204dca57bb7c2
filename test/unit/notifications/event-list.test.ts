/**
 * Notification wire form (src/notifications/feed/event-list.ts): every event type becomes the
 * single-member NmsEvent deployed clients parse — absolute URLs built from the box URL, a
 * `flags.flag` array, `resetBox` as `{}`, no `parentFolder` on a root folder, numeric
 * `lastModSeq`, no MODSEQ that is not a safe positive integer — and a list body carries the
 * events, `callbackData` only when set, the index, the restartToken and the subscription link.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { MessageMeta } from '../../../src/imap/types.js'
import { makeNode, type FolderNode } from '../../../src/nms/folders/tree.js'
import type { NmsObject } from '../../../src/nms/objects/representation.js'
import { eventListBody, toNmsEvent } from '../../../src/notifications/feed/event-list.js'
import type { ChangeEvent } from '../../../src/sync/plan-events.js'

const BOX_URL = 'https://gw.example.com/nms/v1/myStore/tel%3A%2B15551234'
const ctx = { boxUrl: BOX_URL }

function folder (id: string, path: string, parentId: string | undefined, lastModSeq = 7): FolderNode {
  return makeNode({ id, path, uidValidity: '9', lastModSeq, firstSeen: '2024-01-01T00:00:00Z' }, path.split('/'), parentId,
    { selectable: true, virtual: false, status: undefined })
}

function meta (uid: number, flags: string[]): MessageMeta {
  return {
    uid,
    flags,
    modseq: '42',
    internalDate: new Date('2024-02-03T04:05:06Z'),
    size: 100,
    envelope: { from: [], sender: [], replyTo: [], to: [], cc: [], bcc: [] },
    bodyStructure: { type: 'text/plain', parameters: {} },
    headers: {}
  }
}

function object (extra: Partial<NmsObject> = {}): NmsObject {
  return {
    parentFolder: `${BOX_URL}/folders/f-inbox`,
    attributes: { attribute: [{ name: 'Message-Context', value: ['pager-message'] }] },
    flags: { flag: ['\\Seen', '\\Flagged'], resourceURL: `${BOX_URL}/objects/o1/flags` },
    resourceURL: `${BOX_URL}/objects/o1`,
    path: '/INBOX/1',
    ...extra
  }
}

const inbox = folder('f-inbox', 'INBOX', undefined, 3)
const changedObject = (o: NmsObject): ChangeEvent => ({ type: 'changedObject', node: inbox, meta: meta(1, o.flags.flag), object: o, created: false })

describe('toNmsEvent', () => {
  it('writes resetBox as an empty object', () => {
    const e = toNmsEvent(ctx, { type: 'resetBox' })
    assert.deepEqual(e, { resetBox: {} })
    assert.equal(JSON.stringify(e), '{"resetBox":{}}')
  })

  it('writes a changedFolder with absolute URLs, its name and numeric lastModSeq', () => {
    const work = folder('f/work 1', 'INBOX/Work', 'f-inbox', 12)
    const e = toNmsEvent(ctx, { type: 'changedFolder', node: work, created: true, searchable: { name: 'Work', attributes: [], date: work.firstSeen } })
    assert.deepEqual(e, {
      changedFolder: {
        parentFolder: `${BOX_URL}/folders/f-inbox`,
        resourceURL: `${BOX_URL}/folders/f%2Fwork%201`,
        name: 'Work',
        lastModSeq: 12
      }
    })
    assert.deepEqual(Object.keys(e), ['changedFolder'])
  })

  it('gives a root folder no parentFolder at all (not an empty one)', () => {
    const e = toNmsEvent(ctx, { type: 'changedFolder', node: inbox, created: false, searchable: { name: 'INBOX', attributes: [], date: inbox.firstSeen } })
    assert.deepEqual(e, { changedFolder: { resourceURL: `${BOX_URL}/folders/f-inbox`, name: 'INBOX', lastModSeq: 3 } })
    assert.equal('parentFolder' in (e.changedFolder ?? {}), false)
  })

  it('writes a changedObject with its flags as an array and only the members it has', () => {
    const bare = toNmsEvent(ctx, changedObject(object()))
    assert.deepEqual(bare, {
      changedObject: {
        parentFolder: `${BOX_URL}/folders/f-inbox`,
        flags: { flag: ['\\Seen', '\\Flagged'] },
        resourceURL: `${BOX_URL}/objects/o1`
      }
    })
    const full = toNmsEvent(ctx, changedObject(object({ lastModSeq: 42, correlationId: 'mid@x', correlationTag: 'tag-1' })))
    assert.deepEqual(full.changedObject, {
      parentFolder: `${BOX_URL}/folders/f-inbox`,
      flags: { flag: ['\\Seen', '\\Flagged'] },
      resourceURL: `${BOX_URL}/objects/o1`,
      lastModSeq: 42,
      correlationId: 'mid@x',
      correlationTag: 'tag-1'
    })
  })

  it('writes an object without flags with an empty flag array, and copies the array', () => {
    const o = object({ flags: { flag: [], resourceURL: `${BOX_URL}/objects/o1/flags` } })
    const e = toNmsEvent(ctx, changedObject(o))
    assert.deepEqual(e.changedObject?.flags, { flag: [] })
    const shared = object()
    const out = toNmsEvent(ctx, changedObject(shared)).changedObject?.flags as { flag: string[] }
    assert.notEqual(out.flag, shared.flags.flag, 'not the object\'s own array')
  })

  it('writes a deletedObject with the object URL built from its id', () => {
    const e = toNmsEvent(ctx, { type: 'deletedObject', tombstone: { objectId: 'o:1/2', folderId: 'f-inbox', lastModSeq: '77', correlationId: 'c', correlationTag: 't' } })
    assert.deepEqual(e, { deletedObject: { resourceURL: `${BOX_URL}/objects/o%3A1%2F2`, lastModSeq: 77, correlationId: 'c', correlationTag: 't' } })
    assert.deepEqual(toNmsEvent(ctx, { type: 'deletedObject', tombstone: { objectId: 'o1', folderId: 'f' } }), { deletedObject: { resourceURL: `${BOX_URL}/objects/o1` } })
  })

  it('omits a deletedObject MODSEQ that is not a safe positive integer', () => {
    for (const m of ['0', '-5', '1.5', '', 'abc', '9007199254740992', '18446744073709551615']) {
      const e = toNmsEvent(ctx, { type: 'deletedObject', tombstone: { objectId: 'o1', folderId: 'f', lastModSeq: m } })
      assert.deepEqual(e, { deletedObject: { resourceURL: `${BOX_URL}/objects/o1` } }, JSON.stringify(m))
    }
    const top = toNmsEvent(ctx, { type: 'deletedObject', tombstone: { objectId: 'o1', folderId: 'f', lastModSeq: '9007199254740991' } })
    assert.equal(top.deletedObject?.lastModSeq, Number.MAX_SAFE_INTEGER)
  })

  it('writes a deletedFolder with its URL and numeric lastModSeq', () => {
    assert.deepEqual(toNmsEvent(ctx, { type: 'deletedFolder', id: 'f 9', lastModSeq: 31 }), { deletedFolder: { resourceURL: `${BOX_URL}/folders/f%209`, lastModSeq: 31 } })
  })
})

describe('eventListBody', () => {
  const events = [toNmsEvent(ctx, { type: 'deletedFolder', id: 'f9', lastModSeq: 31 }), toNmsEvent(ctx, { type: 'resetBox' })]
  const subscriptionUrl = `${BOX_URL}/subscriptions/s1`

  it('carries the events, index, restartToken and the NmsSubscription link', () => {
    const body = JSON.parse(eventListBody(events, { index: 5, restartToken: 'tok', subscriptionUrl }))
    assert.deepEqual(body, {
      nmsEventList: {
        nmsEvent: [{ deletedFolder: { resourceURL: `${BOX_URL}/folders/f9`, lastModSeq: 31 } }, { resetBox: {} }],
        index: 5,
        restartToken: 'tok',
        link: [{ rel: 'NmsSubscription', href: subscriptionUrl }]
      }
    })
    assert.equal('callbackData' in body.nmsEventList, false)
  })

  it('carries callbackData only when the subscription has it', () => {
    const body = JSON.parse(eventListBody(events, { index: 1, restartToken: 'tok', callbackData: 'cb "1"\n', subscriptionUrl }))
    assert.equal(body.nmsEventList.callbackData, 'cb "1"\n')
    const empty = JSON.parse(eventListBody(events, { index: 1, restartToken: 'tok', callbackData: '', subscriptionUrl }))
    assert.equal(empty.nmsEventList.callbackData, '', 'an empty callbackData is still set')
    const none = JSON.parse(eventListBody(events, { index: 1, restartToken: 'tok', callbackData: undefined, subscriptionUrl }))
    assert.equal('callbackData' in none.nmsEventList, false)
  })

  it('keeps nmsEvent an array when there is a single event or none', () => {
    assert.deepEqual(JSON.parse(eventListBody([{ resetBox: {} }], { index: 2, restartToken: 't', subscriptionUrl })).nmsEventList.nmsEvent, [{ resetBox: {} }])
    assert.deepEqual(JSON.parse(eventListBody([], { index: 2, restartToken: 't', subscriptionUrl })).nmsEventList.nmsEvent, [])
  })
})
