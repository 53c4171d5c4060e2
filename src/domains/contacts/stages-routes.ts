import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { createStage, deleteStage, listStages, orderStages, updateStage } from './stages.js';

const tags = ['contact-settings'];
const idParams = z.object({ id: z.uuid() });

export const stageSchema = z.object({ id: z.string(), name: z.string(), color: z.string(), position: z.number(), contactCount: z.number() });
const stageResponse = z.object({ stage: stageSchema });
const stageList = z.object({ items: z.array(stageSchema), nextCursor: z.null() });

const name = z.string().trim().min(1).max(50);
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A colour like #1677ff');
const createBody = z.strictObject({ name, color: color.optional() });
const patchBody = z.strictObject({ name: name.optional(), color: color.optional() });
const orderBody = z.strictObject({ ids: z.array(z.uuid()).max(1000) });

export const stageRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  // Every stage at once (a workspace has at most MAX_STAGES), so nextCursor is always null.
  app.get('/stages', { schema: { tags, response: { 200: stageList } } }, async (request) => listStages(db, actorOf(request)));

  app.post('/stages', { schema: { tags, body: createBody, response: { 201: stageResponse } } }, async (request, reply) =>
    reply.code(201).send({ stage: await createStage(db, actorOf(request), request.body) }),
  );

  app.put('/stages/order', { schema: { tags, body: orderBody, response: { 200: stageList } } }, async (request) => orderStages(db, actorOf(request), request.body.ids));

  app.patch('/stages/:id', { schema: { tags, params: idParams, body: patchBody, response: { 200: stageResponse } } }, async (request) => ({
    stage: await updateStage(db, actorOf(request), request.params.id, request.body),
  }));

  app.delete('/stages/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteStage(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });
};
