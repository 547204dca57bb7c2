/**
 * The subscription resources (nms-spec-digest.md R17, R18) under `/nms/v1/:storeName/:boxId`:
 * create (201 + Location), list, read, update (`POST` with `nmsSubscriptionUpdate`: extend
 * and/or rewind) and delete. All need the `subscription` OMA scope (digest 0.4). PUT answers
 * 405 with the resource's Allow set (method-not-allowed plugin).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppDeps } from '../../../app-deps.js'
import type { FolderContext } from '../../../../nms/folders/context.js'
import { nmsContext } from '../request-context.js'
import {
  BoxParams, CreateSubscriptionRequest, NoContent, SubscriptionBody, SubscriptionListBody, SubscriptionParams,
  UpdateSubscriptionRequest
} from './schemas.js'

const tags = ['subscriptions']

export default async function subscriptionRoutes (app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts
  const service = deps.notifications.subscriptions
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const ctxOf = (request: FastifyRequest): FolderContext => nmsContext(deps, request)

  r.post('/subscriptions', {
    config: { omaScope: 'subscription' },
    schema: { tags, operationId: 'createSubscription', summary: 'Subscribe to the box\'s changes', params: BoxParams, body: CreateSubscriptionRequest, response: { 201: SubscriptionBody } }
  }, async (request, reply) => {
    const { subscription } = await service.create(ctxOf(request), request.body.nmsSubscription)
    return await reply.code(201).header('Location', subscription.resourceURL).send({ nmsSubscription: subscription })
  })

  r.get('/subscriptions', {
    config: { omaScope: 'subscription' },
    schema: { tags, operationId: 'listSubscriptions', summary: 'The box\'s subscriptions', params: BoxParams, response: { 200: SubscriptionListBody } }
  }, async (request) => {
    const ctx = ctxOf(request)
    return { nmsSubscriptionList: { subscription: await service.list(ctx), resourceURL: `${ctx.boxUrl}/subscriptions` } }
  })

  r.get('/subscriptions/:subscriptionId', {
    config: { omaScope: 'subscription' },
    schema: { tags, operationId: 'getSubscription', summary: 'A subscription', params: SubscriptionParams, response: { 200: SubscriptionBody } }
  }, async (request) => ({ nmsSubscription: await service.get(ctxOf(request), request.params.subscriptionId) }))

  r.post('/subscriptions/:subscriptionId', {
    config: { omaScope: 'subscription' },
    schema: { tags, operationId: 'updateSubscription', summary: 'Extend and/or rewind a subscription', params: SubscriptionParams, body: UpdateSubscriptionRequest, response: { 200: SubscriptionBody } }
  }, async (request) => {
    const { subscriptionId } = request.params
    return { nmsSubscription: await service.update(ctxOf(request), subscriptionId, request.body.nmsSubscriptionUpdate) }
  })

  r.delete('/subscriptions/:subscriptionId', {
    config: { omaScope: 'subscription' },
    schema: { tags, operationId: 'deleteSubscription', summary: 'End a subscription', params: SubscriptionParams, response: { 204: NoContent } }
  }, async (request, reply) => {
    await service.remove(ctxOf(request), request.params.subscriptionId)
    return await reply.code(204).send(null)
  })
}
