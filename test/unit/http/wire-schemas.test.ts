/**
 * The wire schemas against what the domain layer builds (issue 11 item 6). fastify serialises a
 * response with fast-json-stringify, which writes only the members its schema lists: a member
 * the builder adds but the schema lacks is dropped without a word. The domain types are
 * `Static<>` of the schemas (src/nms/wire, src/errors/wire.ts, src/notifications/.../wire.ts),
 * so the type checker holds most of it; this file checks what it cannot:
 *
 * - at compile time (`tsc --noEmit` covers test/), the types that stay written by hand because
 *   they say more than a schema can (NmsFailure: exactly one exception; the store's
 *   FolderAttribute, which src/store cannot import from src/nms), and that each route body
 *   wraps the domain type;
 * - at run time, that the real builders' output, with every optional member set, comes out of
 *   each route's response schema unchanged (a builder may spread in a member its type lacks).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Static, TSchema } from '@sinclair/typebox'
import fastJson from 'fast-json-stringify'
import { loadConfig } from '../../../src/config/load.js'
import { GatewayError } from '../../../src/errors/gateway-error.js'
import { toRequestErrorBody, type NmsFailure } from '../../../src/errors/to-nms-body.js'
import type { RequestFailureSchema } from '../../../src/errors/wire.js'
import { ChannelBody, ChannelListBody } from '../../../src/http/routes/nc/schemas.js'
import { BulkResponseBody, FolderBody, FolderListBody } from '../../../src/http/routes/nms/folders/schemas.js'
import { FlagListBody, FlagNotFoundBody, ObjectBody } from '../../../src/http/routes/nms/objects/schemas.js'
import { SubscriptionBody, SubscriptionListBody } from '../../../src/http/routes/nms/subscriptions/schemas.js'
import type { MessageMeta } from '../../../src/imap/types.js'
import { folderBody, folderReference, objectReference } from '../../../src/nms/folders/representation.js'
import { FolderTree, makeNode } from '../../../src/nms/folders/tree.js'
import { bulkFailure, bulkSuccess } from '../../../src/nms/objects/bulk-response.js'
import { toNmsObject } from '../../../src/nms/objects/representation.js'
import type { FolderAttribute as WireFolderAttribute, NmsFolder } from '../../../src/nms/wire/folder.js'
import { ObjectListSchema, VanishedObjectListSchema, type NmsFlagList, type NmsObject } from '../../../src/nms/wire/object.js'
import type { BulkItemResponse } from '../../../src/nms/wire/bulk.js'
import { ChannelService, type ChannelServiceDeps } from '../../../src/notifications/channels/channel-service.js'
import type { NotificationChannel } from '../../../src/notifications/channels/wire.js'
import { SubscriptionService, type SubscriptionServiceDeps } from '../../../src/notifications/subscriptions/subscription-service.js'
import type { NmsSubscription } from '../../../src/notifications/subscriptions/wire.js'
import type { ChannelRecord } from '../../../src/store/channel-store.js'
import type { FolderAttribute as StoreFolderAttribute } from '../../../src/store/folder-registry-store.js'
import type { SubscriptionRecord } from '../../../src/store/subscription-store.js'

// ---- compile time -------------------------------------------------------------------------------

/** True when A and B are the same type (not merely assignable both ways). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false
type Assert<T extends true> = T
/** The keys of every member of a union. */
type KeysOfUnion<T> = T extends unknown ? keyof T : never

export type WireChecks = [
  // NmsFailure is narrower than the schema (exactly one exception) and has no member it lacks.
  Assert<NmsFailure extends Static<typeof RequestFailureSchema> ? true : false>,
  Assert<Equal<KeysOfUnion<NmsFailure>, keyof Static<typeof RequestFailureSchema>>>,
  // The folder registry's attribute is the wire attribute (src/store cannot import src/nms).
  Assert<Equal<StoreFolderAttribute, WireFolderAttribute>>,
  // Each route body wraps the domain type, not a look-alike.
  Assert<Equal<Static<typeof ObjectBody>['object'], NmsObject>>,
  Assert<Equal<Static<typeof FlagListBody>['flagList'], NmsFlagList>>,
  Assert<Equal<Static<typeof FolderBody>['folder'], NmsFolder>>,
  Assert<Equal<Static<typeof BulkResponseBody>['bulkResponseList']['response'][number], BulkItemResponse>>,
  Assert<Equal<Static<typeof SubscriptionBody>['nmsSubscription'], NmsSubscription>>,
  Assert<Equal<Static<typeof ChannelBody>['notificationChannel'], NotificationChannel>>
]

