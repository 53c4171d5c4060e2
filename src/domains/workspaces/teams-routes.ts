import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { createTeam, deleteTeam, listTeams, setTeamMembers, updateTeam } from './teams.js';

const tags = ['teams'];
const idParams = z.object({ id: z.uuid() });

export const teamSchema = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  memberIds: z.array(z.string()),
  createdAt: z.date(),
});
const teamResponse = z.object({ team: teamSchema });

const name = z.string().trim().min(1).max(100);
const teamCreateBody = z.strictObject({ name, parentId: z.uuid().nullable().optional() });
const teamPatchBody = z.strictObject({ name: name.optional(), parentId: z.uuid().nullable().optional() });
const teamMembersBody = z.strictObject({ memberIds: z.array(z.uuid()).max(1000) });

export const teamRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  // Every team at once (a workspace has at most MAX_TEAMS), so nextCursor is always null.
  app.get('/teams', { schema: { tags, response: { 200: z.object({ items: z.array(teamSchema), nextCursor: z.null() }) } } }, async (request) =>
    listTeams(db, actorOf(request)),
  );

  app.post('/teams', { schema: { tags, body: teamCreateBody, response: { 201: teamResponse } } }, async (request, reply) =>
    reply.code(201).send({ team: await createTeam(db, actorOf(request), request.body) }),
  );

  app.patch('/teams/:id', { schema: { tags, params: idParams, body: teamPatchBody, response: { 200: teamResponse } } }, async (request) => ({
    team: await updateTeam(db, actorOf(request), request.params.id, request.body),
  }));

  app.delete('/teams/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteTeam(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.put('/teams/:id/members', { schema: { tags, params: idParams, body: teamMembersBody, response: { 200: teamResponse } } }, async (request) => ({
    team: await setTeamMembers(db, actorOf(request), request.params.id, request.body.memberIds),
  }));
};
