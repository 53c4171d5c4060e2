import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/authenticate.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { listAudit } from './audit.js';

const entrySchema = z.object({
  id: z.string(),
  at: z.date(),
  actor: z.object({ memberId: z.string().nullable(), name: z.string().nullable(), apiKeyId: z.string().nullable() }).nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  requestId: z.string().nullable(),
});

const auditQuery = pageQuery.extend({
  action: z.string().max(100).optional(),
  entityType: z.string().max(100).optional(),
  actorMemberId: z.uuid().optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/audit-log', { schema: { tags: ['audit'], querystring: auditQuery, response: { 200: pageSchema(entrySchema) } } }, async (request) =>
    listAudit(app.ctx.db, actorOf(request), request.query),
  );
};
