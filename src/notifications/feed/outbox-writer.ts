/**
 * The feed stage: brings every subscription of a box from its position up to the tracker's head,
 * turning the changes in between (planned as events by src/sync/plan-events.ts) into
 * notification lists in its outbox, and tells the dispatch stage what it queued.
 *
 * A subscription at the position the live sync started from gets the live plan; any other
 * (created or rewound with a restart token, or left behind by a crash between a commit and its
 * feed) gets a replay from its own position. Subscriptions at the same position share one plan
 * and one description of the changed messages; each applies its own filter.
 *
 * Lists are written as they fill (`notifications.maxEventsPerList` events), each in one atomic
 * step with the subscription's next index, and only if the subscription is still in the state
 * the lists were computed against (a rewind or removal in between wins). Every list but the
 * last of a plan carries the restart token of the plan's start: a client that loses one and
 * rewinds to the token before it replays the whole plan again (duplicates are allowed, OMA NMS
 * TS section 5.1.4; omissions are not). The last carries the token of the plan's end, and the
 * position advances to it even when the filter left nothing to send (filtered-out events still
 * advance the token, OMA NMS TS section 5.1.4.3).
 */
import type { Logger } from 'pino'
import type { Config } from '../../config/schema.js'
import type { FolderContext } from '../../nms/folders/context.js'
import type { Store } from '../../store/store.js'
import type { SubscriptionRecord } from '../../store/subscription-store.js'
import type { ChangePlan } from '../../sync/change-plan.js'
import { planEvents } from '../../sync/plan-events.js'
import type { BoxTracker, SyncOutcome } from '../../sync/tracker.js'
import { eventListBody, toNmsEvent, type NmsEvent } from './event-list.js'
import { compileFilter, type EventFilter } from './filter.js'
import { subscriptionUrl } from './subscription-url.js'

/** Where the writer signals what it queued (the dispatch stage). */
export interface QueuedSignal {
  /** Lists were queued for the subscription; never throws. */
  queued(boxId: string, id: string): void
}

interface FeedState {
  rec: SubscriptionRecord
  filter: EventFilter
  pending: NmsEvent[]
  nextIndex: number
  ok: boolean
  queued: number
}

export interface OutboxWriterDeps {
  config: Readonly<Config>
  store: Store
  tracker: BoxTracker
  /** Told of every subscription that got new lists. */
  dispatch: QueuedSignal
  logger: Logger
}

/** Most compiled filters kept (one per subscription). */
const FILTER_CACHE = 10_000

export class OutboxWriter {
  private readonly filters = new Map<string, { json: string, filter: EventFilter }>()

  constructor (private readonly deps: OutboxWriterDeps) {}

  /** Feeds every live subscription of the box up to `outcome.head`. */
  async feed (boxId: string, outcome: SyncOutcome): Promise<void> {
    const now = Date.now()
    const subs = (await this.deps.store.subscriptions.list(boxId)).filter((s) => s.expiresAt > now)
    const to = outcome.head.seq
    const groups = new Map<number, SubscriptionRecord[]>()
    for (const s of subs) {
      if (s.pendingReset) {
        await this.feedReset(boxId, s, outcome)
        continue
      }
      if (s.position >= to) continue
      const g = groups.get(s.position)
      if (g === undefined) groups.set(s.position, [s])
      else g.push(s)
    }
    for (const [position, group] of groups) {
      const live = outcome.live
      const plan = live !== undefined && live.from === position && live.to === to
        ? live
        : await this.deps.tracker.replay(boxId, position, outcome)
      await this.feedPlan(boxId, group, plan, outcome)
    }
  }

