/**
 * Subscription filters (src/notifications/feed/filter.ts): no filter passes everything; resetBox and
 * deletions always pass; object events are kept or dropped by the object meaning of the
 * criteria and folder events by their folder meaning (a Flag filter matches no folder);
 * VanishedObjects and CreatedObjects "" have their special meaning and combine with nothing;
 * and a bad filter is refused at compile time with the NMS error the client gets.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig } from '../../../src/config/load.js'
import type { MessageMeta } from '../../../src/imap/types.js'
import type { FolderContext } from '../../../src/nms/folders/context.js'
import { makeNode, type FolderNode } from '../../../src/nms/folders/tree.js'
import type { NmsObject } from '../../../src/nms/objects/representation.js'
import type { CriterionInput, SearchCriteriaInput } from '../../../src/nms/search/criteria-common.js'
import { compileFilter, type EventFilter } from '../../../src/notifications/feed/filter.js'
import type { ChangeEvent } from '../../../src/sync/plan-events.js'

const ENV = { NMS_IMAP_MASTER_USER: 'master', NMS_IMAP_MASTER_PASSWORD: 'pw', NMS_AUTH_HS256_SECRET: 'x'.repeat(32) }
const config = loadConfig({ env: ENV })
const BOX_URL = 'https://gw.example.com/nms/v1/myStore/tel%3A%2B15551234'

/** Text parts are read over IMAP only for WholeWord; this context answers that one call. */
function context (bodies: Record<string, string> = {}): FolderContext {
  return {
    config,
    box: { boxId: 'tel:+15551234' },
    boxUrl: BOX_URL,
    imap: {
      fetchText: async (_box: unknown, _path: string, uid: number) => {
        const text = bodies[String(uid)]
        return text === undefined ? null : { text }
      }
    }
  } as unknown as FolderContext
}
const ctx = context()

const inbox: FolderNode = makeNode({ id: 'f-inbox', path: 'INBOX', uidValidity: '9', lastModSeq: 3, firstSeen: '2024-01-01T00:00:00Z' }, ['INBOX'], undefined,
  { selectable: true, virtual: false, status: undefined })

function meta (uid: number, flags: string[]): MessageMeta {
  return {
    uid,
    flags,
    modseq: '42',
    internalDate: new Date('2024-02-03T04:05:06Z'),
    size: 120,
    envelope: { subject: 'Lunch?', from: [{ address: 'tel:+15559999' }], sender: [], replyTo: [], to: [{ address: 'tel:+15551234' }], cc: [], bcc: [] },
    bodyStructure: { part: '1', type: 'text/plain', parameters: { charset: 'utf-8' } },
    headers: {}
  }
}

/** A pager message as representation.ts describes one. */
function pager (uid: number, flags: string[], context = 'pager-message'): NmsObject {
  return {
    parentFolder: `${BOX_URL}/folders/f-inbox`,
    attributes: {
      attribute: [
        { name: 'Date', value: ['2024-02-03T04:05:06+0000'] },
        { name: 'Message-Context', value: [context] },
        { name: 'Direction', value: ['In'] },
        { name: 'From', value: ['tel:+15559999'] },
        { name: 'To', value: ['tel:+15551234'] },
        { name: 'Subject', value: ['Lunch?'] },
        { name: 'Content-Type', value: ['text/plain'] },
        { name: 'TextContent', value: ['See you at noon'] }
      ]
    },
    flags: { flag: flags, resourceURL: `${BOX_URL}/objects/o${uid}/flags` },
    resourceURL: `${BOX_URL}/objects/o${uid}`,
    path: `/INBOX/${uid}`,
    lastModSeq: 42,
    correlationTag: 'tag'
  }
}

function changed (o: NmsObject, uid: number, created = false): ChangeEvent {
  return { type: 'changedObject', node: inbox, meta: meta(uid, o.flags.flag), object: o, created }
}

function folderEvent (name: string, attributes: Array<{ name: string, value: string[] }> = []): ChangeEvent {
  const node = makeNode({ id: `f-${name}`, path: `INBOX/${name}`, uidValidity: '9', lastModSeq: 4, firstSeen: '2024-01-01T00:00:00Z' },
    ['INBOX', name], 'f-inbox', { selectable: true, virtual: false, status: undefined })
  return { type: 'changedFolder', node, created: true, searchable: { name, attributes: [{ name: 'Name', value: [name] }, ...attributes], date: '2024-01-01T00:00:00Z' } }
}

const RESET: ChangeEvent = { type: 'resetBox' }
const DELETED_OBJECT: ChangeEvent = { type: 'deletedObject', tombstone: { objectId: 'o9', folderId: 'f-inbox', lastModSeq: '50' } }
const DELETED_FOLDER: ChangeEvent = { type: 'deletedFolder', id: 'f-old', lastModSeq: 5 }
const SEEN_PAGER = changed(pager(1, ['\\Seen']), 1)
const UNSEEN_PAGER = changed(pager(2, []), 2)
const SEEN_CHAT = changed(pager(3, ['\\Seen'], 'chat-message'), 3)
const NEW_PAGER = changed(pager(4, []), 4, true)
const WORK = folderEvent('Work')

