import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dataScopes, type Permission } from '../../platform/auth/permissions.js';
import { permissionSchema } from '../../platform/auth/schema.js';
import { actorOf } from '../../platform/http/authenticate.js';
import { createRole, deleteRole, listRoles, permissionCatalog, updateRole } from './roles.js';

const tags = ['roles'];
const idParams = z.object({ id: z.uuid() });

export const roleSchema = z.object({
  id: z.string(),
  key: z.string().nullable(),
  name: z.string(),
  permissions: z.array(z.string()),
  scope: z.enum(dataScopes),
  memberCount: z.number().int(),
  builtin: z.boolean(),
});
const roleResponse = z.object({ role: roleSchema });

const catalogSchema = z.object({
  groups: z.array(z.object({ group: z.string(), permissions: z.array(z.string()) })),
  scopes: z.array(z.enum(dataScopes)),
});

const name = z.string().trim().min(1).max(100);
const permissions = z.array(permissionSchema).max(100);
const roleCreateBody = z.strictObject({ name, permissions, scope: z.enum(dataScopes) });
const rolePatchBody = z.strictObject({ name: name.optional(), permissions: permissions.optional(), scope: z.enum(dataScopes).optional() });

const asPermissions = (p: string[] | undefined) => p as Permission[] | undefined;

export const roleRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  // The catalog is the same for everyone (and public in the OpenAPI document), so any member may read it.
  app.get('/permissions', { schema: { tags, response: { 200: catalogSchema } } }, async () => permissionCatalog());

  // A workspace has few roles (creation is capped), so they come in one page; nextCursor is always null.
  app.get('/roles', { schema: { tags, response: { 200: z.object({ items: z.array(roleSchema), nextCursor: z.null() }) } } }, async (request) =>
    listRoles(db, actorOf(request)),
  );

  app.post('/roles', { schema: { tags, body: roleCreateBody, response: { 201: roleResponse } } }, async (request, reply) => {
    const role = await createRole(db, actorOf(request), { ...request.body, permissions: request.body.permissions as Permission[] });
    return reply.code(201).send({ role });
  });

  app.patch('/roles/:id', { schema: { tags, params: idParams, body: rolePatchBody, response: { 200: roleResponse } } }, async (request) => ({
    role: await updateRole(db, actorOf(request), request.params.id, { ...request.body, permissions: asPermissions(request.body.permissions) }),
  }));

  app.delete('/roles/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteRole(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });
};
