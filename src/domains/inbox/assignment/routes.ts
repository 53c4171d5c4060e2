// Presence and team assignment settings over HTTP.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../../platform/http/authenticate.js';
import { pageQuery, pageSchema } from '../../../platform/http/pagination.js';
import { listPresence, setMyPresence } from './presence.js';
import { getTeamAssignment, updateTeamAssignment } from './teams.js';

const tags = ['inbox'];
const presenceStatuses = ['online', 'away', 'offline'] as const;

const agentSchema = z.object({
  memberId: z.string(),
  /** As teammates see it: the chosen status while a console socket is connected, else offline. */
  status: z.enum(presenceStatuses),
  /** What the member chose. */
  chosenStatus: z.enum(presenceStatuses),
  lastSeenAt: z.date().nullable(),
  openConversations: z.number(),
});

const teamAssignment = z.object({
  teamId: z.string(),
  autoAssign: z.boolean(),
  mode: z.enum(['round_robin', 'least_busy']),
  agentCap: z.number().nullable(),
  queue: z.object({ waiting: z.number(), oldestWaitingSince: z.date().nullable() }),
  agents: z.array(agentSchema.extend({ atCap: z.boolean() })),
});

const settingsBody = z.strictObject({
  autoAssign: z.boolean(),
  mode: z.enum(['round_robin', 'least_busy']),
  /** Open conversations per agent before automatic assignment passes them over; null for no cap. */
  agentCap: z.number().int().min(1).max(10_000).nullable(),
});
const teamParams = z.object({ teamId: z.uuid() });

export const assignmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get(
    '/inbox/presence',
    { schema: { tags, querystring: pageQuery.extend({ teamId: z.uuid().optional() }), description: 'Members with their presence and open conversations, by member id.', response: { 200: pageSchema(agentSchema) } } },
    async (request) => listPresence(db, actorOf(request), request.query),
  );

  app.put(
    '/inbox/presence',
    { schema: { tags, body: z.strictObject({ status: z.enum(presenceStatuses) }), description: 'Sets the caller\'s own presence; only online agents get automatic assignments.', response: { 200: z.object({ presence: agentSchema }) } } },
    async (request) => ({ presence: await setMyPresence(db, actorOf(request), request.body.status) }),
  );

  app.get('/inbox/teams/:teamId/assignment', { schema: { tags, params: teamParams, response: { 200: z.object({ assignment: teamAssignment }) } } }, async (request) => ({
    assignment: await getTeamAssignment(db, actorOf(request), request.params.teamId),
  }));

  app.put(
    '/inbox/teams/:teamId/assignment',
    { schema: { tags, params: teamParams, body: settingsBody, description: 'How the team hands out the conversations of its channels (needs inbox:manage).', response: { 200: z.object({ assignment: teamAssignment }) } } },
    async (request) => ({ assignment: await updateTeamAssignment(db, actorOf(request), request.params.teamId, request.body) }),
  );
};
