/**
 * Simplified synchronisation (issue 5 item 7; nms-spec-digest.md 3.8, 4.2): `CreatedObjects`
 * pages every object, or those created after a `creationCursor`, and answers a new
 * creationCursor fixed for the whole paging; `VanishedObjects` answers an objectReferenceList
 * of the recently deleted objects. No subscription is involved.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { ImapFlow } from 'imapflow'
import { startTestEnv, type TestEnv } from '../helpers/env.js'
import { message } from './subscriptions-helpers.js'

const BOX = 'tel:+15550001010'

interface SearchBody {
  objectList?: { object: Array<{ resourceURL: string, correlationId?: string }>, cursor?: string, creationCursor?: string }
  objectReferenceList?: { objectReference: Array<{ resourceURL: string }> }
}

describe('simplified sync searches', () => {
  let env: TestEnv
  let imap: ImapFlow

  before(async () => {
    env = await startTestEnv({ boxes: [BOX] })
    imap = await env.imap(BOX)
    await imap.mailboxCreate('Work')
    for (let i = 0; i < 5; i++) await imap.append(i % 2 === 0 ? 'INBOX' : 'Work', message(`seed-${i}`), [])
  })
  after(async () => {
    await imap.logout().catch(() => {})
    await env.close()
  })

  type Answer = { status: number, body: SearchBody & { requestError?: { serviceException: { messageId: string } } } }
  async function search (criterion: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Answer> {
    const res = await env.gateway.app.inject({
      method: 'POST',
      url: `${env.base(BOX)}/objects/operations/search`,
      headers: { ...await env.auth(BOX), 'content-type': 'application/json' },
      payload: { selectionCriteria: { maxEntries: 2, searchCriteria: { criterion: [criterion] }, ...extra } }
    })
    return { status: res.statusCode, body: JSON.parse(res.body) }
  }

  /** Pages a CreatedObjects search to the end; returns the ids and the creationCursor of each batch. */
  async function pageCreated (value: string): Promise<{ ids: string[], cursors: string[] }> {
    const ids: string[] = []
    const cursors: string[] = []
    let fromCursor: string | undefined
    for (let i = 0; i < 50; i++) {
      const res = await search({ type: 'CreatedObjects', value }, fromCursor === undefined ? {} : { fromCursor })
      assert.equal(res.status, 200, JSON.stringify(res.body))
      const list = res.body.objectList
      assert.ok(list !== undefined)
      assert.ok(list.object.length <= 2, 'maxEntries is never exceeded')
      ids.push(...list.object.map((o) => String(o.correlationId)))
      assert.ok(typeof list.creationCursor === 'string' && list.creationCursor.length > 20, 'every batch carries the creationCursor')
      cursors.push(list.creationCursor)
      if (list.cursor === undefined) return { ids, cursors }
      fromCursor = list.cursor
      // Created while paging: must come with the next CreatedObjects search, not be lost.
      if (i === 0) await imap.append('INBOX', message('during-paging'), [])
    }
    throw new Error('paging did not end')
  }

  let creationCursor: string

  it('pages every object with "" and keeps the first batch\'s creationCursor through the paging', async () => {
    const { ids, cursors } = await pageCreated('')
    for (let i = 0; i < 5; i++) assert.ok(ids.includes(`seed${i}@test`), `seed-${i}`)
    assert.equal(new Set(cursors).size, 1)
    creationCursor = cursors[0] as string
  })

  it('returns only what was created after the creationCursor, including what arrived during the last paging', async () => {
    await imap.append('Work', message('later-1'), [])
    await imap.mailboxCreate('Fresh')
    await imap.append('Fresh', message('later-2'), [])
    const { ids, cursors } = await pageCreated(creationCursor)
    assert.deepEqual(new Set(ids), new Set(['duringpaging@test', 'later1@test', 'later2@test']))
    const next = cursors[0] as string
    assert.notEqual(next, creationCursor)
    const again = await pageCreated(next)
    assert.ok(!again.ids.includes('later1@test'), 'the new cursor starts after them')
  })

  it('refuses a forged creationCursor and CreatedObjects combined with another criterion (400 SVC0002)', async () => {
    const forged = await search({ type: 'CreatedObjects', value: 'not-a-cursor' })
    assert.equal(forged.status, 400)
    assert.equal(forged.body.requestError?.serviceException.messageId, 'SVC0002')
    const res = await env.gateway.app.inject({
      method: 'POST',
      url: `${env.base(BOX)}/objects/operations/search`,
      headers: { ...await env.auth(BOX), 'content-type': 'application/json' },
      payload: { selectionCriteria: { maxEntries: 5, searchCriteria: { criterion: [{ type: 'CreatedObjects', value: '' }, { type: 'Flag', name: '\\Seen', value: 'true' }] } } }
    })
    assert.equal(res.statusCode, 400)
  })

  it('answers VanishedObjects with references to the objects deleted since the box was tracked', async () => {
    const before = await search({ type: 'VanishedObjects', value: '' })
    assert.equal(before.status, 200)
    assert.deepEqual(before.body.objectReferenceList?.objectReference, [])
    const lock = await imap.getMailboxLock('Work')
    try {
      await imap.messageDelete('1:*')
    } finally {
      lock.release()
    }
    const after = await search({ type: 'VanishedObjects', value: '' }, { maxEntries: 10 })
    assert.equal(after.status, 200)
    const refs = after.body.objectReferenceList?.objectReference ?? []
    assert.equal(refs.length, 3, 'seed-1, seed-3 and later-1 were in Work')
    for (const r of refs) {
      const gone = await env.gateway.app.inject({ method: 'GET', url: new URL(r.resourceURL).pathname, headers: await env.auth(BOX) })
      assert.equal(gone.statusCode, 404)
    }
    const capped = await search({ type: 'VanishedObjects', value: '' }, { maxEntries: 1 })
    assert.equal(capped.body.objectReferenceList?.objectReference.length, 1)
  })
})
