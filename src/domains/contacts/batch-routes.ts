import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { batchBody } from './batch-schema.js';
import { runBatch } from './batch.js';

export const batchRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/contacts/batch',
    {
      schema: {
        tags: ['contacts'],
        description: 'Batch work on ids or on every result of a filter. Up to 1,000 contacts it is done at once (200); more runs as a job (202, progress at /jobs/{id}).',
        body: batchBody,
        response: { 200: z.object({ done: z.literal(true), affected: z.number() }), 202: z.object({ jobId: z.string() }) },
      },
    },
    async (request, reply) => {
      const result = await runBatch(app.ctx.db, actorOf(request), request.body);
      return result.done ? { done: true as const, affected: result.affected } : reply.code(202).send({ jobId: result.jobId });
    },
  );
};
