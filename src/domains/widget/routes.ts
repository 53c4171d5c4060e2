// The visitors' HTTP endpoints, outside /api/v1: /widget/v1/channels/{channelId}/…, called
// cross-origin by the widget on the company's site. Every request (preflight included) must come
// from one of the channel's allowed origins, which alone get CORS headers; the visitor proves who
// they are with the sealed token of their session (X-Renmai-Visitor). Posts are rate-limited.
import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, invalid } from '../../platform/http/errors.js';
import { pageQuery } from '../../platform/http/pagination.js';
import { keyringOf } from '../channels/index.js';
import { inboxDeps, sendFile } from '../inbox/index.js';
import { widgetChannel, type WidgetChannel } from './channel.js';
import { originAllowed } from './origin.js';
import { createLimiter } from './rate.js';
import * as widget from './service.js';
import { registerVisitorSocket } from './socket.js';
import { requireVisitor, VISITOR_HEADER } from './token.js';

const tags = ['widget'];
const channelIdSchema = z.uuid();
const params = z.object({ channelId: channelIdSchema });
const clientMessageId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64');

declare module 'fastify' {
  interface FastifyRequest {
    widgetChannel?: WidgetChannel;
  }
}

const channelOf = (request: FastifyRequest) => request.widgetChannel!;


