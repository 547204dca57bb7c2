/**
 * Change notifications end to end (issue 5 "Done when", first point): a second IMAP client
 * makes each kind of change, in INBOX and in another folder, and each arrives at a local
 * receiver as the right event, in lists indexed 1, 2, 3, ... with no gap.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { ImapFlow } from 'imapflow'
import type { TestEnv } from '../helpers/env.js'
import { deliveredLists, startWebhookSink, type WebhookSink } from '../helpers/webhook-sink.js'
import { assertContiguous, flagsOf, idOfUrl, message, startNotifyEnv, subscribe, type Subscribed, waitForEvent } from './subscriptions-helpers.js'

const BOX = 'tel:+15550001001'

describe('subscriptions: events from another IMAP client', () => {
  let env: TestEnv
  let sink: WebhookSink
  let imap: ImapFlow
  let sub: Subscribed

  before(async () => {
    env = await startNotifyEnv({ boxes: [BOX] })
    sink = await startWebhookSink()
    imap = await env.imap(BOX)
    await imap.mailboxCreate('Work')
    sub = await subscribe(env, BOX, sink.url)
  })
  after(async () => {
    await imap.logout().catch(() => {})
    await env.close()
    await sink.close()
  })

  it('answers the creation with index 1, a restartToken, the granted duration and the callback', () => {
    assert.equal(sub.body.index, 1)
    assert.match(sub.restartToken, /^[A-Za-z0-9_-]{20,}$/)
    assert.ok(typeof sub.body.duration === 'number' && sub.body.duration > 3500 && sub.body.duration <= 3600)
    assert.deepEqual(sub.body.callbackReference, { notifyURL: sink.url, callbackData: 'cb-1', notificationFormat: 'JSON' })
  })

  for (const folder of ['INBOX', 'Work']) {
    it(`reports APPEND, flag change and expunge in ${folder} as changedObject, changedObject, deletedObject`, async () => {
      const before = deliveredLists(sink).length
      const res = await imap.append(folder, message(`in ${folder}`), [])
      assert.ok(res !== false && res.uid !== undefined)
      const created = await waitForEvent(sink, `APPEND to ${folder}`, (e) => e.changedObject !== undefined &&
        deliveredLists(sink).length > before && flagsOf(e).length === 0 &&
        e.changedObject.correlationId === `in${folder}@test`)
      const objectUrl = String(created.event.changedObject?.resourceURL)
      assert.match(String(created.event.changedObject?.parentFolder), /\/folders\/[A-Za-z0-9_-]+$/)
      assert.equal(typeof created.event.changedObject?.lastModSeq, 'number')

      const lock = await imap.getMailboxLock(folder)
      try {
        await imap.messageFlagsAdd(String(res.uid), ['\\Seen', '$Urgent'], { uid: true })
      } finally {
        lock.release()
      }
      const flagged = await waitForEvent(sink, `flag change in ${folder}`, (e) => e.changedObject?.resourceURL === objectUrl &&
        flagsOf(e).includes('\\Seen'))
      assert.deepEqual([...flagsOf(flagged.event)].sort(), ['$Urgent', '\\Seen'])
      assert.ok(Number(flagged.event.changedObject?.lastModSeq) > Number(created.event.changedObject?.lastModSeq))

      const lock2 = await imap.getMailboxLock(folder)
      try {
        await imap.messageDelete(String(res.uid), { uid: true })
      } finally {
        lock2.release()
      }
      const deleted = await waitForEvent(sink, `expunge in ${folder}`, (e) => e.deletedObject?.resourceURL === objectUrl)
      assert.ok(deleted.index > flagged.index)
      assert.ok(Number(deleted.event.deletedObject?.lastModSeq) > Number(flagged.event.changedObject?.lastModSeq))
      assertContiguous(sink)
    })
  }

  for (const parent of ['INBOX', 'Work']) {
    it(`reports folder create, rename and delete under ${parent}`, async () => {
      const [first, second] = [`${parent}Sub1`, `${parent}Sub2`]
      await imap.mailboxCreate(`${parent}/${first}`)
      const created = await waitForEvent(sink, 'folder create', (e) => e.changedFolder?.name === first)
      const folderUrl = String(created.event.changedFolder?.resourceURL)
      assert.match(String(created.event.changedFolder?.parentFolder), /\/folders\//)

      await imap.mailboxRename(`${parent}/${first}`, `${parent}/${second}`)
      const renamed = await waitForEvent(sink, 'folder rename', (e) => e.changedFolder?.name === second)
      assert.equal(renamed.event.changedFolder?.resourceURL, folderUrl, 'a rename keeps the folder id')
      assert.ok(Number(renamed.event.changedFolder?.lastModSeq) > Number(created.event.changedFolder?.lastModSeq))

      await imap.mailboxDelete(`${parent}/${second}`)
      const deleted = await waitForEvent(sink, 'folder delete', (e) => e.deletedFolder?.resourceURL === folderUrl)
      assert.ok(deleted.index > renamed.index)
      assertContiguous(sink)
    })
  }

  it('carries callbackData, the subscription link and a fresh restartToken in every list', () => {
    const lists = deliveredLists(sink)
    assert.ok(lists.length >= 6)
    for (const l of lists) {
      assert.equal(l.callbackData, 'cb-1')
      assert.deepEqual(l.link, [{ rel: 'NmsSubscription', href: sub.url }])
      assert.match(l.restartToken, /^[A-Za-z0-9_-]{20,}$/)
    }
    const tokens = new Set(lists.map((l) => l.restartToken))
    assert.equal(tokens.size, lists.length, 'each list ends at its own position')
    assert.equal(idOfUrl(sub.url), sub.id)
  })

  it('shows the next index and the latest token on GET', async () => {
    const res = await env.gateway.app.inject({ method: 'GET', url: `${env.base(BOX)}/subscriptions/${sub.id}`, headers: await env.auth(BOX) })
    assert.equal(res.statusCode, 200)
    const body = (JSON.parse(res.body) as { nmsSubscription: { index: number, restartToken: string } }).nmsSubscription
    const lists = deliveredLists(sink)
    assert.equal(body.index, lists.length + 1)
    assert.equal(body.restartToken, lists[lists.length - 1]?.restartToken)
  })
})
