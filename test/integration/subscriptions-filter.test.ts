/**
 * Subscription filters (nms-spec-digest.md 2.13, 5.2) and changes made through the gateway's own
 * API (issue 5 item 2): a filter sends only the events whose item matches it now; resetBox and
 * deletions always pass; what the gateway itself changes (flags, deletes, a recursive folder
 * delete, a move) is notified like any other change, the recursive delete with one
 * deletedObject per object (never a resetBox, since the gateway knew what the folder held).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { ImapFlow } from 'imapflow'
import type { TestEnv } from '../helpers/env.js'
import type { WebhookSink } from '../helpers/webhook-sink.js'
import {
  deliveredEvents, flagsOf, hasUid, idOfUrl, message, type NotifyFixture, startNotifyFixture, subscribe, waitFedAndDelivered, waitForEvent
} from './subscriptions-helpers.js'

const BOX = 'tel:+15550001008'

function sms (text: string, from = 'tel:+15550009999'): Buffer {
  return Buffer.from(`From: <${from}>\r\nTo: <${BOX}>\r\nMessage-ID: <${text}@sms>\r\nContent-Type: text/plain; charset=UTF-8\r\nMessage-Context: pager-message\r\n\r\n${text}\r\n`)
}

describe('subscription filters and the gateway\'s own changes', () => {
  let fx: NotifyFixture
  let env: TestEnv
  let imap: ImapFlow

  before(async () => {
    fx = await startNotifyFixture(BOX)
    env = fx.env
    imap = fx.imap
  })
  after(async () => { await fx.close() })

  const sink = async (): Promise<WebhookSink> => await fx.sink()

  async function api (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: unknown) {
    return await env.gateway.app.inject({
      method,
      url: `${env.base(BOX)}${path}`,
      headers: { ...await env.auth(BOX), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> })
    })
  }

  it('sends only pager messages to a Message-Context filter, and every object to an unfiltered subscription', async () => {
    const all = await sink()
    const only = await sink()
    await subscribe(env, BOX, all.url)
    const onlySub = await subscribe(env, BOX, only.url, { filter: { criterion: [{ type: 'Attribute', name: 'Message-Context', value: 'pager-message' }] } })
    await imap.append('INBOX', message('mail-1'), [])
    const smsAppended = await imap.append('INBOX', sms('sms-1'), [])
    assert.ok(smsAppended !== false && smsAppended.uid !== undefined)
    await waitForEvent(all, 'both on the unfiltered one', () => deliveredEvents(all).filter((d) => d.event.changedObject !== undefined).length >= 2)
    const smsEvent = await waitForEvent(only, 'the SMS', (e) => e.changedObject?.correlationId === 'sms-1@sms')
    assert.ok(typeof smsEvent.event.changedObject?.correlationTag === 'string', 'an SMS carries the deployed-client correlationTag')
    await waitFedAndDelivered(env, BOX, onlySub.id, 'both messages', hasUid('INBOX', smsAppended.uid))
    assert.ok(!deliveredEvents(only).some((d) => d.event.changedObject?.correlationId === 'mail1@test'), 'the email is filtered out')
    assert.equal(deliveredEvents(only)[0]?.index, 1, 'filtered-out changes use no index')
  })

  it('evaluates a Flag filter on the current state: an object enters and leaves it', async () => {
    const s = await sink()
    const sub = await subscribe(env, BOX, s.url, { filter: { criterion: [{ type: 'Flag', name: '\\Flagged', value: 'true' }] } })
    const res = await imap.append('INBOX', message('flag-me'), [])
    assert.ok(res !== false && res.uid !== undefined)
    await waitFedAndDelivered(env, BOX, sub.id, 'the unflagged object', hasUid('INBOX', res.uid))
    assert.ok(!deliveredEvents(s).some((d) => d.event.changedObject !== undefined), 'not flagged yet')
    const lock = await imap.getMailboxLock('INBOX')
    try {
      await imap.messageFlagsAdd(String(res.uid), ['\\Flagged'], { uid: true })
    } finally {
      lock.release()
    }
    await waitForEvent(s, 'the flagged object', (e) => e.changedObject?.correlationId === 'flagme@test')
  })

  it('sends only deletions to a VanishedObjects filter', async () => {
    const s = await sink()
    const seen = await sink()
    await subscribe(env, BOX, s.url, { filter: { criterion: [{ type: 'VanishedObjects', value: '' }] } })
    await subscribe(env, BOX, seen.url)
    const res = await imap.append('INBOX', message('vanish-me'), [])
    assert.ok(res !== false && res.uid !== undefined)
    // Deleted only once the gateway has seen it exist (an object born and gone between two
    // syncs never existed for a client, so nothing would be sent for it).
    await waitForEvent(seen, 'the creation', (e) => e.changedObject?.correlationId === 'vanishme@test')
    const lock = await imap.getMailboxLock('INBOX')
    try {
      await imap.messageDelete(String(res.uid), { uid: true })
    } finally {
      lock.release()
    }
    await waitForEvent(s, 'the deletion', (e) => e.deletedObject !== undefined)
    assert.ok(deliveredEvents(s).every((d) => d.event.deletedObject !== undefined))
  })

  it('notifies what the gateway\'s API changes: a flag, a delete, a move, and a recursive folder delete object by object', async () => {
    const s = await sink()
    await subscribe(env, BOX, s.url)
    const folder = await api('POST', '/folders', { folder: { parentFolderPath: '/INBOX', name: 'Doomed' } })
    assert.equal(folder.statusCode, 201, folder.body)
    const folderUrl = String((JSON.parse(folder.body) as { reference: { resourceURL: string } }).reference.resourceURL)
    await waitForEvent(s, 'the API-created folder', (e) => e.changedFolder?.resourceURL === folderUrl)

    for (const subj of ['doomed-1', 'doomed-2', 'doomed-3']) await imap.append('INBOX/Doomed', message(subj), [])
    await s.waitFor(() => deliveredEvents(s).filter((d) => String(d.event.changedObject?.parentFolder) === folderUrl).length >= 3, 15000, 'three objects in Doomed')
    const inDoomed = deliveredEvents(s)
      .filter((d) => String(d.event.changedObject?.parentFolder) === folderUrl)
      .map((d) => String(d.event.changedObject?.resourceURL))

    // A flag set through the API.
    const first = idOfUrl(inDoomed[0])
    assert.equal((await api('PUT', `/objects/${first}/flags/%5CSeen`)).statusCode, 201)
    await waitForEvent(s, 'the API flag', (e) => e.changedObject?.resourceURL === inDoomed[0] &&
      flagsOf(e).includes('\\Seen'))

    // A move: the object leaves (deletedObject) and arrives with a new id (changedObject).
    const target = await api('POST', '/folders', { folder: { parentFolderPath: '/INBOX', name: 'Kept' } })
    const targetUrl = String((JSON.parse(target.body) as { reference: { resourceURL: string } }).reference.resourceURL)
    const moved = await api('POST', '/folders/operations/moveToFolder', {
      targetSourceRef: {
        targetRef: { resourceURL: targetUrl },
        sourceRefs: { objects: { objectReference: [{ resourceURL: inDoomed[1] }] }, folders: { folderReference: [] } }
      }
    })
    assert.equal(moved.statusCode, 200, moved.body)
    const out = await waitForEvent(s, 'the move out', (e) => e.deletedObject?.resourceURL === inDoomed[1])
    assert.equal(out.event.deletedObject?.correlationId, 'doomed2@test', 'an object the gateway moved keeps its correlationId in the deletion')
    await waitForEvent(s, 'the move in', (e) => e.changedObject?.parentFolder === targetUrl && e.changedObject.correlationId === 'doomed2@test')

    // A DELETE through the API: the deletion carries the correlationId the gateway noted first.
    await imap.append('INBOX', message('single-del'), [])
    const single = await waitForEvent(s, 'the object to delete', (e) => e.changedObject?.correlationId === 'singledel@test')
    assert.equal((await api('DELETE', `/objects/${idOfUrl(single.event.changedObject?.resourceURL)}`)).statusCode, 204)
    const gone = await waitForEvent(s, 'the API delete', (e) => e.deletedObject?.resourceURL === single.event.changedObject?.resourceURL)
    assert.equal(gone.event.deletedObject?.correlationId, 'singledel@test')

    // The recursive delete of a folder that still holds objects: each is reported, no reset.
    assert.equal((await api('DELETE', `/folders/${idOfUrl(folderUrl)}`)).statusCode, 204)
    await waitForEvent(s, 'the folder deletion', (e) => e.deletedFolder?.resourceURL === folderUrl)
    const deleted = new Set(deliveredEvents(s).flatMap((d) => d.event.deletedObject === undefined ? [] : [String(d.event.deletedObject.resourceURL)]))
    assert.ok(deleted.has(String(inDoomed[0])) && deleted.has(String(inDoomed[2])), 'every object of the deleted folder is reported')
    assert.ok(!deliveredEvents(s).some((d) => d.event.resetBox !== undefined), 'no resetBox for a delete the gateway made')
  })
})
