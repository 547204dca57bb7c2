/**
 * A watch connection that goes deaf is rebuilt (src/notifications/watch/box-watcher.ts): Dovecot
 * 2.3.19 stops sending a long-lived session its NOTIFY reports once the mailbox list index log
 * rotates, which a few hundred changes to one folder cause. The sweep still finds every change;
 * the gateway notices that the connection reported none of them and reconnects, so changes in
 * other folders are notified at NOTIFY speed again, not at the sweep's.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ImapFlow } from 'imapflow'
import type { TestEnv } from '../helpers/env.js'
import { startWebhookSink, type WebhookSink } from '../helpers/webhook-sink.js'
import { deliveredEvents, message, startNotifyEnv, subscribe, waitForEvent } from './subscriptions-helpers.js'

const BOX = 'tel:+15550001013'

describe('a deaf NOTIFY connection', () => {
  let env: TestEnv
  let imap: ImapFlow
  let sink: WebhookSink

  before(async () => {
    env = await startNotifyEnv({ boxes: [BOX], env: { NMS_WATCH_SWEEP_SECONDS: '4' } })
    imap = await env.imap(BOX)
    await imap.mailboxCreate('Busy')
    sink = await startWebhookSink()
    await subscribe(env, BOX, sink.url)
  })
  after(async () => {
    await imap.logout().catch(() => {})
    await env.close()
    await sink.close()
  })

  it('is rebuilt after the list index log rotates, and changes arrive at NOTIFY speed again', async () => {
    // Enough STATUS-changing writes to one folder to rotate dovecot.list.index.log (64 KiB).
    const res = await imap.append('Busy', message('busy'), [])
    assert.ok(res !== false && res.uid !== undefined)
    const lock = await imap.getMailboxLock('Busy')
    try {
      for (let i = 0; i < 400; i++) {
        await imap.messageFlagsAdd(String(res.uid), [`$K${i % 20}`], { uid: true })
        await imap.messageFlagsRemove(String(res.uid), [`$K${i % 20}`], { uid: true })
      }
    } finally {
      lock.release()
    }
    // From here NOTIFY misses changes (or reports them late); each such change waits for a
    // sweep (0-4 s), which then rebuilds the connection. Append one change at a time until four
    // in a row arrive at NOTIFY speed: with a deaf connection that streak is all but impossible.
    // A sleep: Dovecot's session goes deaf silently about a second after the flood; nothing tells when.
    await sleep(1500)
    const took: number[] = []
    let streak = 0
    for (let i = 0; i < 14 && streak < 4; i++) {
      const t0 = Date.now()
      await imap.append('Busy', message(`after-${i}`), [])
      await waitForEvent(sink, `change ${i}`, (e) => e.changedObject?.correlationId === `after${i}@test`, 10000)
      took.push(Date.now() - t0)
      streak = (took.at(-1) ?? 0) < 1100 ? streak + 1 : 0
    }
    assert.equal(streak, 4, `latencies ${took.join(', ')} ms`)
    assert.ok(took.some((ms) => ms >= 1100), `the rotation was felt at first: ${took.join(', ')} ms`)
    assert.ok(deliveredEvents(sink).length > 3)
  })
})