// ---- run time -----------------------------------------------------------------------------------

/**
 * Every member `schema` lists is present in `value`, recursively (arrays: every element). A
 * fixture that leaves an optional member out would not show that the member survives.
 */
function assertMaximal (schema: TSchema, value: unknown, at = '$'): void {
  if (Array.isArray(schema.anyOf)) return
  if (schema.type === 'array') {
    assert.ok(Array.isArray(value) && value.length > 0, `${at}: a non-empty array`)
    for (const [i, v] of value.entries()) assertMaximal(schema.items as TSchema, v, `${at}[${i}]`)
    return
  }
  if (schema.type !== 'object' || schema.properties === undefined) return
  const props = schema.properties as Record<string, TSchema>
  for (const [name, sub] of Object.entries(props)) {
    const v = (value as Record<string, unknown>)[name]
    assert.notEqual(v, undefined, `${at}.${name}: set in the fixture`)
    assertMaximal(sub, v, `${at}.${name}`)
  }
}

/** What fastify writes for `value` under the response `schema`, parsed back. */
function onTheWire (schema: TSchema, value: unknown): unknown {
  return JSON.parse(fastJson(schema)(value))
}

function assertSurvives (schema: TSchema, value: unknown): void {
  assertMaximal(schema, value)
  assert.deepEqual(onTheWire(schema, value), value)
}

const config = loadConfig({
  env: {
    NMS_IMAP_MASTER_USER: 'master',
    NMS_IMAP_MASTER_PASSWORD: 'master-password',
    NMS_AUTH_HS256_SECRET: 'x'.repeat(32),
    NMS_PUBLIC_URL: 'https://nms.example.net'
  }
})
const BOX = 'tel:+15551234567'
const boxUrl = 'https://nms.example.net/nms/v1/base/tel%3A%2B15551234567'
const ctx = { config, box: { boxId: BOX }, boxUrl }

function node (id: string, path: string, parentId: string | undefined): ReturnType<typeof makeNode> {
  const segments = path.split('/')
  return makeNode({
    id,
    path,
    uidValidity: '7',
    lastModSeq: 3,
    firstSeen: '2024-01-01T00:00:00Z',
    attributes: [{ name: 'Color', value: ['blue'] }]
  }, segments, parentId, { selectable: true, virtual: false, status: { uidValidity: '7', messages: 1 } })
}
const tree = new FolderTree([node('fid-root', 'INBOX', undefined), node('fid-child', 'INBOX/Work', 'fid-root')], '/')
const child = tree.byId('fid-child') as NonNullable<ReturnType<FolderTree['byId']>>

/** A multipart message with every member an object can have (payload parts, modseq, correlation). */
const meta: MessageMeta = {
  uid: 5,
  flags: ['\\Seen'],
  modseq: '42',
  internalDate: new Date('2024-03-01T10:00:00Z'),
  size: 3000,
  envelope: {
    from: [], sender: [], replyTo: [], to: [], cc: [], bcc: [], subject: 'Hi', messageId: '<m1@example.net>'
  },
  bodyStructure: {
    part: '',
    type: 'multipart/mixed',
    parameters: { boundary: 'b' },
    childNodes: [{
      part: '1',
      type: 'image/png',
      parameters: { name: 'a.png' },
      id: '<cid1@example.net>',
      location: 'a.png',
      size: 1000,
      encoding: 'base64'
    }]
  },
  headers: {
    from: ['tel:+15557654321'],
    to: ['tel:+15551234567'],
    'imdn-message-id': ['imdn-1'],
    'correlation-tag': ['tag-1']
  }
}

/** A real object; asserts the fixture carries the optional members this test relies on. */
function fullObject (): NmsObject {
  const o = toNmsObject(ctx, child, meta)
  assert.ok(o.payloadPart?.[0]?.contentId !== undefined && o.payloadPart[0].contentLocation !== undefined, 'payload part members')
  return o
}

