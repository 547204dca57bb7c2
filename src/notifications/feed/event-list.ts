/**
 * The wire form of notifications (OMA NMS TS sections 5.3.2.23 to 5.3.2.29, OMA NMS TS being
 * OMA-TS-REST_NetAPI_NMS-V1_0-20140715-C; docs/deployed-clients.md, "Notification lists"):
 * `{"nmsEventList": {"nmsEvent": [...], "callbackData", "index", "restartToken", "link": [...]}}`.
 * Every URL is absolute; `flags.flag` and `link` are arrays; `resetBox` is `{}` (what the
 * deployed client tests for, docs/deployed-clients.md, "Box reset"). A root folder's
 * `changedFolder` has no `parentFolder`: the spec makes it mandatory (OMA NMS TS section 5.3.2.28)
 * but roots have none, and an empty string would not parse as the URL a deployed client reads it
 * into (docs/deployed-clients.md, "Absolute URLs").
 */
import { folderUrl, objectUrl } from '../../nms/folders/context.js'
import type { ChangeEvent } from '../../sync/plan-events.js'

/** One NmsEvent (exactly one member). */
export type NmsEvent = Record<string, Record<string, unknown>>

function modseqNumber (m: string | undefined): number | undefined {
  if (m === undefined) return undefined
  const n = Number(m)
  return Number.isSafeInteger(n) && n > 0 ? n : undefined
}

/** The NmsEvent of a change event. */
export function toNmsEvent (ctx: { boxUrl: string }, e: ChangeEvent): NmsEvent {
  switch (e.type) {
    case 'resetBox':
      return { resetBox: {} }
    case 'changedFolder':
      return {
        changedFolder: {
          ...(e.node.parentId === undefined ? {} : { parentFolder: folderUrl(ctx, e.node.parentId) }),
          resourceURL: folderUrl(ctx, e.node.id),
          name: e.node.name,
          lastModSeq: e.node.lastModSeq
        }
      }
    case 'changedObject': {
      const o = e.object
      return {
        changedObject: {
          parentFolder: o.parentFolder,
          flags: { flag: [...o.flags.flag] },
          resourceURL: o.resourceURL,
          ...(o.lastModSeq === undefined ? {} : { lastModSeq: o.lastModSeq }),
          ...(o.correlationId === undefined ? {} : { correlationId: o.correlationId }),
          ...(o.correlationTag === undefined ? {} : { correlationTag: o.correlationTag })
        }
      }
    }
    case 'deletedObject': {
      const t = e.tombstone
      const lastModSeq = modseqNumber(t.lastModSeq)
      return {
        deletedObject: {
          resourceURL: objectUrl(ctx, t.objectId),
          ...(lastModSeq === undefined ? {} : { lastModSeq }),
          ...(t.correlationId === undefined ? {} : { correlationId: t.correlationId }),
          ...(t.correlationTag === undefined ? {} : { correlationTag: t.correlationTag })
        }
      }
    }
    case 'deletedFolder':
      return { deletedFolder: { resourceURL: folderUrl(ctx, e.id), lastModSeq: e.lastModSeq } }
  }
}

/** What a list carries besides its events. */
export interface ListEnvelope {
  index: number
  restartToken: string
  callbackData?: string | undefined
  subscriptionUrl: string
}

/** The JSON body of one notification list. */
export function eventListBody (events: readonly NmsEvent[], env: ListEnvelope): string {
  return JSON.stringify({
    nmsEventList: {
      nmsEvent: events,
      ...(env.callbackData === undefined ? {} : { callbackData: env.callbackData }),
      index: env.index,
      restartToken: env.restartToken,
      link: [{ rel: 'NmsSubscription', href: env.subscriptionUrl }]
    }
  })
}
