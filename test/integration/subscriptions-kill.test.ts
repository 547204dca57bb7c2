/**
 * Nothing is lost across a gateway crash (issue 5 "Done when", second point): the gateway
 * process is SIGKILLed while notifications are flowing, changes are made while it is down, and
 * after a restart (a) the existing subscription delivers every one of them, its indexes going
 * on from where they were with no gap, and (b) a new subscription with the last restartToken
 * received before the crash delivers every change made since.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { ImapFlow } from 'imapflow'
import type { TestEnv } from '../helpers/env.js'
import { startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js'
import { deliveredLists, startWebhookSink, type WebhookSink } from '../helpers/webhook-sink.js'
import { deliveredEvents, message, startNotifyEnv } from './subscriptions-helpers.js'

const BOX = 'tel:+15550001002'
const PROCESS_ENV = { NMS_CALLBACK_ALLOW_PRIVATE: 'true', NMS_LEASE_SECONDS: '3', NMS_WATCH_SWEEP_SECONDS: '1' }

async function subscribeOver (gw: GatewayProcess, env: TestEnv, notifyURL: string, restartToken?: string): Promise<string> {
  const res = await fetch(`${gw.base}${env.base(BOX)}/subscriptions`, {
    method: 'POST',
    headers: { ...await env.auth(BOX), 'content-type': 'application/json' },
    body: JSON.stringify({ nmsSubscription: { callbackReference: { notifyURL }, duration: 3600, ...(restartToken === undefined ? {} : { restartToken }) } })
  })
  assert.equal(res.status, 201, await res.clone().text())
  return String(((await res.json()) as { nmsSubscription: { resourceURL: string } }).nmsSubscription.resourceURL)
}

/** The correlationId of a message made by `message(subject)`. */
function mid (subject: string): string {
  return `${subject.replace(/\W/g, '')}@test`
}

/** The correlationIds (Message-IDs) of the changedObject events a sink got. */
function createdIds (sink: WebhookSink): Set<string> {
  return new Set(deliveredEvents(sink).flatMap((d) => d.event.changedObject === undefined ? [] : [String(d.event.changedObject.correlationId)]))
}

describe('subscriptions survive a SIGKILL of the gateway', () => {
  let env: TestEnv
  let sink: WebhookSink
  let replaySink: WebhookSink
  let imap: ImapFlow
  let gw: GatewayProcess | undefined

  before(async () => {
    env = await startNotifyEnv({ boxes: [BOX], noGateway: true })
    sink = await startWebhookSink()
    replaySink = await startWebhookSink()
    imap = await env.imap(BOX)
    await imap.mailboxCreate('Archive')
  })
  after(async () => {
    await gw?.kill()
    await imap.logout().catch(() => {})
    await env.close()
    await sink.close()
    await replaySink.close()
  })

  it('delivers every change made around and during the outage, to the old subscription and to a replay', async () => {
    gw = await startGatewayProcess(env, PROCESS_ENV)
    await subscribeOver(gw, env, sink.url)

    await imap.append('INBOX', message('before-1'), [])
    await sink.waitFor(() => createdIds(sink).has(mid('before-1')), 15000, 'the first change')
    const lastToken = deliveredLists(sink).at(-1)?.restartToken
    assert.ok(lastToken !== undefined)

    // A burst, and the kill as soon as its first notification is in: the rest is in flight.
    const burst = ['burst-1', 'burst-2', 'burst-3', 'burst-4']
    for (const s of burst) await imap.append(s.endsWith('2') ? 'Archive' : 'INBOX', message(s), [])
    await sink.waitFor(() => burst.some((s) => createdIds(sink).has(mid(s))), 15000, 'the burst to start arriving')
    await gw.kill()
    gw = undefined

    // While it is down: new messages, a flag change, an expunge and a new folder.
    const down = ['down-1', 'down-2']
    for (const s of down) await imap.append('INBOX', message(s), [])
    await imap.append('Archive', message('down-3'), [])
    await imap.mailboxCreate('Later')
    await imap.append('Later', message('down-4'), [])
    const lock = await imap.getMailboxLock('INBOX')
    let expunged: number | undefined
    try {
      const found = await imap.search({ header: { 'message-id': '<before1@test>' } }, { uid: true })
      assert.ok(found !== false && found !== undefined && found.length === 1)
      expunged = found[0]
      await imap.messageFlagsAdd('1:*', ['\\Flagged'])
      await imap.messageDelete(String(expunged), { uid: true })
    } finally {
      lock.release()
    }

    gw = await startGatewayProcess(env, PROCESS_ENV)
    await subscribeOver(gw, env, replaySink.url, lastToken)

    const wanted = [...burst, ...down, 'down-3', 'down-4'].map(mid)
    await sink.waitFor(() => wanted.every((id) => createdIds(sink).has(id)), 30000, 'every change on the old subscription')
    await replaySink.waitFor(() => wanted.every((id) => createdIds(replaySink).has(id)), 30000, 'every change on the replay')

    for (const s of [sink, replaySink]) {
      const events = deliveredEvents(s)
      assert.ok(events.some((d) => d.event.deletedObject !== undefined), 'the expunge is reported')
      assert.ok(events.some((d) => d.event.changedFolder?.name === 'Later'), 'the new folder is reported')
      assert.ok(events.some((d) => ((d.event.changedObject?.flags as { flag: string[] } | undefined)?.flag ?? []).includes('\\Flagged')),
        'the flag change is reported')
    }
    // The old subscription's indexes go on with no gap; a list sent again after the crash keeps its index.
    const indexes = [...new Set(deliveredLists(sink).map((l) => l.index))]
    assert.deepEqual(indexes, indexes.map((_, i) => i + 1))
    const replayIndexes = deliveredLists(replaySink).map((l) => l.index)
    assert.equal(replayIndexes[0], 1)
  })
})
