/**
 * resetBox (issue 5 "Done when", third point; architecture.md section 10; digest 3.6): a
 * folder deleted and created again under its name (new UIDVALIDITY), a folder deleted with
 * messages by another client (their UIDs are unknown, so no precise deletions), and a restart
 * token that is forged, of another box or older than the retention window all yield one
 * `resetBox`; later changes are notified normally after it.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ImapFlow } from 'imapflow'
import type { TestEnv } from '../helpers/env.js'
import { deliveredLists, type WebhookSink } from '../helpers/webhook-sink.js'
import { deliveredEvents, message, type NotifyFixture, startNotifyFixture, subscribe, waitForEvent } from './subscriptions-helpers.js'

const BOX = 'tel:+15550001004'
const OTHER = 'tel:+15550001005'

describe('subscriptions: resetBox', () => {
  let fx: NotifyFixture
  let env: TestEnv
  let imap: ImapFlow

  before(async () => {
    // A short retention window so a token can outlive it within the test.
    fx = await startNotifyFixture(BOX, { boxes: [OTHER], env: { NMS_TOKEN_RETENTION_SECONDS: '3' } })
    env = fx.env
    imap = fx.imap
  })
  after(async () => { await fx.close() })

  const sink = async (): Promise<WebhookSink> => await fx.sink()

  it('sends one resetBox when a folder is deleted and created again with the same name', async () => {
    await imap.mailboxCreate('Again')
    await imap.append('Again', message('old-incarnation'), [])
    const s = await sink()
    await subscribe(env, BOX, s.url)
    await imap.mailboxDelete('Again')
    await imap.mailboxCreate('Again')
    const reset = await waitForEvent(s, 'resetBox', (e) => e.resetBox !== undefined)
    const list = deliveredLists(s).find((l) => l.index === reset.index)
    assert.equal(list?.nmsEvent.length, 1, 'resetBox travels alone')
    assert.deepEqual(list?.nmsEvent[0], { resetBox: {} })
    // Changes after the reset are notified as usual.
    await imap.append('Again', message('new-incarnation'), [])
    const after = await waitForEvent(s, 'a change after the reset', (e) => e.changedObject?.correlationId === 'newincarnation@test')
    assert.equal(after.index, reset.index + 1)
  })

  it('sends resetBox when another client deletes a folder that held messages, deletedFolder for an empty one', async () => {
    await imap.mailboxCreate('Full')
    await imap.append('Full', message('in-full'), [])
    await imap.mailboxCreate('Empty')
    const s = await sink()
    await subscribe(env, BOX, s.url)
    await imap.mailboxDelete('Empty')
    await waitForEvent(s, 'deletedFolder', (e) => e.deletedFolder !== undefined)
    assert.ok(!deliveredEvents(s).some((d) => d.event.resetBox !== undefined), 'an empty folder loses nothing: no reset')
    await imap.mailboxDelete('Full')
    await waitForEvent(s, 'resetBox', (e) => e.resetBox !== undefined)
  })

  it('answers a forged token, and one of another box, with resetBox first; creation still echoes the token', async () => {
    const other = await sink()
    const forged = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
    const s = await sink()
    const sub = await subscribe(env, BOX, s.url, { restartToken: forged })
    assert.equal(sub.restartToken, forged, 'the client\'s token is echoed (digest 3.4)')
    const first = await waitForEvent(s, 'resetBox', (e) => e.resetBox !== undefined)
    assert.equal(first.index, 1)

    // A real token, but of another box.
    const foreign = await subscribe(env, OTHER, other.url)
    const s2 = await sink()
    await subscribe(env, BOX, s2.url, { restartToken: foreign.restartToken })
    const first2 = await waitForEvent(s2, 'resetBox', (e) => e.resetBox !== undefined)
    assert.equal(first2.index, 1)
  })

  it('answers a token older than the retention window with resetBox', async () => {
    const s = await sink()
    const old = await subscribe(env, BOX, s.url)
    await imap.append('INBOX', message('ages-1'), [])
    await waitForEvent(s, 'a change', (e) => e.changedObject?.correlationId === 'ages1@test')
    // The first token stopped being current when the next entry after it was committed; the
    // retention window counts from that commit's time. A sleep: only time ages a token, so wait
    // out exactly the rest of the window.
    const { store } = env.gateway
    const rec = await store.subscriptions.get(BOX, old.id)
    const next = rec === undefined ? undefined : await store.tracker.entryAfter(BOX, rec.createdSeq)
    assert.ok(next !== undefined, 'the change after the first token is committed')
    await sleep(Math.max(0, next.at + env.config.tokens.retentionSeconds * 1000 + 1 - Date.now()))
    const s2 = await sink()
    await subscribe(env, BOX, s2.url, { restartToken: old.restartToken })
    const first = await waitForEvent(s2, 'resetBox', (e) => e.resetBox !== undefined)
    assert.equal(first.index, 1)
    assert.ok(!deliveredEvents(s2).some((d) => d.event.changedObject?.correlationId === 'ages1@test'), 'no replay across the window')
  })
})
