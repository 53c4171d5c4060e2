// HTTP of points: a contact's balance and ledger (contacts:read).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { contactPoints } from './service.js';

const entry = z.object({ id: z.uuid(), delta: z.number(), reason: z.string(), ref: z.string().nullable(), reversalOf: z.uuid().nullable(), createdAt: z.date() });

export const pointsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;
  app.get(
    '/contacts/:id/points',
    { schema: { tags: ['points'], params: z.object({ id: z.uuid() }), response: { 200: z.object({ balance: z.number(), entries: z.array(entry) }) } } },
    async (request) => contactPoints(db, actorOf(request), request.params.id),
  );
};
