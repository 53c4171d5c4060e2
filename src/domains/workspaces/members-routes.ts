import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { changeMemberRole, deactivateMember, listMembers, reactivateMember } from './members.js';

const tags = ['members'];
const idParams = z.object({ id: z.uuid() });

export const memberSchema = z.object({
  id: z.string(),
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  status: z.enum(['active', 'deactivated']),
  role: z.object({ id: z.string(), key: z.string().nullable(), name: z.string() }),
  teamIds: z.array(z.string()),
  createdAt: z.date(),
});
const memberResponse = z.object({ member: memberSchema });

const memberQuery = pageQuery.extend({ q: z.string().trim().max(100).optional() });
const memberPatchBody = z.strictObject({ roleId: z.uuid() });

export const memberRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get('/members', { schema: { tags, querystring: memberQuery, response: { 200: pageSchema(memberSchema) } } }, async (request) =>
    listMembers(db, actorOf(request), request.query),
  );

  app.patch('/members/:id', { schema: { tags, params: idParams, body: memberPatchBody, response: { 200: memberResponse } } }, async (request) => ({
    member: await changeMemberRole(db, actorOf(request), request.params.id, request.body.roleId),
  }));

  app.post('/members/:id/deactivate', { schema: { tags, params: idParams, response: { 200: memberResponse } } }, async (request) => ({
    member: await deactivateMember(db, actorOf(request), request.params.id),
  }));

  app.post('/members/:id/reactivate', { schema: { tags, params: idParams, response: { 200: memberResponse } } }, async (request) => ({
    member: await reactivateMember(db, actorOf(request), request.params.id),
  }));
};
