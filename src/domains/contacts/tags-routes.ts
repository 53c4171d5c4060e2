import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { createTag, createTagGroup, deleteTag, deleteTagGroup, listContactTags, listTagGroups, tagContact, untagContact, updateTag, updateTagGroup } from './tags.js';

const tags = ['tags'];
const idParams = z.object({ id: z.uuid() });

const tagSchema = z.object({ id: z.string(), groupId: z.string(), name: z.string(), color: z.string(), contactCount: z.number() });
const groupSchema = z.object({ id: z.string(), name: z.string(), singleChoice: z.boolean(), position: z.number(), tags: z.array(tagSchema) });
const contactTagSchema = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string(),
  groupId: z.string(),
  source: z.string(),
  addedBy: z.string().nullable(),
  addedAt: z.date(),
});

const name = z.string().trim().min(1).max(50);
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A colour like #1677ff');
const groupCreateBody = z.strictObject({ name, singleChoice: z.boolean().optional() });
const groupPatchBody = z.strictObject({ name: name.optional(), singleChoice: z.boolean().optional() });
const tagCreateBody = z.strictObject({ groupId: z.uuid(), name, color: color.optional() });
const tagPatchBody = z.strictObject({ name: name.optional(), color: color.optional() });
const tagIdsBody = z.strictObject({ tagIds: z.array(z.uuid()).min(1).max(100) });

export const tagRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  // Every group with its tags at once (groups and tags are capped), so nextCursor is always null.
  app.get('/tag-groups', { schema: { tags, response: { 200: z.object({ items: z.array(groupSchema), nextCursor: z.null() }) } } }, async (request) =>
    listTagGroups(db, actorOf(request)),
  );

  app.post('/tag-groups', { schema: { tags, body: groupCreateBody, response: { 201: z.object({ group: groupSchema }) } } }, async (request, reply) =>
    reply.code(201).send({ group: await createTagGroup(db, actorOf(request), request.body) }),
  );

  app.patch('/tag-groups/:id', { schema: { tags, params: idParams, body: groupPatchBody, response: { 200: z.object({ group: groupSchema }) } } }, async (request) => ({
    group: await updateTagGroup(db, actorOf(request), request.params.id, request.body),
  }));

  app.delete('/tag-groups/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteTagGroup(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.post('/tags', { schema: { tags, body: tagCreateBody, response: { 201: z.object({ tag: tagSchema }) } } }, async (request, reply) =>
    reply.code(201).send({ tag: await createTag(db, actorOf(request), request.body) }),
  );

  app.patch('/tags/:id', { schema: { tags, params: idParams, body: tagPatchBody, response: { 200: z.object({ tag: tagSchema }) } } }, async (request) => ({
    tag: await updateTag(db, actorOf(request), request.params.id, request.body),
  }));

  app.delete('/tags/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteTag(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.get('/contacts/:id/tags', { schema: { tags, params: idParams, response: { 200: z.object({ items: z.array(contactTagSchema), nextCursor: z.null() }) } } }, async (request) =>
    listContactTags(db, actorOf(request), request.params.id),
  );

  // Answers with the contact's tags after the change (and how many were added and replaced).
  app.post(
    '/contacts/:id/tags',
    { schema: { tags, params: idParams, body: tagIdsBody, response: { 200: z.object({ items: z.array(contactTagSchema), added: z.number(), replaced: z.number() }) } } },
    async (request) => {
      const { items, added, replaced } = await tagContact(db, actorOf(request), request.params.id, request.body.tagIds);
      return { items, added, replaced };
    },
  );

  app.delete('/contacts/:id/tags/:tagId', { schema: { tags, params: z.object({ id: z.uuid(), tagId: z.uuid() }) } }, async (request, reply) => {
    await untagContact(db, actorOf(request), request.params.id, request.params.tagId);
    return reply.code(204).send();
  });
};