describe('wire schemas keep every member the domain layer builds', () => {
  it('an object (GET object) and its flags', () => {
    assertSurvives(ObjectBody, { object: fullObject() })
    const flags: NmsFlagList = { flag: ['\\Seen', '$Label'], resourceURL: `${boxUrl}/objects/x/flags` }
    assertSurvives(FlagListBody, { flagList: flags })
  })

  it('an object search batch and a VanishedObjects answer', () => {
    assertSurvives(ObjectListSchema, { object: [fullObject()], cursor: 'c1', creationCursor: 'cc1' })
    assertSurvives(VanishedObjectListSchema, { objectReference: [{ resourceURL: `${boxUrl}/objects/gone` }] })
  })

  it('a folder with its lists (GET folder) and a folder search batch', () => {
    const folder: NmsFolder = {
      ...folderBody(ctx, tree, child, { path: true }),
      cursor: 'fc1',
      subFolders: { folderReference: [folderReference(ctx, child)] },
      objects: { objectReference: [objectReference(ctx, child, '7', 5)] }
    }
    assertSurvives(FolderBody, { folder })
    assertSurvives(FolderListBody, { folderList: { folder: [folder], cursor: 'sc1' } })
  })

  it('bulk items: a success, a service failure with links and a policy failure', () => {
    const notFound = new GatewayError('GW_ERR_NOT_FOUND', { variables: ['x'], links: [{ rel: 'folder', href: `${boxUrl}/folders/f` }] })
    const body = {
      bulkResponseList: {
        response: [
          bulkSuccess(200, objectReference(ctx, child, '7', 5)),
          bulkFailure(notFound, 'req-1'),
          bulkFailure(new GatewayError('GW_ERR_FOLDER_PROTECTED', { variables: ['/INBOX'] }), 'req-1')
        ]
      }
    }
    // A failure carries one exception (NmsFailure), so no single item sets every member.
    assert.deepEqual(onTheWire(BulkResponseBody, body), body)
    assert.ok(body.bulkResponseList.response[2]?.failure?.policyException !== undefined)
  })

  it('a requestError through the individual-flag 404 union', () => {
    const err = new GatewayError('GW_ERR_NOT_FOUND', { variables: ['x'], links: [{ rel: 'object', href: `${boxUrl}/objects/x` }] })
    const body = toRequestErrorBody(err)
    assert.deepEqual(onTheWire(FlagNotFoundBody, body), body)
  })

  it('a subscription (create, read, update) and the list, with the filter echoed whole', () => {
    const service = new SubscriptionService({} as unknown as SubscriptionServiceDeps)
    const rec: SubscriptionRecord = {
      id: 'sub1',
      boxId: BOX,
      notifyURL: 'https://client.example/notify',
      callbackData: 'cb',
      clientCorrelator: 'corr',
      filter: { criterion: [{ type: 'Attribute', name: 'Message-Context', value: 'pager-message' }], operator: 'And' },
      createdAt: 0,
      createdSeq: 0,
      expiresAt: Date.now() + 60_000,
      position: 0,
      pendingReset: false,
      nextIndex: 4,
      restartToken: 'rt',
      generation: 0
    }
    const sub = service.render(ctx as Parameters<SubscriptionService['render']>[0], rec)
    assertSurvives(SubscriptionBody, { nmsSubscription: sub })
    assertSurvives(SubscriptionListBody, { nmsSubscriptionList: { subscription: [sub], resourceURL: `${boxUrl}/subscriptions` } })
  })

  it('a notification channel and the list', () => {
    const service = new ChannelService({ config } as unknown as ChannelServiceDeps)
    const rec: ChannelRecord = {
      id: 'ch1',
      userId: BOX,
      clientCorrelator: 'corr',
      applicationTag: 'app',
      maxNotifications: 10,
      maxWaitTime: 30,
      lifetimeSeconds: 600,
      createdAt: Date.now(),
      expiresAt: Date.now() + 600_000
    }
    const channel = service.render(rec)
    assertSurvives(ChannelBody, { notificationChannel: channel })
    assertSurvives(ChannelListBody, { notificationChannelList: { notificationChannel: [channel], resourceURL: 'https://nms.example.net/notificationchannel/v1/x/channels' } })
  })

  it('would catch a dropped member (the check itself works)', () => {
    const o = { ...fullObject(), notInTheSchema: 'x' }
    assert.notDeepEqual(onTheWire(ObjectBody, { object: o }), { object: o })
  })
})
