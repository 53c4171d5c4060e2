// HTTP of group codes under /api/v1/group-codes: CRUD of codes and their groups, the QR code PNG
// of the short link, per-group daily figures.
import QRCode from 'qrcode';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { publicUrl } from '../../config.js';
import { actorOf } from '../../platform/http/authenticate.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { codeBody, codePatch, codeSchema, groupBody, groupPatch, statsQuery, statsSchema } from './schema.js';
import { addGroup, codeStats, createCode, deleteCode, getCode, listCodes, removeGroup, updateCode, updateGroup, type GroupCode } from './service.js';

const tags = ['group-codes'];
const idParams = z.object({ id: z.uuid() });
const groupParams = idParams.extend({ groupId: z.uuid() });
const qrQuery = z.object({ size: z.enum(['256', '512', '1024']).default('256') });
const one = z.object({ groupCode: codeSchema });

export const groupCodeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.ctx;
  const linkOf = (slug: string) => `${publicUrl(config)}/g/${slug}`;
  const shaped = ({ groups, ...code }: GroupCode) => ({
    ...code,
    url: linkOf(code.slug),
    groups: groups.map(({ hasQrImage, ...g }) => ({ ...g, qrImageUrl: hasQrImage ? `${linkOf(code.slug)}/qr/${g.id}` : null })),
  });

  app.get('/group-codes', { schema: { tags, querystring: pageQuery, response: { 200: pageSchema(codeSchema) } } }, async (request) => {
    const page = await listCodes(db, actorOf(request), request.query);
    return { ...page, items: page.items.map(shaped) };
  });
  app.post('/group-codes', { schema: { tags, body: codeBody, response: { 201: one } } }, async (request, reply) =>
    reply.code(201).send({ groupCode: shaped(await createCode(db, actorOf(request), request.body)) }),
  );
  app.get('/group-codes/:id', { schema: { tags, params: idParams, response: { 200: one } } }, async (request) => ({ groupCode: shaped(await getCode(db, actorOf(request), request.params.id)) }));
  app.patch('/group-codes/:id', { schema: { tags, params: idParams, body: codePatch, response: { 200: one } } }, async (request) => ({
    groupCode: shaped(await updateCode(db, actorOf(request), request.params.id, request.body)),
  }));
  app.delete('/group-codes/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteCode(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.post('/group-codes/:id/groups', { schema: { tags, params: idParams, body: groupBody, response: { 201: one } } }, async (request, reply) =>
    reply.code(201).send({ groupCode: shaped(await addGroup(db, actorOf(request), request.params.id, request.body)) }),
  );
  app.patch('/group-codes/:id/groups/:groupId', { schema: { tags, params: groupParams, body: groupPatch, response: { 200: one } } }, async (request) => ({
    groupCode: shaped(await updateGroup(db, actorOf(request), request.params.id, request.params.groupId, request.body)),
  }));
  app.delete('/group-codes/:id/groups/:groupId', { schema: { tags, params: groupParams } }, async (request, reply) => {
    await removeGroup(db, actorOf(request), request.params.id, request.params.groupId);
    return reply.code(204).send();
  });

  // The QR code of PUBLIC_URL/g/<slug>, as a square PNG of `size` pixels.
  app.get('/group-codes/:id/qr.png', { schema: { tags, params: idParams, querystring: qrQuery, produces: ['image/png'] } }, async (request, reply) => {
    const { slug } = await getCode(db, actorOf(request), request.params.id);
    const png = await QRCode.toBuffer(linkOf(slug), { type: 'png', width: Number(request.query.size), margin: 4, errorCorrectionLevel: 'M' });
    return reply.type('image/png').header('cache-control', 'private, max-age=300').header('content-disposition', `inline; filename="group-code-${slug}-${request.query.size}.png"`).send(png);
  });

  app.get('/group-codes/:id/stats', { schema: { tags, params: idParams, querystring: statsQuery, response: { 200: statsSchema } } }, async (request) =>
    codeStats(db, actorOf(request), request.params.id, request.query),
  );
};
