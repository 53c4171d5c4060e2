import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireAccess } from '../../platform/auth/actor.js';
import { actorOf } from '../../platform/http/authenticate.js';
import { decodeCursor, encodeCursor, pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { findDuplicateGroups } from './queries/duplicates.js';
import { identityBody, identitySchema } from '../contacts/index.js';
import { attachIdentity, listMerges, mergeContacts, undoMerge } from './merges.js';
import { contactSummaries } from './summaries.js';

const tags = ['merges'];
const summary = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  company: z.string().nullable(),
  createdAt: z.date(),
});

export const mergeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get(
    '/contacts/duplicates',
    {
      schema: {
        tags,
        querystring: pageQuery,
        response: {
          200: pageSchema(z.object({ key: z.string(), reason: z.enum(['phone', 'email', 'similar_name']), contacts: z.array(summary) })),
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      requireAccess(actor, 'contacts:read');
      const { cursor, limit } = request.query;
      const groups = await findDuplicateGroups(db, actor, { after: cursor ? String(decodeCursor(cursor, 1)[0]) : undefined, limit });
      const kept = groups.slice(0, limit);
      const contacts = await contactSummaries(db, actor.workspaceId, kept.flatMap((g) => g.contactIds));
      return {
        items: kept.map((g) => ({ key: g.key, reason: g.reason, contacts: g.contactIds.map((id) => contacts.get(id)!) })),
        nextCursor: groups.length > limit ? encodeCursor([kept.at(-1)!.key]) : null,
      };
    },
  );

  app.post(
    '/contacts/merge',
    {
      schema: {
        tags,
        body: z.strictObject({
          survivorId: z.uuid(),
          mergedIds: z.array(z.uuid()).min(1).max(20),
          fields: z.record(z.string().max(60), z.uuid()).optional(),
        }),
        response: { 200: z.object({ mergeId: z.string(), contactId: z.string() }) },
      },
    },
    async (request) => mergeContacts(db, actorOf(request), request.body),
  );

  app.get(
    '/contacts/:id/merges',
    {
      schema: {
        tags,
        params: z.object({ id: z.uuid() }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                survivorId: z.string(),
                mergedIds: z.array(z.string()),
                mergedAt: z.date(),
                mergedBy: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
                undoneAt: z.date().nullable(),
              }),
            ),
            nextCursor: z.null(),
          }),
        },
      },
    },
    async (request) => ({ items: await listMerges(db, actorOf(request), request.params.id), nextCursor: null }),
  );

  // A contact's routes, served here because an identity another contact holds follows the
  // workspace's collision rule: 409 naming the holder (`refuse`), or the holder merged into this
  // contact (`merge`). 200 when the contact already holds it.
  app.post(
    '/contacts/:id/identities',
    {
      schema: {
        tags: ['contacts'],
        params: z.object({ id: z.uuid() }),
        body: identityBody,
        response: {
          201: z.object({ identity: identitySchema, merged: z.object({ contactId: z.string(), mergeId: z.string() }).nullable() }),
          200: z.object({ identity: identitySchema, merged: z.null() }),
        },
      },
    },
    async (request, reply) => {
      const { identity, added, merged } = await attachIdentity(db, actorOf(request), request.params.id, request.body);
      return reply.code(added ? 201 : 200).send({ identity, merged });
    },
  );

  app.post(
    '/contact-merges/:id/undo',
    { schema: { tags, params: z.object({ id: z.uuid() }), response: { 200: z.object({ contactIds: z.array(z.string()) }) } } },
    async (request) => undoMerge(db, actorOf(request), request.params.id),
  );
};
