/**
 * Search batching (nms-spec-digest.md 4.5): a 1,000-object box in three folders paged to the end
 * in batches of 7, compared exactly with what IMAP holds; sorted and filtered paging; cursors that
 * are integrity-protected, bound to their criteria and valid on another gateway instance; paging
 * while the box changes; and the per-batch bounds.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pino from 'pino'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { createGateway, type Gateway } from '../../src/gateway.js'
import { encodeObjectId } from '../../src/nms/ids/object-id.js'
import { folderClient, type Json } from './folders-helpers.js'

const BOX = 'tel:+15550002001'
const FOLDERS: Array<[path: string, count: number]> = [['INBOX', 500], ['Archive', 350], ['Archive/2020', 150]]
const PAGE = 7
/** Sorted and filtered paging crosses folder boundaries just as well in larger batches, in a third of the time. */
const SORTED_PAGE = 23
const DAY = 86_400_000
const BASE = Date.UTC(2020, 0, 1)

/** One object as IMAP knows it. */
interface Truth { id: string, folderId: string, uid: number, at: number, seen: boolean, topic: number }

describe('object search paging over a 1,000-object box', () => {
  let env: TestEnv
  let second: Gateway
  const truth: Truth[] = []

  async function search (selectionCriteria: Json, gateway: Gateway = env.gateway): Promise<{ status: number, body: Json }> {
    const res = await gateway.app.inject({
      method: 'POST',
      url: `${env.base(BOX)}/objects/operations/search`,
      headers: { ...await env.auth(BOX), 'content-type': 'application/json' },
      payload: { selectionCriteria }
    })
    return { status: res.statusCode, body: JSON.parse(res.body) }
  }

  const idOf = (o: Json): string => decodeURIComponent(String(o.resourceURL).split('/objects/')[1] ?? '')

  /** Pages to the end; returns the ids in the order received and the batch sizes. */
  async function pageAll (sc: Json, max = 400): Promise<{ ids: string[], sizes: number[] }> {
    const ids: string[] = []
    const sizes: number[] = []
    let cursor: string | undefined
    for (let i = 0; i < max; i++) {
      const r = await search({ ...sc, ...(cursor === undefined ? {} : { fromCursor: cursor }) })
      assert.equal(r.status, 200, JSON.stringify(r.body))
      const batch = r.body.objectList.object as Json[]
      sizes.push(batch.length)
      ids.push(...batch.map(idOf))
      cursor = r.body.objectList.cursor
      if (cursor === undefined) return { ids, sizes }
    }
    assert.fail('paging did not end')
  }

  before(async () => {
    env = await startTestEnv({ boxes: [BOX], config: { search: { maxEntries: 50, scanLimit: 10000, textPartMaxBytes: 65536 } } })
    const c = await env.imap(BOX)
    try {
      await c.mailboxCreate('Archive')
      await c.mailboxCreate('Archive/2020')
      let n = 0
      for (const [path, count] of FOLDERS) {
        for (let i = 0; i < count; i++, n++) {
          // Dates repeat across folders (ties) and are not in UID order.
          const at = BASE + ((n * 37) % 300) * DAY + (n % 3) * 3600_000
          const topic = n % 5
          const raw = `From: tel:+1555000${String(n % 9)}\r\nTo: ${BOX}\r\nSubject: topic ${topic}\r\nMessage-ID: <m${n}@test>\r\n\r\nbody ${n}\r\n`
          await c.append(path, raw, n % 3 === 0 ? ['\\Seen'] : [], new Date(at))
        }
      }
      const folders = folderClient(env, BOX)
      for (const [path] of FOLDERS) {
        const folderId = await folders.idByPath(`/${path}`)
        assert.ok(folderId !== undefined)
        const lock = await c.getMailboxLock(path, { readOnly: true })
        try {
          const uidValidity = String(c.mailbox === false ? '' : c.mailbox.uidValidity)
          for (const m of await c.fetchAll('1:*', { uid: true, internalDate: true, flags: true, envelope: true })) {
            truth.push({
              id: encodeObjectId({ folderId, uidValidity, uid: m.uid }),
              folderId,
              uid: m.uid,
              at: new Date(m.internalDate ?? 0).getTime(),
              seen: m.flags?.has('\\Seen') === true,
              topic: Number(/topic (\d)/.exec(m.envelope?.subject ?? '')?.[1])
            })
          }
        } finally {
          lock.release()
        }
      }
    } finally {
      await c.logout()
    }
    assert.equal(truth.length, 1000)
    second = await createGateway(env.makeConfig(), { logger: pino({ level: 'silent' }) })
  })
  after(async () => {
    await second?.close()
    await env?.close()
  })

  /** Expected order for a Date sort: date, then folder id and UID, all in the sort's direction. */
  const byDate = (dir: 1 | -1) => (a: Truth, b: Truth): number =>
    ((a.at - b.at) || (a.folderId < b.folderId ? -1 : a.folderId > b.folderId ? 1 : 0) || (a.uid - b.uid)) * dir

  it('pages a search without criteria to the end in batches of 7: exactly the IMAP set, no duplicate', async () => {
    const { ids, sizes } = await pageAll({ maxEntries: PAGE })
    assert.ok(sizes.every((s) => s <= PAGE), 'maxEntries never exceeded')
    assert.equal(sizes.length, Math.ceil(1000 / PAGE))
    assert.equal(new Set(ids).size, ids.length, 'no duplicate')
    assert.deepEqual([...ids].sort(), truth.map((t) => t.id).sort())
  })

  it('pages a Date sort across folders in exactly the total order, both directions', async () => {
    const up = await pageAll({ maxEntries: SORTED_PAGE, sortCriteria: { criterion: [{ type: 'Date', order: 'Ascending' }] } })
    assert.deepEqual(up.ids, [...truth].sort(byDate(1)).map((t) => t.id))
    const down = await pageAll({ maxEntries: SORTED_PAGE, sortCriterion: { type: 'Date' } })
    assert.deepEqual(down.ids, [...truth].sort(byDate(-1)).map((t) => t.id))
  })

  it('pages filtered and sorted searches precisely: Flag with Date, Attribute with attribute sort', async () => {
    const unseen = await pageAll({
      maxEntries: SORTED_PAGE,
      searchCriteria: { criterion: [{ type: 'Flag', name: '\\Seen', value: 'false' }] },
      sortCriteria: { criterion: [{ type: 'Date', order: 'Descending' }] }
    })
    assert.deepEqual(unseen.ids, truth.filter((t) => !t.seen).sort(byDate(-1)).map((t) => t.id))
    const topic = await pageAll({
      maxEntries: PAGE,
      searchCriteria: { criterion: [{ type: 'Attribute', name: 'Subject', value: 'topic 3' }] },
      sortCriteria: { criterion: [{ type: 'Attribute', name: 'Message-ID', order: 'Ascending' }] }
    })
    const expected = truth.filter((t) => t.topic === 3)
    assert.equal(topic.ids.length, expected.length)
    assert.deepEqual([...topic.ids].sort(), expected.map((t) => t.id).sort())
    assert.equal(new Set(topic.ids).size, topic.ids.length)
  })

  it('continues a cursor on another gateway instance exactly where the first would have', async () => {
    const sc = { maxEntries: PAGE, sortCriteria: { criterion: [{ type: 'Date', order: 'Ascending' }] } }
    const first = await search(sc)
    const cursor = first.body.objectList.cursor as string
    const here = await search({ ...sc, fromCursor: cursor })
    const there = await search({ ...sc, fromCursor: cursor }, second)
    assert.equal(there.status, 200)
    assert.deepEqual(there.body.objectList.object.map(idOf), here.body.objectList.object.map(idOf))
    assert.equal(there.body.objectList.object.length, PAGE)
  })

  it('refuses a tampered cursor, or one presented with other criteria, with 400 SVC0002 fromCursor', async () => {
    const sc = { maxEntries: PAGE }
    const cursor = (await search(sc)).body.objectList.cursor as string
    const [payload, mac] = cursor.split('.') as [string, string]
    const json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    json.p.u += 100
    const forged = `${Buffer.from(JSON.stringify(json)).toString('base64url')}.${mac}`
    for (const [body, why] of [
      [{ ...sc, fromCursor: forged }, 'tampered'],
      [{ ...sc, fromCursor: `${cursor}x` }, 'altered signature'],
      [{ ...sc, fromCursor: 'c-0002' }, 'not ours'],
      [{ ...sc, fromCursor: cursor, sortCriterion: { type: 'Date' } }, 'other sort'],
      [{ ...sc, fromCursor: cursor, searchCriteria: { criterion: [{ type: 'Flag', name: '\\Seen', value: 'true' }] } }, 'other criteria']
    ] as Array<[Json, string]>) {
      const r = await search(body)
      assert.equal(r.status, 400, why)
      assert.equal(r.body.requestError.serviceException.messageId, 'SVC0002', why)
      assert.deepEqual(r.body.requestError.serviceException.variables, ['fromCursor'], why)
    }
  })

  it('caps a batch at search.maxEntries whatever maxEntries asks', async () => {
    const r = await search({ maxEntries: 1000 })
    assert.equal(r.body.objectList.object.length, 50)
    assert.equal(typeof r.body.objectList.cursor, 'string')
  })

  it('ends a batch early at search.scanLimit with a cursor when the exact test rejects most candidates', async () => {
    const bounded = await createGateway(env.makeConfig({ search: { maxEntries: 50, scanLimit: 40, textPartMaxBytes: 1024 } }), { logger: pino({ level: 'silent' }) })
    try {
      // Direction is derived, so IMAP cannot narrow: every object is a candidate and none is Out.
      const sc = { maxEntries: 10, searchCriteria: { criterion: [{ type: 'Attribute', name: 'Direction', value: 'Out' }] } }
      let cursor: string | undefined
      let batches = 0
      do {
        const r = await search({ ...sc, ...(cursor === undefined ? {} : { fromCursor: cursor }) }, bounded)
        assert.equal(r.status, 200)
        assert.deepEqual(r.body.objectList.object, [])
        cursor = r.body.objectList.cursor
        batches++
      } while (cursor !== undefined && batches < 100)
      assert.equal(batches, 1000 / 40, 'each batch examined exactly scanLimit candidates')
    } finally {
      await bounded.close()
    }
  })

  it('while the box changes, every object present throughout appears at least once', async () => {
    const sc = { maxEntries: PAGE * 5 }
    const seen = new Set<string>()
    let r = await search(sc)
    for (const o of r.body.objectList.object as Json[]) seen.add(idOf(o))
    const c = await env.imap(BOX)
    const removed = new Set<string>()
    try {
      for (let i = 0; i < 10; i++) await c.append('Archive', `Subject: late ${i}\r\n\r\nlate\r\n`)
      // Expunge a few objects the paging has not reached yet; they need not appear.
      const lock = await c.getMailboxLock('INBOX')
      try {
        const victims = truth.filter((t) => t.folderId === truth[0]?.folderId).slice(-3)
        await c.messageDelete(victims.map((v) => v.uid).join(','), { uid: true })
        for (const v of victims) removed.add(v.id)
      } finally {
        lock.release()
      }
    } finally {
      await c.logout()
    }
    while (r.body.objectList.cursor !== undefined) {
      r = await search({ ...sc, fromCursor: r.body.objectList.cursor })
      assert.equal(r.status, 200)
      for (const o of r.body.objectList.object as Json[]) seen.add(idOf(o))
    }
    const missing = truth.filter((t) => !removed.has(t.id) && !seen.has(t.id))
    assert.deepEqual(missing, [])
  })
})
