// HTTP of automatic replies, under /api/v1/inbox: keyword rules, business hours, channel settings
// (welcome message, survey switch), canned responses and the CSAT report.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { pageSchema } from '../../platform/http/pagination.js';
import { createCanned, deleteCanned, listCanned, renderCanned, updateCanned } from './canned.js';
import { csatReport } from './csat.js';
import {
  cannedBody,
  cannedPatch,
  cannedQuery,
  cannedSchema,
  channelSettingsBody,
  channelSettingsSchema,
  hoursBody,
  hoursSchema,
  reportQuery,
  reportSchema,
  ruleBody,
  rulePatch,
  ruleSchema,
} from './schema.js';
import { createRule, deleteHours, deleteRule, listChannelSettings, listHours, listRules, setChannelSettings, setHours, updateRule } from './settings.js';

const tags = ['inbox-automation'];
const idParams = z.object({ id: z.uuid() });
const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.null() });

export const autoreplyRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get('/inbox/keyword-rules', { schema: { tags, querystring: z.object({ channelId: z.uuid().optional(), cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(200).default(100) }), response: { 200: pageSchema(ruleSchema) } } }, async (request) =>
    listRules(db, actorOf(request), request.query),
  );
  app.post('/inbox/keyword-rules', { schema: { tags, body: ruleBody, response: { 201: z.object({ rule: ruleSchema }) } } }, async (request, reply) =>
    reply.code(201).send({ rule: await createRule(db, actorOf(request), request.body) }),
  );
  app.patch('/inbox/keyword-rules/:id', { schema: { tags, params: idParams, body: rulePatch, response: { 200: z.object({ rule: ruleSchema }) } } }, async (request) => ({
    rule: await updateRule(db, actorOf(request), request.params.id, request.body),
  }));
  app.delete('/inbox/keyword-rules/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteRule(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.get('/inbox/business-hours', { schema: { tags, response: { 200: listOf(hoursSchema) } } }, async (request) => listHours(db, actorOf(request)));
  // By team id.
  app.put('/inbox/business-hours/:id', { schema: { tags, params: idParams, body: hoursBody, response: { 200: z.object({ hours: hoursSchema }) } } }, async (request) => ({
    hours: await setHours(db, actorOf(request), request.params.id, request.body),
  }));
  app.delete('/inbox/business-hours/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteHours(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.get('/inbox/channel-settings', { schema: { tags, response: { 200: listOf(channelSettingsSchema) } } }, async (request) => listChannelSettings(db, actorOf(request)));
  // By channel id.
  app.put('/inbox/channel-settings/:id', { schema: { tags, params: idParams, body: channelSettingsBody, response: { 200: z.object({ settings: channelSettingsSchema }) } } }, async (request) => ({
    settings: await setChannelSettings(db, actorOf(request), request.params.id, request.body),
  }));

  app.get('/inbox/canned-responses', { schema: { tags, querystring: cannedQuery, response: { 200: pageSchema(cannedSchema) } } }, async (request) => listCanned(db, actorOf(request), request.query));
  app.post('/inbox/canned-responses', { schema: { tags, body: cannedBody, response: { 201: z.object({ cannedResponse: cannedSchema }) } } }, async (request, reply) =>
    reply.code(201).send({ cannedResponse: await createCanned(db, actorOf(request), request.body) }),
  );
  app.patch('/inbox/canned-responses/:id', { schema: { tags, params: idParams, body: cannedPatch, response: { 200: z.object({ cannedResponse: cannedSchema }) } } }, async (request) => ({
    cannedResponse: await updateCanned(db, actorOf(request), request.params.id, request.body),
  }));
  app.delete('/inbox/canned-responses/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteCanned(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });
  // The text to put in the composer: the response with the conversation's values (plain text).
  app.post('/inbox/canned-responses/:id/render', { schema: { tags, params: idParams, body: z.object({ conversationId: z.uuid() }), response: { 200: z.object({ text: z.string() }) } } }, async (request) =>
    renderCanned(db, actorOf(request), request.params.id, request.body.conversationId),
  );

  app.get('/inbox/csat/report', { schema: { tags, querystring: reportQuery, response: { 200: reportSchema } } }, async (request) => csatReport(db, actorOf(request), request.query));
};
