import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { publicUrl } from '../../config.js';
import { actorOf } from '../../platform/http/authenticate.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { channelTypeNames, messageKinds } from '../../channels/index.js';
import { createChannel, deleteChannel, getChannel, listChannels, updateChannel, type Channel } from './channels.js';
import { listChannelTypes } from './channel-types.js';
import { channelTemplates, connectChannel, testChannel } from './connection.js';
import { keyringOf } from './secrets.js';

const tags = ['channels'];
const idParams = z.object({ id: z.uuid() });

const channelSchema = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  settings: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
  teamId: z.string().nullable(),
  rate: z.object({ perSecond: z.number(), burst: z.number() }),
  /** Names of the credentials set; their values are never shown. */
  secretsSet: z.array(z.string()),
  capabilities: z.object({
    messageKinds: z.array(z.enum(messageKinds)),
    templates: z.boolean(),
    replyWindowMs: z.number().nullable(),
    rateLimit: z.object({ perSecond: z.number(), burst: z.number() }),
  }),
  /** Where the provider sends its events. */
  hookUrl: z.string(),
  health: z.object({
    lastEventAt: z.date().nullable(),
    refusedCount: z.number(),
    lastRefusedAt: z.date().nullable(),
    lastRefusedReason: z.string().nullable(),
    sendPausedUntil: z.date().nullable(),
    /** When a provider last checked the credentials (Test connection, or a call it refused). */
    credentialsCheckedAt: z.date().nullable(),
    /** The token state: a stable reason (token_invalid, token_expired) while the provider refuses the credentials; null when fine or unknown. */
    credentialsProblem: z.string().nullable(),
  }),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const channelResponse = z.object({ channel: channelSchema });

const channelTypeSchema = z.object({
  type: z.string(),
  /** JSON Schema (2020-12) of `settings` as the API accepts them. */
  settings: z.record(z.string(), z.unknown()),
  /** JSON Schema of `secrets`: write-only credentials. */
  secrets: z.record(z.string(), z.unknown()),
  /** Whether the provider's events arrive at `hookUrl`. */
  hooks: z.boolean(),
  /**
   * What the admin does at the provider: `webhook` is `paste` (paste hookUrl there), `connect`
   * (POST /channels/{id}/connect registers it) or `none`; `steps` carry stable keys with English text.
   */
  setup: z.object({
    webhook: z.enum(['paste', 'connect', 'none']),
    providerUrl: z.string().optional(),
    steps: z.array(z.object({ key: z.string(), text: z.string(), showHookUrl: z.boolean().optional() })),
  }),
  /** Whether POST /channels/{id}/test can check this type's credentials. */
  testable: z.boolean(),
});

const testResponse = z.object({
  ok: z.literal(true),
  /** The provider's account the credentials open. */
  account: z.object({ accountId: z.string().optional(), name: z.string().optional(), username: z.string().optional() }),
});

const templateSchema = z.object({
  name: z.string(),
  /** The template's language code (en_US, zh_CN). */
  language: z.string(),
  /** Only approved templates can be sent. */
  status: z.enum(['approved', 'pending', 'rejected', 'other']),
  category: z.string().optional(),
  /** The body text with its {{1}}, {{2}}, … placeholders. */
  body: z.string().optional(),
  bodyParameterCount: z.number(),
});

const name = z.string().trim().min(1).max(120);
const rate = { ratePerSecond: z.number().positive().max(10_000).nullable().optional(), rateBurst: z.number().int().min(1).max(100_000).nullable().optional() };
// Secrets are write-only: accepted here, in no response schema.
const createBody = z.strictObject({
  type: z.enum(channelTypeNames as [string, ...string[]]),
  name,
  settings: z.record(z.string(), z.unknown()).default({}),
  secrets: z.record(z.string(), z.unknown()),
  teamId: z.uuid().nullable().optional(),
  ...rate,
});
const patchBody = z.strictObject({
  name: name.optional(),
  /** Merged over the current settings, key by key; null removes one. */
  settings: z.record(z.string(), z.unknown()).optional(),
  /** Merged over the credentials set; null removes one. */
  secrets: z.record(z.string(), z.unknown()).optional(),
  enabled: z.boolean().optional(),
  teamId: z.uuid().nullable().optional(),
  ...rate,
});

export const channelRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.ctx;
  const keyring = keyringOf(config);
  const base = publicUrl(config);
  const withHook = (c: Channel) => ({ ...c, hookUrl: `${base}/hooks/${c.id}` });

  app.get(
    '/channel-types',
    { schema: { tags, description: 'The channel types this server speaks, with what each one\'s settings and credentials take.', response: { 200: z.object({ items: z.array(channelTypeSchema) }) } } },
    async (request) => ({ items: listChannelTypes(actorOf(request)) }),
  );

  app.get('/channels', { schema: { tags, querystring: pageQuery, response: { 200: pageSchema(channelSchema) } } }, async (request) => {
    const page = await listChannels(db, keyring, actorOf(request), request.query);
    return { items: page.items.map(withHook), nextCursor: page.nextCursor };
  });

  app.post('/channels', { schema: { tags, body: createBody, response: { 201: channelResponse } } }, async (request, reply) =>
    reply.code(201).send({ channel: withHook(await createChannel(db, keyring, actorOf(request), request.body)) }),
  );

  app.get('/channels/:id', { schema: { tags, params: idParams, response: { 200: channelResponse } } }, async (request) => ({
    channel: withHook(await getChannel(db, keyring, actorOf(request), request.params.id)),
  }));

  app.patch('/channels/:id', { schema: { tags, params: idParams, body: patchBody, response: { 200: channelResponse } } }, async (request) => ({
    channel: withHook(await updateChannel(db, keyring, actorOf(request), request.params.id, request.body)),
  }));

  const providerCall = { allowPrivateTargets: config.CHANNEL_ALLOW_PRIVATE_TARGETS };
  const failure = 'On a provider\'s refusal: 502 problem+json with code provider_error and a stable `reason` (token_invalid, rate_limited, provider_unavailable, target_refused, …).';

  app.post(
    '/channels/:id/test',
    { schema: { tags, params: idParams, description: `Checks the channel's credentials with a harmless call at the provider (Telegram getMe, LINE bot info). ${failure}`, response: { 200: testResponse } } },
    async (request) => testChannel(db, keyring, actorOf(request), request.params.id, providerCall),
  );

  app.post(
    '/channels/:id/connect',
    { schema: { tags, params: idParams, description: `Registers the channel's hookUrl at the provider, for types whose setup.webhook is connect (Telegram setWebhook with the channel's secret token). ${failure}`, response: { 200: z.object({ ok: z.literal(true), hookUrl: z.string() }) } } },
    async (request) => connectChannel(db, keyring, actorOf(request), request.params.id, { ...providerCall, hookUrl: `${base}/hooks/${request.params.id}` }),
  );

  app.get(
    '/channels/:id/templates',
    { schema: { tags, params: idParams, description: `The channel's message templates, read live at the provider for the composer (WhatsApp message_templates of the channel's business account); a channel type without templates answers 409 not_supported. ${failure}`, response: { 200: z.object({ items: z.array(templateSchema) }) } } },
    async (request) => channelTemplates(db, keyring, actorOf(request), request.params.id, providerCall),
  );

  app.delete('/channels/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteChannel(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });
};
