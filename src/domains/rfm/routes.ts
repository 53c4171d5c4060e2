import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { pageSchema } from '../../platform/http/pagination.js';
import { getContactRfm, getDistribution, listCustomers } from './read.js';
import { startRfmRecompute } from './recompute-job.js';
import { createRule, deleteRule, listRules, updateRule } from './rules.js';
import { contactRfmSchema, customerSchema, customersQuery, distributionSchema, ruleBody, rulePatch, ruleSchema, settingsPatch, settingsSchema } from './schema.js';
import { getRfmSettings } from './settings.js';
import { updateRfmSettings } from './settings-update.js';

const tags = ['rfm'];
const idParams = z.object({ id: z.uuid() });
const ruleResponse = z.object({ rule: ruleSchema });

export const rfmRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get('/rfm/settings', { schema: { tags, response: { 200: z.object({ settings: settingsSchema }) } } }, async (request) => ({
    settings: await getRfmSettings(db, actorOf(request)),
  }));

  // A change that affects scores queues a full recompute: its job id, else null.
  app.patch(
    '/rfm/settings',
    { schema: { tags, body: settingsPatch, response: { 200: z.object({ settings: settingsSchema, jobId: z.string().nullable() }) } } },
    async (request) => updateRfmSettings(db, actorOf(request), request.body),
  );

  app.post('/rfm/recompute', { schema: { tags, response: { 202: z.object({ jobId: z.string() }) } } }, async (request, reply) =>
    reply.code(202).send(await startRfmRecompute(db, actorOf(request))),
  );

  app.get('/rfm/distribution', { schema: { tags, response: { 200: distributionSchema } } }, async (request) => getDistribution(db, actorOf(request)));

  // Customers by layer or score, largest monetary first.
  app.get('/rfm/customers', { schema: { tags, querystring: customersQuery, response: { 200: pageSchema(customerSchema) } } }, async (request) =>
    listCustomers(db, actorOf(request), request.query),
  );

  app.get('/contacts/:id/rfm', { schema: { tags, params: idParams, response: { 200: contactRfmSchema } } }, async (request) =>
    getContactRfm(db, actorOf(request), request.params.id),
  );

  app.get('/rfm/rules', { schema: { tags, response: { 200: z.object({ items: z.array(ruleSchema), nextCursor: z.null() }) } } }, async (request) =>
    listRules(db, actorOf(request)),
  );

  app.post('/rfm/rules', { schema: { tags, body: ruleBody, response: { 201: ruleResponse } } }, async (request, reply) =>
    reply.code(201).send({ rule: await createRule(db, actorOf(request), request.body) }),
  );

  app.patch('/rfm/rules/:id', { schema: { tags, params: idParams, body: rulePatch, response: { 200: ruleResponse } } }, async (request) => ({
    rule: await updateRule(db, actorOf(request), request.params.id, request.body),
  }));

  app.delete('/rfm/rules/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteRule(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });
};
