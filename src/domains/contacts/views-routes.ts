import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { contactSortSchema } from './contacts-sort.js';
import { contactFilterSchema } from './filter.js';
import { createView, deleteView, listViews, updateView } from './views.js';

const tags = ['contacts'];
const idParams = z.object({ id: z.uuid() });

export const viewSchema = z.object({
  id: z.string(),
  name: z.string(),
  filter: z.record(z.string(), z.unknown()),
  sort: z.record(z.string(), z.unknown()).nullable(),
  columns: z.array(z.string()),
  shared: z.boolean(),
  owner: z.object({ id: z.string(), name: z.string() }),
  mine: z.boolean(),
  createdAt: z.date(),
});
const viewResponse = z.object({ view: viewSchema });

const name = z.string().trim().min(1).max(100);
const columns = z.array(z.string().min(1).max(100)).max(100);
const createBody = z.strictObject({ name, filter: contactFilterSchema, sort: contactSortSchema.nullable().optional(), columns: columns.default([]), shared: z.boolean().default(false) });
const patchBody = z.strictObject({
  name: name.optional(),
  filter: contactFilterSchema.optional(),
  sort: contactSortSchema.nullable().optional(),
  columns: columns.optional(),
  shared: z.boolean().optional(),
});

export const viewRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  // Mine and the shared ones, all at once (capped per member), so nextCursor is always null.
  app.get('/contact-views', { schema: { tags, response: { 200: z.object({ items: z.array(viewSchema), nextCursor: z.null() }) } } }, async (request) =>
    listViews(db, actorOf(request)),
  );

  app.post('/contact-views', { schema: { tags, body: createBody, response: { 201: viewResponse } } }, async (request, reply) =>
    reply.code(201).send({ view: await createView(db, actorOf(request), request.body) }),
  );

  app.patch('/contact-views/:id', { schema: { tags, params: idParams, body: patchBody, response: { 200: viewResponse } } }, async (request) => ({
    view: await updateView(db, actorOf(request), request.params.id, request.body),
  }));

  app.delete('/contact-views/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteView(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });
};
