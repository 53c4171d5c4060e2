import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { switchWorkspace } from '../../platform/auth/sessions.js';
import { actorOf, sessionOf } from '../../platform/http/authenticate.js';
import { workspaceCreateBody, workspacePatchBody, workspaceSchema } from './schema.js';
import { createWorkspace, updateWorkspace } from './workspaces.js';

const tags = ['workspaces'];

export const workspaceRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.post(
    '/workspaces',
    { config: { access: 'user' }, schema: { tags, body: workspaceCreateBody, response: { 201: z.object({ workspace: workspaceSchema }) } } },
    async (request, reply) => {
      const session = sessionOf(request);
      const { workspace } = await createWorkspace(db, session.userId, request.body.name);
      await switchWorkspace(db, session, workspace.id);
      return reply.code(201).send({ workspace });
    },
  );

  app.patch('/workspace', { schema: { tags, body: workspacePatchBody, response: { 200: z.object({ workspace: workspaceSchema }) } } }, async (request) => ({
    workspace: await updateWorkspace(db, actorOf(request), request.body),
  }));
};
