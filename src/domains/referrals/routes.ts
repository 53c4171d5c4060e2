// HTTP of referral codes and the invite tree under /api/v1: programmes and their codes (with the
// QR code of the short link and invite statistics), a contact's upline, the downline of a contact
// or member, and the invite report of a campaign, a programme or the workspace.
import QRCode from 'qrcode';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { codeLink, createCode, createMemberCodes, createProgram, getCode, getProgram, listCodes, listPrograms, updateProgram } from './codes.js';
import { inviteReport } from './report.js';
import { codeBody, codeSchema, downlineQuery, downlineSchema, programBody, programPatch, programSchema, qrQuery, reportQuery, reportSchema, uplineSchema } from './schema.js';
import { downline, upline } from './tree-service.js';

const tags = ['referrals'];
const idParams = z.object({ id: z.uuid() });
const programResponse = z.object({ program: programSchema });
const codeResponse = z.object({ code: codeSchema });

export const referralRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.ctx;

  app.get('/referrals/programs', { schema: { tags, querystring: pageQuery, response: { 200: pageSchema(programSchema) } } }, async (request) => listPrograms(db, actorOf(request), request.query));
  app.post('/referrals/programs', { schema: { tags, body: programBody, response: { 201: programResponse } } }, async (request, reply) =>
    reply.code(201).send({ program: await createProgram(db, actorOf(request), request.body) }),
  );
  app.get('/referrals/programs/:id', { schema: { tags, params: idParams, response: { 200: programResponse } } }, async (request) => ({ program: await getProgram(db, actorOf(request), request.params.id) }));
  app.patch('/referrals/programs/:id', { schema: { tags, params: idParams, body: programPatch, response: { 200: programResponse } } }, async (request) => ({
    program: await updateProgram(db, actorOf(request), request.params.id, request.body),
  }));

  app.get('/referrals/programs/:id/codes', { schema: { tags, params: idParams, querystring: pageQuery, response: { 200: pageSchema(codeSchema) } } }, async (request) =>
    listCodes(db, config, actorOf(request), request.params.id, request.query),
  );
  app.post('/referrals/programs/:id/codes', { schema: { tags, params: idParams, body: codeBody, description: 'The personal code of a contact or member (201 new, 200 the one they have).', response: { 200: codeResponse, 201: codeResponse } } }, async (request, reply) => {
    const { code, created } = await createCode(db, config, actorOf(request), request.params.id, request.body);
    return reply.code(created ? 201 : 200).send({ code });
  });
  app.post('/referrals/programs/:id/member-codes', { schema: { tags, params: idParams, description: '全员营销: a code for every active member who has none in the programme.', response: { 200: z.object({ created: z.number() }) } } }, async (request) => ({
    created: await createMemberCodes(db, actorOf(request), request.params.id),
  }));
  app.get('/referrals/codes/:id', { schema: { tags, params: idParams, response: { 200: codeResponse } } }, async (request) => ({ code: await getCode(db, config, actorOf(request), request.params.id) }));
  // The QR code of PUBLIC_URL/r/<slug>, as a square PNG of `size` pixels (error correction M, quiet zone of 4 modules), as live codes make theirs.
  app.get('/referrals/codes/:id/qr.png', { schema: { tags, params: idParams, querystring: qrQuery, produces: ['image/png'] } }, async (request, reply) => {
    const { slug } = await getCode(db, config, actorOf(request), request.params.id);
    const png = await QRCode.toBuffer(codeLink(config, slug), { type: 'png', width: Number(request.query.size), margin: 4, errorCorrectionLevel: 'M' });
    return reply.type('image/png').header('cache-control', 'private, max-age=300').header('content-disposition', `inline; filename="referral-${slug}-${request.query.size}.png"`).send(png);
  });

  app.get('/invite-tree/contacts/:id/upline', { schema: { tags, params: idParams, description: 'Who brought the contact, up to the root, and the contact’s reach.', response: { 200: uplineSchema } } }, async (request) =>
    upline(db, actorOf(request), request.params.id),
  );
  app.get('/invite-tree/contacts/:id/downline', { schema: { tags, params: idParams, querystring: downlineQuery, description: 'Everyone below the contact, level by level.', response: { 200: downlineSchema } } }, async (request) =>
    downline(db, actorOf(request), { contactId: request.params.id }, request.query),
  );
  app.get('/invite-tree/members/:id/downline', { schema: { tags, params: idParams, querystring: downlineQuery, description: 'Everyone below the member (their codes’ invitees and on).', response: { 200: downlineSchema } } }, async (request) =>
    downline(db, actorOf(request), { memberId: request.params.id }, request.query),
  );
  app.get('/invite-tree/report', { schema: { tags, querystring: reportQuery, description: 'K-factor, generations, top spreaders and their reach: of a campaign, a programme, or the workspace.', response: { 200: reportSchema } } }, async (request) =>
    inviteReport(db, actorOf(request), request.query),
  );
};
