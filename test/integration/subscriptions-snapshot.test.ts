/**
 * Change tracking without QRESYNC (architecture.md section 4, "Without CONDSTORE/QRESYNC"):
 * with `tracking.mode = snapshot` the gateway ignores the server's QRESYNC and compares flag
 * snapshots instead. The same changes must arrive as the same events, and a restart-token
 * replay must still deliver every change since the token (here: every message of a folder
 * that moved, since without MODSEQ there is no telling which).
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { ImapFlow } from 'imapflow'
import pino from 'pino'
import { createImapPort } from '../../src/imap/create-imap-port.js'
import type { TestEnv } from '../helpers/env.js'
import { startWebhookSink, type WebhookSink } from '../helpers/webhook-sink.js'
import { assertContiguous, deliveredEvents, flagsOf, message, startNotifyEnv, subscribe, waitForEvent } from './subscriptions-helpers.js'

const BOX = 'tel:+15550001009'

describe('change tracking by flag snapshots', () => {
  let env: TestEnv
  let imap: ImapFlow
  let sink: WebhookSink
  let token: string

  before(async () => {
    env = await startNotifyEnv({ boxes: [BOX], config: { tracking: { mode: 'snapshot', coalesceMs: 20, snapshotEvery: 50, describeChunk: 200 } } })
    imap = await env.imap(BOX)
    await imap.mailboxCreate('Work')
    sink = await startWebhookSink()
    token = (await subscribe(env, BOX, sink.url)).restartToken
  })
  after(async () => {
    await imap.logout().catch(() => {})
    await env.close()
    await sink.close()
  })

  it('uses the snapshot mode although the server has QRESYNC', async () => {
    const port = createImapPort(env.config, pino({ level: 'silent' }))
    const auto = createImapPort(env.makeConfig({ tracking: { mode: 'auto', coalesceMs: 20, snapshotEvery: 50, describeChunk: 200 } }), pino({ level: 'silent' }))
    try {
      assert.equal(await port.trackingMode({ boxId: BOX }), 'snapshot')
      assert.equal(await auto.trackingMode({ boxId: BOX }), 'qresync')
    } finally {
      await port.close()
      await auto.close()
    }
  })

  for (const folder of ['INBOX', 'Work']) {
    it(`reports APPEND, flag change and expunge in ${folder}`, async () => {
      const res = await imap.append(folder, message(`snap ${folder}`), [])
      assert.ok(res !== false && res.uid !== undefined)
      const created = await waitForEvent(sink, 'the APPEND', (e) => e.changedObject?.correlationId === `snap${folder}@test`)
      const url = created.event.changedObject?.resourceURL
      const lock = await imap.getMailboxLock(folder)
      try {
        await imap.messageFlagsAdd(String(res.uid), ['$Later'], { uid: true })
      } finally {
        lock.release()
      }
      await waitForEvent(sink, 'the flag', (e) => e.changedObject?.resourceURL === url && flagsOf(e).includes('$Later'))
      const lock2 = await imap.getMailboxLock(folder)
      try {
        await imap.messageFlagsRemove(String(res.uid), ['$Later'], { uid: true })
      } finally {
        lock2.release()
      }
      await waitForEvent(sink, 'the flag removed', (e) => e.changedObject?.resourceURL === url &&
        deliveredEvents(sink).filter((d) => d.event.changedObject?.resourceURL === url).length >= 3)
      const lock3 = await imap.getMailboxLock(folder)
      try {
        await imap.messageDelete(String(res.uid), { uid: true })
      } finally {
        lock3.release()
      }
      await waitForEvent(sink, 'the expunge', (e) => e.deletedObject?.resourceURL === url)
      assertContiguous(sink)
    })
  }

  it('replays from the first token: every message of the folders that moved, and the deletions', async () => {
    const replay = await startWebhookSink()
    try {
      await subscribe(env, BOX, replay.url, { restartToken: token })
      await replay.waitFor(() => deliveredEvents(replay).filter((d) => d.event.deletedObject !== undefined).length >= 2, 15000, 'the replayed deletions')
      assert.ok(!deliveredEvents(replay).some((d) => d.event.resetBox !== undefined))
    } finally {
      await replay.close()
    }
  })
})