  private filterOf (rec: SubscriptionRecord): EventFilter {
    const json = JSON.stringify(rec.filter ?? null)
    const hit = this.filters.get(rec.id)
    if (hit !== undefined && hit.json === json) return hit.filter
    let filter: EventFilter
    try {
      filter = compileFilter(this.deps.config, rec.filter)
    } catch (err) {
      // Checked at creation; a filter the current configuration refuses lets everything through
      // rather than silently dropping changes.
      this.deps.logger.warn({ err, subscription: rec.id }, 'subscription filter no longer compiles; not filtering')
      filter = async () => true
    }
    if (this.filters.size >= FILTER_CACHE) this.filters.clear()
    this.filters.set(rec.id, { json, filter })
    return filter
  }

  private async feedReset (boxId: string, rec: SubscriptionRecord, outcome: SyncOutcome): Promise<void> {
    const ctx = this.deps.tracker.context(boxId)
    const token = await this.deps.tracker.token(boxId, outcome.head, outcome.head.seq)
    const body = eventListBody([{ resetBox: {} }], {
      index: rec.nextIndex,
      restartToken: token,
      callbackData: rec.callbackData,
      subscriptionUrl: subscriptionUrl(ctx, rec.id)
    })
    const ok = await this.deps.store.subscriptions.append(boxId, rec.id, {
      expectGeneration: rec.generation,
      expectPosition: rec.position,
      expectNextIndex: rec.nextIndex,
      items: [{ index: rec.nextIndex, body }],
      position: outcome.head.seq,
      restartToken: token,
      clearReset: true
    })
    if (ok) this.deps.dispatch.queued(boxId, rec.id)
  }

  private async feedPlan (
    boxId: string, group: readonly SubscriptionRecord[], plan: ChangePlan, outcome: SyncOutcome
  ): Promise<void> {
    const ctx = this.deps.tracker.context(boxId)
    const { config } = this.deps
    const max = config.notifications.maxEventsPerList
    const tokenFrom = await this.deps.tracker.token(boxId, outcome.head, plan.from)
    const tokenTo = await this.deps.tracker.token(boxId, outcome.head, plan.to)
    const states: FeedState[] = group.map((rec) => ({
      rec, filter: this.filterOf(rec), pending: [], nextIndex: rec.nextIndex, ok: true, queued: 0
    }))

    const events = planEvents(ctx, plan, outcome.tree, { chunk: config.tracking.describeChunk, batch: max })
    for await (const batch of events) {
      for (const st of states) {
        if (!st.ok) continue
        for (const e of batch) if (await st.filter(ctx, e)) st.pending.push(toNmsEvent(ctx, e))
        while (st.ok && st.pending.length > max) {
          await this.flush(boxId, ctx, st, st.pending.splice(0, max), plan.from, tokenFrom)
        }
      }
      if (states.every((st) => !st.ok)) return
    }
    for (const st of states) {
      if (!st.ok) continue
      await this.flush(boxId, ctx, st, st.pending.splice(0), plan.to, tokenTo)
      if (st.ok && st.queued > 0) this.deps.dispatch.queued(boxId, st.rec.id)
    }
  }

  /** Queues one list (or none) and moves the subscription to `position`. */
  private async flush (
    boxId: string, ctx: FolderContext, st: FeedState, events: NmsEvent[], position: number, token: string
  ): Promise<void> {
    const items = events.length === 0
      ? []
      : [{
          index: st.nextIndex,
          body: eventListBody(events, {
            index: st.nextIndex,
            restartToken: token,
            callbackData: st.rec.callbackData,
            subscriptionUrl: subscriptionUrl(ctx, st.rec.id)
          })
        }]
    st.ok = await this.deps.store.subscriptions.append(boxId, st.rec.id, {
      expectGeneration: st.rec.generation,
      expectPosition: st.rec.position,
      expectNextIndex: st.nextIndex,
      items,
      position,
      restartToken: token,
      clearReset: false
    })
    if (!st.ok) return
    st.nextIndex += items.length
    st.queued += items.length
    st.rec = { ...st.rec, position, nextIndex: st.nextIndex, restartToken: token }
  }
}
