// HTTP of live codes under /api/v1/live-codes: CRUD, the QR code PNG of the short link, per-day stats (JSON and CSV).
import { stringify } from 'csv-stringify/sync';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { publicUrl } from '../../config.js';
import { actorOf } from '../../platform/http/authenticate.js';
import { keyringOf } from '../channels/index.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { codeBody, codePatch, codeSchema, figureNames, qrQuery, statsQuery, statsSchema } from './schema.js';
import { codeStats, createCode, deleteCode, getCode, listCodes, qrTargetOf, registerCode, updateCode, type LiveCode } from './service.js';

const tags = ['live-codes'];
const idParams = z.object({ id: z.uuid() });

export const liveCodeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.ctx;
  const keyring = keyringOf(config);
  const linkOf = (slug: string) => `${publicUrl(config)}/c/${slug}`;
  const shaped = (code: LiveCode) => ({ ...code, url: linkOf(code.slug) });

  app.get('/live-codes', { schema: { tags, querystring: pageQuery, response: { 200: pageSchema(codeSchema) } } }, async (request) => {
    const page = await listCodes(db, actorOf(request), request.query);
    return { ...page, items: page.items.map(shaped) };
  });
  app.post('/live-codes', { schema: { tags, body: codeBody, response: { 201: z.object({ liveCode: codeSchema }) } } }, async (request, reply) =>
    reply.code(201).send({ liveCode: shaped(await createCode(db, actorOf(request), request.body)) }),
  );
  app.get('/live-codes/:id', { schema: { tags, params: idParams, response: { 200: z.object({ liveCode: codeSchema }) } } }, async (request) => ({
    liveCode: shaped(await getCode(db, actorOf(request), request.params.id)),
  }));
  app.patch('/live-codes/:id', { schema: { tags, params: idParams, body: codePatch, response: { 200: z.object({ liveCode: codeSchema }) } } }, async (request) => ({
    liveCode: shaped(await updateCode(db, actorOf(request), request.params.id, request.body)),
  }));
  app.delete('/live-codes/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteCode(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  // The code's QR code as a square PNG of `size` pixels (error correction M, quiet zone of 4
  // modules): PUBLIC_URL/c/<slug>, or the provider's content once registered (an official account's qrcode url).
  app.get('/live-codes/:id/qr.png', { schema: { tags, params: idParams, querystring: qrQuery, produces: ['image/png'] } }, async (request, reply) => {
    const { slug, providerContent } = await qrTargetOf(db, actorOf(request), request.params.id);
    const png = await QRCode.toBuffer(providerContent ?? linkOf(slug), { type: 'png', width: Number(request.query.size), margin: 4, errorCorrectionLevel: 'M' });
    return reply.type('image/png').header('cache-control', 'private, max-age=300').header('content-disposition', `inline; filename="live-code-${slug}-${request.query.size}.png"`).send(png);
  });

  // Registers the code with its channel's provider: WeCom 联系我 (state = slug) or an official account's parametric QR (scene = slug).
  app.post('/live-codes/:id/register', { schema: { tags, params: idParams, response: { 200: z.object({ liveCode: codeSchema }) } } }, async (request) => ({
    liveCode: shaped(await registerCode(db, keyring, actorOf(request), request.params.id, { allowPrivateTargets: config.CHANNEL_ALLOW_PRIVATE_TARGETS })),
  }));

  app.get('/live-codes/:id/stats', { schema: { tags, params: idParams, querystring: statsQuery, response: { 200: statsSchema } } }, async (request) =>
    codeStats(db, actorOf(request), request.params.id, request.query),
  );
  // The same figures as CSV, one row per day (UTF-8 with a BOM, so spreadsheet programs read the Chinese names right).
  app.get('/live-codes/:id/stats.csv', { schema: { tags, params: idParams, querystring: statsQuery, produces: ['text/csv'] } }, async (request, reply) => {
    const stats = await codeStats(db, actorOf(request), request.params.id, request.query);
    const csv = stringify(
      stats.days.map((d) => [d.day, ...figureNames.map((k) => d[k])]),
      { header: true, columns: ['day', ...figureNames] },
    );
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="live-code-${request.params.id}-${stats.from}-${stats.to}.csv"`)
      .send(`\uFEFF${csv}`);
  });
};
