import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { createTask, deleteTask, listTasks, updateTask } from './tasks.js';

const idParams = z.object({ id: z.uuid() });
const ref = z.object({ id: z.string(), name: z.string() });

const taskSchema = z.object({
  id: z.string(),
  title: z.string(),
  notes: z.string().nullable(),
  dueAt: z.date().nullable(),
  remindAt: z.date().nullable(),
  remindedAt: z.date().nullable(),
  status: z.string(),
  doneAt: z.date().nullable(),
  contactId: z.string(),
  contact: ref,
  assigneeId: z.string(),
  assignee: ref,
  createdBy: z.string().nullable(),
  createdAt: z.date(),
});
const taskResponse = z.object({ task: taskSchema });

const title = z.string().trim().min(1).max(200);
const notes = z.string().trim().max(5000).nullable();
const when = z.coerce.date().nullable();
const taskCreateBody = z.strictObject({ title, notes: notes.optional(), dueAt: when.optional(), remindAt: when.optional(), assigneeId: z.uuid().optional() });
const taskPatchBody = z.strictObject({
  title: title.optional(),
  notes: notes.optional(),
  dueAt: when.optional(),
  remindAt: when.optional(),
  assigneeId: z.uuid().optional(),
  status: z.enum(['open', 'done']).optional(),
});
const taskQuery = pageQuery.extend({
  assignee: z.union([z.literal('me'), z.uuid()]).optional(),
  status: z.enum(['open', 'done']).optional(),
  contactId: z.uuid().optional(),
});

export const taskRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;
  const tags = ['tasks'];

  app.get('/tasks', { schema: { tags, querystring: taskQuery, response: { 200: pageSchema(taskSchema) } } }, async (request) => listTasks(db, actorOf(request), request.query));

  app.post('/contacts/:id/tasks', { schema: { tags, params: idParams, body: taskCreateBody, response: { 201: taskResponse } } }, async (request, reply) =>
    reply.code(201).send({ task: await createTask(db, actorOf(request), request.params.id, request.body) }),
  );

  app.patch('/tasks/:id', { schema: { tags, params: idParams, body: taskPatchBody, response: { 200: taskResponse } } }, async (request) => ({
    task: await updateTask(db, actorOf(request), request.params.id, request.body),
  }));

  app.delete('/tasks/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteTask(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });
};
