import { join } from 'node:path';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { catalogue } from './catalogue.js';
import { definitionSchema } from './definition.js';
import {
  contactSegments, createSegment, deleteSegment, duplicateSegment, exportSegment, getSegment, listMembers, listSegments, previewCount, rebuildSegment,
  segmentHistory, snapshotSegment, updateSegment,
} from './segments.js';

const tags = ['segments'];
const idParams = z.object({ id: z.uuid() });

export const segmentSchema = z.object({
  id: z.string(),
  kind: z.enum(['dynamic', 'static']),
  name: z.string(),
  description: z.string().nullable(),
  definition: z.record(z.string(), z.unknown()).nullable(),
  status: z.enum(['building', 'ready', 'invalid']),
  error: z.string().nullable(),
  /** Members within the caller's data scope. */
  memberCount: z.number(),
  builtAt: z.date().nullable(),
  buildJobId: z.string().nullable(),
  sourceSegmentId: z.string().nullable(),
  snapshotAt: z.date().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const segmentResponse = z.object({ segment: segmentSchema });
const memberSchema = z.object({
  contact: z.object({ id: z.string(), name: z.string(), avatarUrl: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(), company: z.string().nullable() }),
  enteredAt: z.date(),
});

const name = z.string().trim().min(1).max(120);
const description = z.string().trim().max(1000).nullable().optional();
const createBody = z.strictObject({ name, description, kind: z.enum(['dynamic', 'static']).default('dynamic'), definition: definitionSchema });
const patchBody = z.strictObject({ name: name.optional(), description, definition: definitionSchema.optional() });
const copyBody = z.strictObject({ name: name.optional() });
const listQuery = pageQuery.extend({ kind: z.enum(['dynamic', 'static']).optional() });
const historyQuery = z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() });

export const segmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.ctx;
  const exportDir = join(config.DATA_DIR, 'exports');

  app.get('/segments', { schema: { tags, querystring: listQuery, response: { 200: pageSchema(segmentSchema) } } }, async (request) =>
    listSegments(db, actorOf(request), request.query),
  );

  app.post('/segments', { schema: { tags, body: createBody, response: { 201: segmentResponse } } }, async (request, reply) =>
    reply.code(201).send({ segment: await createSegment(db, actorOf(request), request.body) }),
  );

  // For the builder: every condition, field and operator, and the workspace's custom fields.
  app.get('/segments/catalogue', { schema: { tags, response: { 200: z.record(z.string(), z.unknown()) } } }, async (request) => catalogue(db, actorOf(request)));

  // The live count while a definition is edited (nothing is saved).
  app.post('/segments/preview', { schema: { tags, body: z.strictObject({ definition: definitionSchema }), response: { 200: z.object({ count: z.number() }) } } }, async (request) => ({
    count: await previewCount(db, actorOf(request), request.body.definition),
  }));

  app.get('/segments/:id', { schema: { tags, params: idParams, response: { 200: segmentResponse } } }, async (request) => ({
    segment: await getSegment(db, actorOf(request), request.params.id),
  }));

  app.patch('/segments/:id', { schema: { tags, params: idParams, body: patchBody, response: { 200: segmentResponse } } }, async (request) => ({
    segment: await updateSegment(db, actorOf(request), request.params.id, request.body),
  }));

  app.delete('/segments/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteSegment(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.post('/segments/:id/duplicate', { schema: { tags, params: idParams, body: copyBody, response: { 201: segmentResponse } } }, async (request, reply) =>
    reply.code(201).send({ segment: await duplicateSegment(db, actorOf(request), request.params.id, request.body) }),
  );

  // A static copy of today's members.
  app.post('/segments/:id/snapshot', { schema: { tags, params: idParams, body: copyBody, response: { 201: segmentResponse } } }, async (request, reply) =>
    reply.code(201).send({ segment: await snapshotSegment(db, actorOf(request), request.params.id, request.body) }),
  );

  app.post(
    '/segments/:id/rebuild',
    { schema: { tags, params: idParams, body: z.strictObject({}), response: { 200: segmentResponse.extend({ jobId: z.string().nullable() }) } } },
    async (request) => rebuildSegment(db, actorOf(request), request.params.id),
  );

  app.get('/segments/:id/members', { schema: { tags, params: idParams, querystring: pageQuery, response: { 200: pageSchema(memberSchema) } } }, async (request) =>
    listMembers(db, actorOf(request), request.params.id, request.query),
  );

  app.get(
    '/segments/:id/history',
    { schema: { tags, params: idParams, querystring: historyQuery, response: { 200: z.object({ items: z.array(z.object({ day: z.string(), size: z.number() })) }) } } },
    async (request) => segmentHistory(db, actorOf(request), request.params.id, request.query),
  );

  // CSV of the members (within the caller's scope) through the contacts export job; the file is
  // fetched from /contacts/exports/{jobId}/download when the job is done.
  app.post(
    '/segments/:id/export',
    { schema: { tags, params: idParams, body: z.strictObject({ columns: z.array(z.string().max(60)).max(100).optional() }), response: { 202: z.object({ jobId: z.string() }) } } },
    async (request, reply) => reply.code(202).send(await exportSegment(db, actorOf(request), request.params.id, request.body.columns, exportDir)),
  );

  // "Which segments is this contact in", for the profile.
  app.get(
    '/contacts/:id/segments',
    { schema: { tags, params: idParams, response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(['dynamic', 'static']), enteredAt: z.date() })) }) } } },
    async (request) => contactSegments(db, actorOf(request), request.params.id),
  );
};