const criteria = (...criterion: CriterionInput[]): SearchCriteriaInput => ({ criterion })

async function passes (f: EventFilter, events: readonly ChangeEvent[], c: FolderContext = ctx): Promise<boolean[]> {
  return await Promise.all(events.map(async (e) => await f(c, e)))
}

/** The GatewayError `fn` throws, as code, status and variables. */
function refusal (fn: () => unknown): { code: string, statusCode: number, variables: readonly string[] } | undefined {
  try {
    fn()
  } catch (err) {
    const e = err as { name?: string, code: string, statusCode: number, variables: readonly string[] }
    assert.equal(e.name, 'GatewayError', String(err))
    return { code: e.code, statusCode: e.statusCode, variables: e.variables }
  }
  return undefined
}

describe('compileFilter', () => {
  const ALL = [RESET, DELETED_OBJECT, DELETED_FOLDER, SEEN_PAGER, UNSEEN_PAGER, SEEN_CHAT, NEW_PAGER, WORK]

  it('passes every event without a filter', async () => {
    assert.deepEqual(await passes(compileFilter(config, undefined), ALL), ALL.map(() => true))
    assert.deepEqual(await passes(compileFilter(config, null), ALL), ALL.map(() => true))
  })

  it('keeps and drops object events by Message-Context, caselessly', async () => {
    const f = compileFilter(config, criteria({ type: 'Attribute', name: 'message-context', value: 'Pager-Message' }))
    assert.deepEqual(await passes(f, [SEEN_PAGER, UNSEEN_PAGER, SEEN_CHAT, NEW_PAGER]), [true, true, false, true])
  })

  it('keeps and drops object events by Flag, set or not set', async () => {
    const seen = compileFilter(config, criteria({ type: 'Flag', name: '\\Seen', value: 'true' }))
    assert.deepEqual(await passes(seen, [SEEN_PAGER, UNSEEN_PAGER, SEEN_CHAT]), [true, false, true])
    const unseen = compileFilter(config, criteria({ type: 'Flag', name: '\\seen', value: 'false' }))
    assert.deepEqual(await passes(unseen, [SEEN_PAGER, UNSEEN_PAGER, SEEN_CHAT]), [false, true, false])
  })

  it('combines criteria with the operator as a search does', async () => {
    const pagerAndSeen = criteria({ type: 'Attribute', name: 'Message-Context', value: 'pager-message' }, { type: 'Flag', name: '\\Seen', value: '' })
    assert.deepEqual(await passes(compileFilter(config, pagerAndSeen), [SEEN_PAGER, UNSEEN_PAGER, SEEN_CHAT]), [true, false, false])
    assert.deepEqual(await passes(compileFilter(config, { ...pagerAndSeen, operator: 'Or' }), [SEEN_PAGER, UNSEEN_PAGER, SEEN_CHAT]), [true, true, true])
    assert.deepEqual(await passes(compileFilter(config, { ...pagerAndSeen, operator: 'not' }), [SEEN_PAGER, UNSEEN_PAGER, SEEN_CHAT]), [false, true, true])
  })

  it('always passes resetBox and deletions, whatever the filter', async () => {
    for (const c of [
      criteria({ type: 'Flag', name: '\\Seen', value: 'true' }),
      criteria({ type: 'Attribute', name: 'Message-Context', value: 'nothing-has-this' }),
      criteria({ type: 'Attribute', name: 'Name', value: 'nothing-has-this' })
    ]) {
      assert.deepEqual(await passes(compileFilter(config, c), [RESET, DELETED_OBJECT, DELETED_FOLDER]), [true, true, true])
    }
  })

  it('tests folder events with the folder meaning of the criteria', async () => {
    const byName = compileFilter(config, criteria({ type: 'Attribute', name: 'name', value: 'Work' }))
    assert.deepEqual(await passes(byName, [WORK, folderEvent('Play'), SEEN_PAGER]), [true, false, false])
    const conversation = compileFilter(config, criteria({ type: 'Attribute', name: 'Conversation-ID', value: 'conv-1' }))
    assert.deepEqual(await passes(conversation, [folderEvent('Chat', [{ name: 'Conversation-ID', value: ['conv-1'] }]), WORK]), [true, false])
    const text = compileFilter(config, criteria({ type: 'AllTextAttributes', value: 'ork' }))
    assert.deepEqual(await passes(text, [WORK, folderEvent('Play')]), [true, false])
  })

  it('matches no folder with a Flag filter', async () => {
    for (const value of ['true', 'false']) {
      const f = compileFilter(config, criteria({ type: 'Flag', name: '\\Seen', value }))
      assert.deepEqual(await passes(f, [WORK, folderEvent('Play')]), [false, false], value)
    }
  })

  it('joins folder meanings per criterion: Or with a Flag still matches a folder by name', async () => {
    const f = compileFilter(config, {
      operator: 'Or',
      criterion: [{ type: 'Flag', name: '\\Seen', value: 'true' }, { type: 'Attribute', name: 'Name', value: 'Work' }]
    })
    assert.deepEqual(await passes(f, [WORK, folderEvent('Play'), SEEN_PAGER, UNSEEN_PAGER]), [true, false, true, false])
  })

  it('reads text parts for WholeWord', async () => {
    const f = compileFilter(config, criteria({ type: 'WholeWord', value: 'pizza' }))
    const c = context({ 1: 'Pizza tonight?', 2: 'pizzas' })
    assert.deepEqual(await passes(f, [SEEN_PAGER, UNSEEN_PAGER], c), [true, false])
  })

  it('passes only deletions (objects and folders) and resetBox with VanishedObjects', async () => {
    const f = compileFilter(config, criteria({ type: 'VanishedObjects', value: '' }))
    const events = [RESET, DELETED_OBJECT, DELETED_FOLDER, SEEN_PAGER, UNSEEN_PAGER, NEW_PAGER, WORK]
    assert.deepEqual(await passes(f, events), [true, true, true, false, false, false, false])
    assert.deepEqual(await passes(compileFilter(config, { criterion: [{ type: 'vanishedobjects', value: '' }], operator: 'AND' }), [DELETED_OBJECT, NEW_PAGER]), [true, false])
  })

  it('passes only created objects and resetBox with CreatedObjects ""', async () => {
    const f = compileFilter(config, criteria({ type: 'CreatedObjects', value: '' }))
    const events = [RESET, NEW_PAGER, SEEN_PAGER, UNSEEN_PAGER, DELETED_OBJECT, DELETED_FOLDER, WORK]
    assert.deepEqual(await passes(f, events), [true, true, false, false, false, false, false])
  })

  it('refuses CreatedObjects with a cursor value', () => {
    assert.deepEqual(refusal(() => compileFilter(config, criteria({ type: 'CreatedObjects', value: 'abc' }))),
      { code: 'GW_ERR_INPUT_INVALID', statusCode: 400, variables: ['filter.criterion.value'] })
  })

  it('refuses VanishedObjects or CreatedObjects combined with another criterion or negated', () => {
    const flag = { type: 'Flag', name: '\\Seen', value: '' }
    for (const type of ['VanishedObjects', 'CreatedObjects']) {
      const special = { type, value: '' }
      const shapes = [
        criteria(special, flag), criteria(flag, special), criteria(special, special),
        { criterion: [special], operator: 'Not' }, { criterion: [special], operator: 'Or' }
      ]
      for (const c of shapes) {
        assert.deepEqual(refusal(() => compileFilter(config, c)), { code: 'GW_ERR_INPUT_INVALID', statusCode: 400, variables: ['filter.criterion'] }, JSON.stringify(c))
      }
    }
  })

  it('refuses an unknown PresetSearch with 400 SVC0003 naming filter.criterion.name', () => {
    const r = refusal(() => compileFilter(config, criteria({ type: 'PresetSearch', name: 'UPOneDotO', value: '' })))
    assert.deepEqual(r, { code: 'GW_ERR_INPUT_INVALID_CHOICE', statusCode: 400, variables: ['filter.criterion.name', 'RemoteParty'] })
  })

  it('accepts the offered preset and applies it to objects', async () => {
    const f = compileFilter(config, criteria({ type: 'PresetSearch', name: 'RemoteParty', value: 'tel:+15559999' }))
    assert.deepEqual(await passes(f, [SEEN_PAGER, WORK]), [true, false])
    const other = compileFilter(config, criteria({ type: 'PresetSearch', name: 'RemoteParty', value: 'tel:+15550000' }))
    assert.deepEqual(await passes(other, [SEEN_PAGER]), [false])
  })

  it('refuses an unknown criterion type with 400 SVC0003 naming the filter part', () => {
    const r = refusal(() => compileFilter(config, criteria({ type: 'Conversation', value: 'x' })))
    assert.equal(r?.code, 'GW_ERR_INPUT_INVALID_CHOICE')
    assert.equal(r?.statusCode, 400)
    assert.equal(r?.variables[0], 'filter.criterion.type')
    assert.match(r?.variables[1] ?? '', /Attribute/)
  })

  it('names the filter, not searchCriteria, in other refusals', () => {
    assert.deepEqual(refusal(() => compileFilter(config, criteria({ type: 'Flag', name: '\\Recent', value: 'true' }))),
      { code: 'GW_ERR_INPUT_INVALID', statusCode: 400, variables: ['filter.criterion.name'] })
    assert.deepEqual(refusal(() => compileFilter(config, { criterion: [{ type: 'Flag', name: '\\Seen', value: '' }], operator: 'Xor' }))?.variables[0], 'filter.operator')
  })
})
