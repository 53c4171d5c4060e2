import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { createTagRule, deleteTagRule, getTagRule, listRuleRuns, listTagRules, setTagRuleEnabled, startBackfill, updateTagRule } from './rules.js';
import { ruleBody, rulePatch, ruleSchema, runSchema, type RuleInput, type RulePatch } from './schema.js';

const tags = ['tag-rules'];
const idParams = z.object({ id: z.uuid() });
/** A rule, and the job building a condition rule's members when it runs in the background. */
const ruleResponse = z.object({ rule: ruleSchema, jobId: z.string().nullable() });

export const tagRuleRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get('/tag-rules', { schema: { tags, response: { 200: z.object({ items: z.array(ruleSchema), nextCursor: z.null() }) } } }, async (request) =>
    listTagRules(db, actorOf(request)),
  );

  app.post('/tag-rules', { schema: { tags, body: ruleBody, response: { 201: ruleResponse } } }, async (request, reply) =>
    reply.code(201).send(await createTagRule(db, actorOf(request), request.body as RuleInput)),
  );

  app.get('/tag-rules/:id', { schema: { tags, params: idParams, response: { 200: z.object({ rule: ruleSchema }) } } }, async (request) => ({
    rule: await getTagRule(db, actorOf(request), request.params.id),
  }));

  app.patch('/tag-rules/:id', { schema: { tags, params: idParams, body: rulePatch, response: { 200: ruleResponse } } }, async (request) =>
    updateTagRule(db, actorOf(request), request.params.id, request.body as RulePatch),
  );

  app.delete('/tag-rules/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteTagRule(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  // Enabling a rule the loop guard stopped clears the stop.
  app.post('/tag-rules/:id/enable', { schema: { tags, params: idParams, response: { 200: ruleResponse } } }, async (request) =>
    setTagRuleEnabled(db, actorOf(request), request.params.id, true),
  );

  app.post('/tag-rules/:id/disable', { schema: { tags, params: idParams, response: { 200: ruleResponse } } }, async (request) =>
    setTagRuleEnabled(db, actorOf(request), request.params.id, false),
  );

  // "Apply to existing contacts": a job (GET /jobs/{jobId} shows its progress) and a run in the log.
  app.post('/tag-rules/:id/backfill', { schema: { tags, params: idParams, response: { 202: z.object({ jobId: z.string(), runId: z.string() }) } } }, async (request, reply) =>
    reply.code(202).send(await startBackfill(db, actorOf(request), request.params.id)),
  );

  // What the rule did, newest first: each run, the chain of rules that led to it, and loop stops.
  app.get('/tag-rules/:id/runs', { schema: { tags, params: idParams, querystring: pageQuery, response: { 200: pageSchema(runSchema) } } }, async (request) =>
    listRuleRuns(db, actorOf(request), request.params.id, request.query),
  );
};
