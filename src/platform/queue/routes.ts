// Background jobs in the console: progress bars and the dead-letter list with its retry.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireAccess } from '../auth/actor.js';
import { actorOf } from '../http/authenticate.js';
import { AppError, notFound } from '../http/errors.js';
import { pageQuery, pageSchema } from '../http/pagination.js';
import { getJob, listJobs, retryJob, type JobView } from './read.js';

const jobSchema = z.object({
  id: z.string(),
  name: z.string(),
  queue: z.string(),
  status: z.enum(['queued', 'running', 'done', 'dead', 'cancelled']),
  attempts: z.number(),
  maxAttempts: z.number(),
  progressDone: z.number(),
  progressTotal: z.number().nullable(),
  result: z.unknown(),
  lastError: z.string().nullable(),
  runAt: z.date(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});

// The payload stays server-side: it is the job's input, not something the console shows.
const toJob = (j: JobView) => ({
  id: j.id,
  name: j.name,
  queue: j.queue,
  status: j.status,
  attempts: j.attempts,
  maxAttempts: j.maxAttempts,
  progressDone: j.progress.done,
  progressTotal: j.progress.total,
  result: j.result,
  lastError: j.lastError,
  runAt: j.runAt,
  createdAt: j.createdAt,
  startedAt: j.startedAt,
  finishedAt: j.finishedAt,
});

const tags = ['jobs'];
const params = z.object({ id: z.uuid() });

export const jobRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get(
    '/jobs',
    { schema: { tags, querystring: pageQuery.extend({ status: jobSchema.shape.status.optional() }), response: { 200: pageSchema(jobSchema) } } },
    async (request) => {
      const actor = actorOf(request);
      requireAccess(actor, 'jobs:read');
      const page = await listJobs(db, actor.workspaceId, request.query);
      return { items: page.items.map(toJob), nextCursor: page.nextCursor };
    },
  );

  app.get('/jobs/:id', { schema: { tags, params, response: { 200: z.object({ job: jobSchema }) } } }, async (request) => {
    const actor = actorOf(request);
    requireAccess(actor, 'jobs:read');
    const job = await getJob(db, actor.workspaceId, request.params.id);
    if (!job) throw notFound('Job');
    return { job: toJob(job) };
  });

  app.post('/jobs/:id/retry', { schema: { tags, params, response: { 200: z.object({ job: jobSchema }) } } }, async (request) => {
    const actor = actorOf(request);
    requireAccess(actor, 'jobs:write');
    const job = await getJob(db, actor.workspaceId, request.params.id);
    if (!job) throw notFound('Job');
    if (!(await retryJob(db, actor.workspaceId, job.id))) throw new AppError('conflict', 'Only a dead job can be retried');
    return { job: toJob((await getJob(db, actor.workspaceId, job.id))!) };
  });
};
