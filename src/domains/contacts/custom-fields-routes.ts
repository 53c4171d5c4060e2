import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { createCustomField, deleteCustomField, listCustomFields, orderCustomFields, updateCustomField } from './custom-fields.js';

const tags = ['contact-settings'];
const idParams = z.object({ id: z.uuid() });
const fieldTypes = ['text', 'long_text', 'number', 'money', 'date', 'boolean', 'url', 'single_select', 'multi_select'] as const;

export const customFieldSchema = z.object({
  id: z.string(),
  key: z.string(),
  label: z.string(),
  type: z.enum(fieldTypes),
  options: z.array(z.string()),
  required: z.boolean(),
  position: z.number(),
});
const fieldResponse = z.object({ field: customFieldSchema });
const fieldList = z.object({ items: z.array(customFieldSchema), nextCursor: z.null() });

const label = z.string().trim().min(1).max(100);
const options = z.array(z.string().trim().min(1).max(100)).max(200);
const createBody = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'Lower-case letters, digits and _, starting with a letter (at most 40)'),
  label,
  type: z.enum(fieldTypes),
  options: options.optional(),
  required: z.boolean().optional(),
});
// `force` removes a dropped option from the contacts that hold it instead of refusing.
const patchBody = z.strictObject({ label: label.optional(), options: options.optional(), required: z.boolean().optional(), force: z.boolean().optional() });
const orderBody = z.strictObject({ ids: z.array(z.uuid()).max(1000) });

export const customFieldRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  // Every field at once (a workspace has at most MAX_FIELDS), so nextCursor is always null.
  app.get('/custom-fields', { schema: { tags, response: { 200: fieldList } } }, async (request) => listCustomFields(db, actorOf(request)));

  app.post('/custom-fields', { schema: { tags, body: createBody, response: { 201: fieldResponse } } }, async (request, reply) =>
    reply.code(201).send({ field: await createCustomField(db, actorOf(request), request.body) }),
  );

  app.put('/custom-fields/order', { schema: { tags, body: orderBody, response: { 200: fieldList } } }, async (request) =>
    orderCustomFields(db, actorOf(request), request.body.ids),
  );

  app.patch('/custom-fields/:id', { schema: { tags, params: idParams, body: patchBody, response: { 200: fieldResponse } } }, async (request) => ({
    field: await updateCustomField(db, actorOf(request), request.params.id, request.body),
  }));

  app.delete('/custom-fields/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteCustomField(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });
};
