import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { publicUrl } from '../../config.js';
import { userSchema } from '../../platform/auth/schema.js';
import { actorOf } from '../../platform/http/authenticate.js';
import { setSessionCookies } from '../../platform/http/cookies.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { acceptInvitation, lookupInvitation } from './invitation-accept.js';
import { createInvitation, listInvitations, revokeInvitation } from './invitations.js';

const tags = ['invitations'];
const idParams = z.object({ id: z.uuid() });
const token = z.string().min(1).max(200);

export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.object({ id: z.string(), name: z.string() }),
  teamIds: z.array(z.string()),
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  expiresAt: z.date(),
  createdAt: z.date(),
  invitedBy: z.object({ id: z.string(), name: z.string() }),
});

const invitationCreateBody = z.strictObject({
  email: z.email().max(254),
  roleId: z.uuid(),
  teamIds: z.array(z.uuid()).max(100).optional(),
});

const acceptBody = z.strictObject({
  token,
  name: z.string().trim().min(1).max(100).optional(),
  password: z.string().min(1).max(200),
});

export const invitationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.ctx;

  app.get('/invitations', { schema: { tags, querystring: pageQuery, response: { 200: pageSchema(invitationSchema) } } }, async (request) =>
    listInvitations(db, actorOf(request), request.query),
  );

  app.post(
    '/invitations',
    { schema: { tags, body: invitationCreateBody, response: { 201: z.object({ invitation: invitationSchema, url: z.string() }) } } },
    async (request, reply) => {
      const { invitation, token } = await createInvitation(db, actorOf(request), request.body);
      return reply.code(201).send({ invitation, url: `${publicUrl(config)}/invite/${token}` });
    },
  );

  app.delete('/invitations/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await revokeInvitation(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.get(
    '/invitations/lookup',
    {
      config: { access: 'public' },
      schema: {
        tags,
        querystring: z.object({ token }),
        response: { 200: z.object({ workspaceName: z.string(), email: z.string(), userExists: z.boolean() }) },
      },
    },
    async (request) => lookupInvitation(db, request.query.token),
  );

  app.post(
    '/invitations/accept',
    { config: { access: 'public' }, schema: { tags, body: acceptBody, response: { 200: z.object({ user: userSchema }) } } },
    async (request, reply) => {
      const { user, session } = await acceptInvitation(db, config, { ...request.body, clientIp: request.ip });
      setSessionCookies(reply, config, session);
      return { user };
    },
  );
};
