/**
 * The Notification Channel resources (nms-spec-digest.md 5.3; client profile 3.6, checks
 * 27-40) under `/notificationchannel/v1/:userId`, behind the same Bearer auth as NMS (the user
 * is resolved like a box: `acr:auth`, own user, or any with the server scope). Handlers are thin:
 * src/notifications/channels.ts does the work.
 *
 * The long poll answers 200 with the JSON text the channel service built (notifications are
 * queued as JSON already, so they are joined, never parsed and serialised again), and records
 * what it carried as sent only once the response was written out completely: a response the
 * client never received is sent again by its next poll.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppDeps } from '../../app-deps.js'
import { GatewayError } from '../../../errors/gateway-error.js'
import { channelAuth } from '../../plugins/auth.js'
import {
  ChannelBody, ChannelListBody, ChannelParams, CreateChannelRequest, LifetimeBody, LifetimeRequest, NoContent,
  PollRequest, UserParams
} from './schemas.js'

const tags = ['notificationchannel']

function userOf (request: FastifyRequest): string {
  const box = request.box
  if (box === null) throw new GatewayError('GW_ERR_INTERNAL', { variables: [request.id], detail: `${request.url} reached without the auth hook` })
  return box.boxId
}

export default async function channelRoutes (app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts
  const service = deps.notifications.channels
  await app.register(channelAuth, { config: deps.config, verifier: deps.verifier, kind: 'nc' })
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.post('/channels', {
    schema: { tags, operationId: 'createChannel', summary: 'Create a long-polling notification channel', params: UserParams, body: CreateChannelRequest, response: { 201: ChannelBody } }
  }, async (request, reply) => {
    const { channel } = await service.create(userOf(request), request.body.notificationChannel)
    return await reply.code(201).header('Location', channel.resourceURL).send({ notificationChannel: channel })
  })

  r.get('/channels', {
    schema: { tags, operationId: 'listChannels', summary: 'The user\'s notification channels', params: UserParams, response: { 200: ChannelListBody } }
  }, async (request) => ({ notificationChannelList: await service.list(userOf(request)) }))

  r.get('/channels/:channelId', {
    schema: { tags, operationId: 'getChannel', summary: 'A notification channel', params: ChannelParams, response: { 200: ChannelBody } }
  }, async (request) => ({ notificationChannel: await service.get(userOf(request), request.params.channelId) }))

  r.delete('/channels/:channelId', {
    schema: { tags, operationId: 'deleteChannel', summary: 'Delete a channel (an open poll answers 404)', params: ChannelParams, response: { 204: NoContent } }
  }, async (request, reply) => {
    await service.remove(userOf(request), request.params.channelId)
    return await reply.code(204).send(null)
  })

  r.get('/channels/:channelId/channelLifetime', {
    schema: { tags, operationId: 'getChannelLifetime', summary: 'The channel\'s remaining lifetime', params: ChannelParams, response: { 200: LifetimeBody } }
  }, async (request) => ({
    notificationChannelLifetime: { channelLifetime: await service.lifetime(userOf(request), request.params.channelId) }
  }))

  r.put('/channels/:channelId/channelLifetime', {
    schema: { tags, operationId: 'setChannelLifetime', summary: 'Refresh the channel\'s lifetime', params: ChannelParams, body: LifetimeRequest, response: { 200: LifetimeBody } }
  }, async (request) => {
    const requested = request.body.notificationChannelLifetime.channelLifetime
    const seconds = await service.setLifetime(userOf(request), request.params.channelId, requested)
    return { notificationChannelLifetime: { channelLifetime: seconds } }
  })

  r.post('/channels/:channelId/notifications', {
    schema: { tags, operationId: 'longPoll', summary: 'Long poll: the pending notifications, or an empty list after the hold time; 302 to the channel resource when the channel is gone', params: ChannelParams, body: PollRequest }
  }, async (request, reply) => {
    const gone = new AbortController()
    // The client hung up while its poll was held: nothing is sent, nothing taken from the queue.
    const onClose = (): void => { if (!reply.raw.writableFinished) gone.abort() }
    request.raw.socket.once('close', onClose)
    try {
      const answer = await service.poll(userOf(request), request.params.channelId, gone.signal)
      if (answer === undefined) return await reply.hijack()
      if ('redirect' in answer) return await reply.code(302).header('Location', answer.redirect).send()
      const sent = answer.sent
      if (sent !== undefined) {
        reply.raw.once('finish', () => {
          sent().catch((err: unknown) => { request.log.warn({ err }, 'poll response not recorded as sent') })
        })
      }
      return await reply.code(200).type('application/json').send(answer.body)
    } finally {
      request.raw.socket.off('close', onClose)
    }
  })
}
