import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { callBody, interactionBody, noteBody, timelineTypes, visitBody } from './schema.js';
import { addCall, addInteraction, addNote, addVisit, deleteTimelineEvent, listTimeline } from './timeline.js';

const tags = ['timeline'];
const idParams = z.object({ id: z.uuid() });

export const timelineEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  occurredAt: z.date(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  props: z.record(z.string(), z.unknown()),
});
const eventResponse = z.object({ event: timelineEventSchema });

const timelineQuery = pageQuery.extend({
  // `?types=note,call`
  types: z
    .string()
    .max(500)
    .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.enum(timelineTypes)))
    .optional(),
});

export const timelineRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get('/contacts/:id/timeline', { schema: { tags, params: idParams, querystring: timelineQuery, response: { 200: pageSchema(timelineEventSchema) } } }, async (request) =>
    listTimeline(db, actorOf(request), request.params.id, request.query),
  );

  app.post('/contacts/:id/notes', { schema: { tags, params: idParams, body: noteBody, response: { 201: eventResponse } } }, async (request, reply) =>
    reply.code(201).send({ event: await addNote(db, actorOf(request), request.params.id, request.body) }),
  );

  app.post('/contacts/:id/calls', { schema: { tags, params: idParams, body: callBody, response: { 201: eventResponse } } }, async (request, reply) =>
    reply.code(201).send({ event: await addCall(db, actorOf(request), request.params.id, request.body) }),
  );

  app.post('/contacts/:id/visits', { schema: { tags, params: idParams, body: visitBody, response: { 201: eventResponse } } }, async (request, reply) =>
    reply.code(201).send({ event: await addVisit(db, actorOf(request), request.params.id, request.body) }),
  );

  app.post('/contacts/:id/timeline', { schema: { tags, params: idParams, body: interactionBody, response: { 201: eventResponse } } }, async (request, reply) =>
    reply.code(201).send({ event: await addInteraction(db, actorOf(request), request.params.id, request.body) }),
  );

  app.delete('/timeline/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteTimelineEvent(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });
};
