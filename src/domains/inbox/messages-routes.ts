import fastifyMultipart from '@fastify/multipart';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { AppError, invalid } from '../../platform/http/errors.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { inboxDeps } from './deps.js';
import { addNote, listDeadLetters, listMessages, readAttachment, retryDeadLetter, searchMessages, sendReply, uploadAttachment } from './messages.js';
import { attachmentSchema, messageResponse, messageSchema, noteBody, replyBody } from './schema.js';
import { sendFile } from './serve-file.js';

const tags = ['inbox'];
const idParams = z.object({ id: z.uuid() });

export const messageRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.ctx;
  const deps = inboxDeps(config);
  // Registered here so the attachment limit applies to the upload only.
  await app.register(fastifyMultipart, { limits: { fileSize: deps.limits.maxBytes, files: 1, fields: 5, parts: 6 } });

  app.get('/conversations/:id/messages', { schema: { tags, params: idParams, querystring: pageQuery, response: { 200: pageSchema(messageSchema) } } }, async (request) =>
    listMessages(db, actorOf(request), request.params.id, request.query),
  );

  app.post(
    '/conversations/:id/messages',
    { schema: { tags, params: idParams, body: replyBody, description: 'Queues a reply to the customer; it is sent by the outbound queue (status queued → sent).', response: { 202: messageResponse } } },
    async (request, reply) => reply.code(202).send({ message: await sendReply(db, deps, actorOf(request), request.params.id, request.body) }),
  );

  app.post('/conversations/:id/notes', { schema: { tags, params: idParams, body: noteBody, response: { 201: messageResponse } } }, async (request, reply) =>
    reply.code(201).send({ message: await addNote(db, actorOf(request), request.params.id, request.body) }),
  );

  app.get(
    '/inbox/search',
    { schema: { tags, querystring: pageQuery.extend({ q: z.string().trim().min(1).max(200) }), response: { 200: pageSchema(messageSchema) } } },
    async (request) => searchMessages(db, actorOf(request), request.query.q, request.query),
  );

  app.post(
    '/attachments',
    { schema: { tags, consumes: ['multipart/form-data'], description: 'Upload a file (field `file`) to attach to a reply by its id.', response: { 201: z.object({ attachment: attachmentSchema }) } } },
    async (request, reply) => {
      if (!request.isMultipart()) throw invalid([{ path: 'file', message: 'Send the file as multipart/form-data in the field "file"' }]);
      const actor = actorOf(request);
      const part = await request.file().catch((error: unknown) => {
        throw new AppError('validation_failed', 'The upload could not be read', { cause: error });
      });
      if (!part || part.fieldname !== 'file') throw invalid([{ path: 'file', message: 'Send the file in the field "file"' }]);
      const attachment = await uploadAttachment(db, deps, actor, { fileName: part.filename || 'file', declaredType: part.mimetype, stream: part.file, truncated: () => part.file.truncated });
      return reply.code(201).send({ attachment });
    },
  );

  app.get('/attachments/:id', { schema: { tags, params: idParams, description: 'The file itself.' } }, async (request, reply) => {
    return sendFile(reply, await readAttachment(db, deps, actorOf(request), request.params.id));
  });

  app.get(
    '/dead-letters',
    { schema: { tags, querystring: pageQuery.extend({ channelId: z.uuid().optional() }), description: 'Outbound messages that failed for good, newest first.', response: { 200: pageSchema(messageSchema) } } },
    async (request) => listDeadLetters(db, actorOf(request), request.query),
  );

  app.post('/dead-letters/:id/retry', { schema: { tags, params: idParams, response: { 200: messageResponse } } }, async (request) => ({
    message: await retryDeadLetter(db, deps, actorOf(request), request.params.id),
  }));
};