export const widgetRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.ctx;
  const keyring = keyringOf(config);
  const deps: widget.WidgetDeps = { db, keyring, limits: inboxDeps(config).limits };
  const sessions = createLimiter({ burst: 30, perSecond: 0.5 });
  const posts = createLimiter({ burst: 20, perSecond: 1 });
  await app.register(fastifyMultipart, { limits: { fileSize: deps.limits.maxBytes, files: 1, fields: 3, parts: 4 } });

  // Before anything else of the request: the channel and the Origin, and CORS headers for an allowed one.
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const channelId = (request.params as { channelId?: string }).channelId;
    if (!channelId) return;
    if (!channelIdSchema.safeParse(channelId).success) throw invalid([{ path: 'channelId', message: 'Invalid uuid' }]);
    const channel = await widgetChannel(db, keyring, channelId);
    const origin = request.headers.origin;
    if (!originAllowed(channel.settings.allowedOrigins, origin)) throw new AppError('forbidden', 'This site may not use this widget', { details: { reason: 'origin_not_allowed' } });
    reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    request.widgetChannel = channel;
  });

  const visitor = (request: FastifyRequest) => {
    const token = request.headers[VISITOR_HEADER];
    return requireVisitor(keyring, typeof token === 'string' ? token : undefined, channelOf(request).channelId);
  };
  const posting = (request: FastifyRequest) => {
    const v = visitor(request);
    posts(`${v.channelId}:${v.visitorId}`);
    return v;
  };

  const base = '/widget/v1/channels/:channelId';

  app.options(`${base}/*`, { config: { access: 'public' }, schema: { tags, hide: true } }, async (_request, reply) =>
    reply
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', `content-type, ${VISITOR_HEADER}`)
      .header('access-control-max-age', '600')
      .code(204)
      .send(),
  );

  app.get(`${base}/config`, { config: { access: 'public' }, schema: { tags, params, description: 'The widget’s public settings (no secrets) and whether an agent is online.' } }, async (request) => ({
    config: await widget.publicConfig(deps, channelOf(request)),
  }));

  app.post(
    `${base}/session`,
    {
      config: { access: 'public' },
      schema: {
        tags,
        params,
        description: 'Starts or resumes a visitor session. Anonymous: send the token you hold (if any). Verified: userId and userHash = hex HMAC-SHA256(identity secret, userId); a mismatch is 403 (reason identity_mismatch) and stores nothing.',
        body: z.strictObject({ token: z.string().max(2000).optional(), userId: z.string().trim().min(1).max(200).optional(), userHash: z.string().max(200).optional() }),
      },
    },
    async (request) => {
      sessions(`${request.ip}:${channelOf(request).channelId}`);
      return { session: await widget.startSession(deps, channelOf(request), request.body) };
    },
  );

  app.post(
    `${base}/prechat`,
    { config: { access: 'public' }, schema: { tags, params, body: z.strictObject({ answers: z.record(z.string().max(40), z.string().max(500)) }) } },
    async (request, reply) => {
      await widget.submitPrechat(deps, channelOf(request), posting(request), request.body.answers);
      return reply.code(204).send();
    },
  );

  app.post(
    `${base}/email`,
    { config: { access: 'public' }, schema: { tags, params, description: 'Offline mode: an e-mail to answer the visitor at (kept unverified).', body: z.strictObject({ email: z.string().max(320) }) } },
    async (request, reply) => {
      await widget.leaveEmail(deps, channelOf(request), posting(request), request.body.email);
      return reply.code(204).send();
    },
  );

  app.post(
    `${base}/messages`,
    {
      config: { access: 'public' },
      schema: { tags, params, description: 'A visitor’s message; the same clientMessageId is stored once.', body: z.strictObject({ clientMessageId, text: z.string().max(5000) }) },
    },
    async (request, reply) => reply.code(202).send(await widget.postMessage(deps, channelOf(request), posting(request), request.body)),
  );

  app.post(
    `${base}/attachments`,
    { config: { access: 'public' }, schema: { tags, params, consumes: ['multipart/form-data'], description: 'A file as a message: fields clientMessageId and text (optional) before the file in field `file`.' } },
    async (request, reply) => {
      const v = posting(request);
      if (!request.isMultipart()) throw invalid([{ path: 'file', message: 'Send multipart/form-data with the file in the field "file"' }]);
      const part = await request.file().catch((error: unknown) => {
        throw new AppError('validation_failed', 'The upload could not be read', { cause: error });
      });
      if (!part || part.fieldname !== 'file') throw invalid([{ path: 'file', message: 'Send the file in the field "file"' }]);
      const field = (name: string) => {
        const f = part.fields[name];
        return f && !Array.isArray(f) && f.type === 'field' ? String(f.value) : undefined;
      };
      const id = clientMessageId.safeParse(field('clientMessageId'));
      if (!id.success) throw invalid([{ path: 'clientMessageId', message: 'letters, digits, _ and -, at most 64, before the file' }]);
      const data = await part.toBuffer().catch((error: unknown) => {
        throw new AppError('payload_too_large', `The file is larger than ${deps.limits.maxBytes} bytes`, { details: { maxBytes: deps.limits.maxBytes }, cause: error });
      });
      const text = field('text')?.slice(0, 5000);
      const result = await widget.postMessage(deps, channelOf(request), v, { clientMessageId: id.data, text, file: { fileName: part.filename || 'file', declaredType: part.mimetype, data } });
      return reply.code(202).send(result);
    },
  );

  app.get(`${base}/messages`, { config: { access: 'public' }, schema: { tags, params, querystring: pageQuery, description: 'The visitor’s conversation, newest first (no internal notes).' } }, async (request) =>
    widget.listMessages(deps, visitor(request), request.query),
  );

  app.get(`${base}/attachments/:id`, { config: { access: 'public' }, schema: { tags, params: params.extend({ id: z.uuid() }) } }, async (request, reply) => {
    return sendFile(reply, await widget.readFile(deps, visitor(request), request.params.id));
  });

  app.post(`${base}/socket-ticket`, { config: { access: 'public' }, schema: { tags, params, description: 'A ticket to open GET /widget/v1/socket?token=<ticket> within a minute (the visitor token never goes in a URL).' } }, async (request) => ({
    ticket: widget.socketTicket(deps, visitor(request)),
  }));

  app.post(`${base}/read`, { config: { access: 'public' }, schema: { tags, params, description: 'Everything agents wrote so far is read (the unread badge).' } }, async (request) =>
    widget.markRead(deps, visitor(request)),
  );

  registerVisitorSocket(app, keyring, async (v) => widget.settleProfile(deps, await widgetChannel(db, keyring, v.channelId), v));
};
