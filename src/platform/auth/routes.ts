import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, sessionOf } from '../http/authenticate.js';
import { clearSessionCookies, setSessionCookies } from '../http/cookies.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import { describeMe, toUser, updateProfile } from './me.js';
import {
  apiKeyCreateBody,
  apiKeySchema,
  loginBody,
  meSchema,
  passwordChangeBody,
  profilePatchBody,
  switchWorkspaceBody,
  userSchema,
} from './schema.js';
import { changePassword, login, logout, switchWorkspace } from './sessions.js';
import { findUserById } from './store.js';
import type { Permission } from './permissions.js';

const auth = { tags: ['auth'] };
const keys = { tags: ['api-keys'] };
const idParams = z.object({ id: z.uuid() });

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.ctx;

  app.post('/auth/login', { config: { access: 'public' }, schema: { ...auth, body: loginBody, response: { 200: z.object({ user: userSchema }) } } }, async (request, reply) => {
    const session = await login(db, config, { ...request.body, clientIp: request.ip });
    setSessionCookies(reply, config, session);
    const user = await findUserById(db, session.userId);
    return { user: toUser(user!) };
  });

  app.post('/auth/logout', { config: { access: 'user' }, schema: auth }, async (request, reply) => {
    await logout(db, sessionOf(request));
    clearSessionCookies(reply);
    return reply.code(204).send();
  });

  app.get('/auth/me', { config: { access: 'user' }, schema: { ...auth, response: { 200: meSchema } } }, async (request) =>
    describeMe(db, sessionOf(request)),
  );

  app.patch('/auth/me', { config: { access: 'user' }, schema: { ...auth, body: profilePatchBody, response: { 200: z.object({ user: userSchema }) } } }, async (request) => ({
    user: await updateProfile(db, sessionOf(request).userId, request.body),
  }));

  app.post('/auth/password', { config: { access: 'user' }, schema: { ...auth, body: passwordChangeBody } }, async (request, reply) => {
    await changePassword(db, config, sessionOf(request).userId, request.body.currentPassword, request.body.newPassword);
    clearSessionCookies(reply);
    return reply.code(204).send();
  });

  app.post('/auth/switch-workspace', { config: { access: 'user' }, schema: { ...auth, body: switchWorkspaceBody } }, async (request, reply) => {
    await switchWorkspace(db, sessionOf(request), request.body.workspaceId);
    return reply.code(204).send();
  });

  app.get('/api-keys', { schema: { ...keys, querystring: pageQuery, response: { 200: pageSchema(apiKeySchema) } } }, async (request) =>
    listApiKeys(db, actorOf(request), request.query),
  );

  app.post(
    '/api-keys',
    { schema: { ...keys, body: apiKeyCreateBody, response: { 201: z.object({ apiKey: apiKeySchema, secret: z.string() }) } } },
    async (request, reply) => {
      const created = await createApiKey(db, actorOf(request), { ...request.body, scopes: request.body.scopes as Permission[] });
      return reply.code(201).send(created);
    },
  );

  app.delete('/api-keys/:id', { schema: { ...keys, params: idParams } }, async (request, reply) => {
    await revokeApiKey(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });
};
