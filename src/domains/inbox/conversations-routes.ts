import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { assignConversation, transferConversation } from './assignment/transfer.js';
import { changeStatus, getConversation, listConversations, listParticipants, markConversationRead, setLabels, unreadCounts } from './conversations.js';
import { assigneeBody, conversationResponse, conversationSchema, conversationStatuses, labelsBody, participantSchema, statusBody, transferBody } from './schema.js';

const tags = ['inbox'];
const idParams = z.object({ id: z.uuid() });

const listQuery = pageQuery.extend({
  status: z.enum(conversationStatuses).optional(),
  /** A member id, `me`, or `none` for unassigned. */
  assignee: z.union([z.uuid(), z.enum(['me', 'none'])]).optional(),
  channelId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  contactId: z.uuid().optional(),
  label: z.string().max(50).optional(),
  unread: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});
const counts = z.object({ conversations: z.number(), messages: z.number() });

export const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get('/conversations', { schema: { tags, querystring: listQuery, response: { 200: pageSchema(conversationSchema) } } }, async (request) =>
    listConversations(db, actorOf(request), request.query),
  );

  // The caller's unread conversations and messages: all they see, and those assigned to them.
  app.get('/inbox/unread', { schema: { tags, response: { 200: counts.extend({ mine: counts }) } } }, async (request) => unreadCounts(db, actorOf(request)));

  app.get('/conversations/:id', { schema: { tags, params: idParams, response: { 200: conversationResponse } } }, async (request) => ({
    conversation: await getConversation(db, actorOf(request), request.params.id),
  }));

  app.get(
    '/conversations/:id/participants',
    {
      schema: {
        tags,
        params: idParams,
        querystring: pageQuery.extend({ present: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }),
        description: "A group conversation's people, the latest to join first (`present=true`: those still in it). Empty for a one-to-one conversation.",
        response: { 200: pageSchema(participantSchema) },
      },
    },
    async (request) => listParticipants(db, actorOf(request), request.params.id, request.query),
  );

  app.post('/conversations/:id/status', { schema: { tags, params: idParams, body: statusBody, response: { 200: conversationResponse } } }, async (request) => ({
    conversation: await changeStatus(db, actorOf(request), request.params.id, request.body),
  }));

  app.put('/conversations/:id/assignee', { schema: { tags, params: idParams, body: assigneeBody, response: { 200: conversationResponse } } }, async (request) => ({
    conversation: await assignConversation(db, actorOf(request), request.params.id, request.body.memberId),
  }));

  app.post(
    '/conversations/:id/transfer',
    {
      schema: {
        tags,
        params: idParams,
        body: transferBody,
        description: 'To a team (it waits in that team\'s queue, or goes to `memberId` if given too) or to an agent (the team stays). Either or both.',
        response: { 200: conversationResponse },
      },
    },
    async (request) => ({ conversation: await transferConversation(db, actorOf(request), request.params.id, request.body) }),
  );

  app.put('/conversations/:id/labels', { schema: { tags, params: idParams, body: labelsBody, response: { 200: conversationResponse } } }, async (request) => ({
    conversation: await setLabels(db, actorOf(request), request.params.id, request.body.labels),
  }));

  app.post('/conversations/:id/read', { schema: { tags, params: idParams, response: { 200: conversationResponse } } }, async (request) => ({
    conversation: await markConversationRead(db, actorOf(request), request.params.id),
  }));
};
