import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { setConsent } from './consents.js';
import { createContact, deleteContact, getContact, restoreContact, updateContact } from './contacts.js';
import { countContacts, searchContacts } from './contacts-search.js';
import { contactSortSchema } from './contacts-sort.js';
import { channelType, contactFilterSchema } from './filter.js';
import { removeIdentity } from './identities.js';

const tags = ['contacts'];
const idParams = z.object({ id: z.uuid() });
const genders = ['male', 'female', 'other', 'unknown'] as const;

export const identitySchema = z.object({ id: z.string(), channelType: z.string(), externalId: z.string(), displayName: z.string().nullable() });
export const consentSchema = z.object({ channelType: z.string(), status: z.enum(['opt_in', 'opt_out']), at: z.date(), how: z.string() });

export const contactSchema = z.object({
  id: z.string(),
  name: z.string(),
  avatarUrl: z.string().nullable(),
  gender: z.enum(genders),
  birthday: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  company: z.string().nullable(),
  title: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  stage: z.object({ id: z.string(), name: z.string(), color: z.string() }).nullable(),
  owner: z.object({ id: z.string(), name: z.string() }).nullable(),
  source: z.object({ channel: z.string().nullable(), codeId: z.string().nullable(), referrerContactId: z.string().nullable() }),
  preferredChannel: z.string().nullable(),
  influence: z.number().nullable(),
  custom: z.record(z.string(), z.unknown()),
  tags: z.array(z.object({ id: z.string(), name: z.string(), color: z.string(), groupId: z.string() })),
  identities: z.array(identitySchema).optional(),
  consents: z.array(consentSchema).optional(),
  createdAt: z.date(),
  updatedAt: z.date(),
  lastActiveAt: z.date().nullable(),
  deletedAt: z.date().nullable(),
});
const contactResponse = z.object({ contact: contactSchema });
const contactPage = pageSchema(contactSchema);

const text = z.string().trim().max(200).nullable().optional();
const today = () => new Date().toISOString().slice(0, 10);
const writable = {
  name: z.string().trim().max(200).nullable().optional(),
  avatarUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
  gender: z.enum(genders).nullable().optional(),
  birthday: z.iso.date().refine((d) => d <= today(), 'A birthday cannot be in the future').nullable().optional(),
  phone: z.string().max(50).nullable().optional(),
  email: z.string().max(254).nullable().optional(),
  company: text,
  title: text,
  city: text,
  region: text,
  stageId: z.uuid().nullable().optional(),
  ownerId: z.uuid().nullable().optional(),
  sourceChannel: z.string().trim().min(1).max(50).nullable().optional(),
  referrerContactId: z.uuid().nullable().optional(),
  preferredChannel: channelType.nullable().optional(),
  influence: z.number().int().min(0).max(2_147_483_647).nullable().optional(),
  custom: z.record(z.string(), z.unknown()).optional(),
};
export const identityBody = z.strictObject({
  channelType,
  externalId: z.string().trim().min(1).max(200),
  displayName: z.string().trim().max(200).nullable().optional(),
});
const createBody = z.strictObject({ ...writable, identities: z.array(identityBody).max(50).optional(), tagIds: z.array(z.uuid()).max(100).optional() });
const patchBody = z.strictObject(writable);
const searchBody = z.strictObject({
  filter: contactFilterSchema.optional(),
  sort: contactSortSchema.optional(),
  cursor: z.string().max(500).nullable().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
const countBody = z.strictObject({ filter: contactFilterSchema.optional() });
const quickQuery = pageQuery.extend({ q: z.string().trim().max(200).optional() });
const consentParams = z.object({ id: z.uuid(), channelType });
const consentBody = z.strictObject({ status: z.enum(['opt_in', 'opt_out']), how: z.string().trim().min(1).max(200) });

export const contactRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.post('/contacts', { schema: { tags, body: createBody, response: { 201: contactResponse } } }, async (request, reply) =>
    reply.code(201).send({ contact: await createContact(db, actorOf(request), request.body) }),
  );

  // The quick search box: q over name, phone, e-mail and company, newest first.
  app.get('/contacts', { schema: { tags, querystring: quickQuery, response: { 200: contactPage } } }, async (request) => {
    const { q, cursor, limit } = request.query;
    return searchContacts(db, actorOf(request), { filter: q ? { q } : {}, cursor, limit });
  });

  // A POST because filters are structured; nothing is written.
  app.post('/contacts/search', { schema: { tags, body: searchBody, response: { 200: contactPage } } }, async (request) =>
    searchContacts(db, actorOf(request), request.body),
  );

  app.post('/contacts/count', { schema: { tags, body: countBody, response: { 200: z.object({ count: z.number() }) } } }, async (request) => ({
    count: await countContacts(db, actorOf(request), request.body.filter),
  }));

  app.get('/contacts/:id', { schema: { tags, params: idParams, response: { 200: contactResponse } } }, async (request) => ({
    contact: await getContact(db, actorOf(request), request.params.id),
  }));

  app.patch('/contacts/:id', { schema: { tags, params: idParams, body: patchBody, response: { 200: contactResponse } } }, async (request) => ({
    contact: await updateContact(db, actorOf(request), request.params.id, request.body),
  }));

  app.delete('/contacts/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteContact(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.post('/contacts/:id/restore', { schema: { tags, params: idParams, response: { 200: contactResponse } } }, async (request) => ({
    contact: await restoreContact(db, actorOf(request), request.params.id),
  }));

  // POST /contacts/:id/identities lives with the merges domain (merges/routes.ts): an identity another
  // contact holds follows the workspace's collision rule, which may merge that contact into this one.

  app.delete('/contacts/:id/identities/:identityId', { schema: { tags, params: z.object({ id: z.uuid(), identityId: z.uuid() }) } }, async (request, reply) => {
    await removeIdentity(db, actorOf(request), request.params.id, request.params.identityId);
    return reply.code(204).send();
  });

  app.put(
    '/contacts/:id/consents/:channelType',
    { schema: { tags, params: consentParams, body: consentBody, response: { 200: z.object({ consent: consentSchema }) } } },
    async (request) => ({ consent: await setConsent(db, actorOf(request), request.params.id, request.params.channelType, request.body) }),
  );
};
