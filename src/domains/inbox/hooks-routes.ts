// Provider webhooks at /hooks/<channel id>: the raw request is verified by the channel's adapter
// before anything is stored. A refused request writes one thing, the channel's refusal counter
// (its health panel), and gets 401 (or 400 for a body that cannot be read). A verified one has
// its events stored once each and is answered at once; the worker processes them.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { publicUrl } from '../../config.js';
import { AppError, invalid, notFound } from '../../platform/http/errors.js';
import { ChannelPayloadError, type HookAnswer, type InboundRequest } from '../../channels/index.js';
import { channelForHook, keyringOf, recordRefusal, type LiveChannel } from '../channels/index.js';
import { inboxDeps } from './deps.js';
import { storeEvents } from './intake.js';

const params = z.object({ channelId: z.uuid() });

/** `hookUrl`: the channel's hook URL as GET /channels shows it, which the admin pasted at the provider. */
function inbound(request: FastifyRequest, hookUrl: string): InboundRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  const q = request.raw.url?.indexOf('?') ?? -1;
  const rawQuery = q >= 0 ? request.raw.url!.slice(q + 1) : '';
  return {
    method: request.method === 'GET' ? 'GET' : 'POST',
    headers,
    rawQuery,
    rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
    url: `${hookUrl}${q >= 0 ? `?${rawQuery}` : ''}`,
  };
}

const answer = (reply: FastifyReply, a: HookAnswer) => reply.code(a.status).type(a.contentType).send(a.body);

export const hookRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.ctx;
  const keyring = keyringOf(config);
  const { limits } = inboxDeps(config);
  const base = publicUrl(config);
  // The adapter verifies the exact bytes the provider signed, so no parser may touch them first.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: config.HOOK_BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body));

  async function open(channelId: string): Promise<LiveChannel> {
    const channel = await channelForHook(db, keyring, channelId);
    if (!channel?.enabled) throw notFound('Channel');
    return channel;
  }

  async function refuse(channel: LiveChannel, reason: string, error: AppError): Promise<never> {
    await recordRefusal(db, channel.workspaceId, channel.channelId, reason);
    throw error;
  }

  const schema = { tags: ['hooks'], params, description: 'Provider webhooks (no API credentials: the provider signs the request). Protocol per channel type: src/channels/<type>/README.md.' };

  app.get('/hooks/:channelId', { config: { access: 'public' }, schema }, async (request, reply) => {
    const channel = await open(request.params.channelId);
    const handshake = channel.adapter.handshake?.(inbound(request, `${base}/hooks/${request.params.channelId}`), channel.runtime) ?? null;
    if (!handshake) return refuse(channel, 'verification handshake refused', new AppError('forbidden', 'Verification refused'));
    return answer(reply, handshake);
  });

  app.post('/hooks/:channelId', { config: { access: 'public' }, schema }, async (request, reply) => {
    const channel = await open(request.params.channelId);
    const req = inbound(request, `${base}/hooks/${request.params.channelId}`);
    if (!channel.adapter.verify(req, channel.runtime)) return refuse(channel, 'signature does not verify', new AppError('unauthenticated', 'The request signature does not verify'));
    let events;
    try {
      events = await channel.adapter.parse(req, channel.runtime);
    } catch (error) {
      if (!(error instanceof ChannelPayloadError)) throw error;
      return refuse(channel, error.message, invalid(error.errors, error.message));
    }
    let result;
    try {
      result = await storeEvents(db, limits, channel, events);
    } catch (error) {
      if (error instanceof AppError && (error.code === 'payload_too_large' || error.code === 'unsupported_media_type')) return refuse(channel, error.message, error);
      throw error;
    }
    return channel.adapter.acknowledge ? answer(reply, channel.adapter.acknowledge(events)) : reply.code(200).send({ received: result.stored, duplicates: result.duplicates });
  });
};
