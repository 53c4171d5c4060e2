// HTTP of task fission under /api/v1/fission: campaigns, their coupon pools and poster
// background, participants (with their poster), the leaderboard, the review queue of suspicious
// invites and the fulfilment queue of rewards.
import fastifyMultipart from '@fastify/multipart';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { AppError, invalid } from '../../platform/http/errors.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { inboxDeps } from '../inbox/index.js';
import { decideInvite, fulfilReward, getParticipant, joinCampaign, leaderboard, listParticipants, reviewQueue, rewardQueue } from './participants.js';
import { participantPoster } from './poster-service.js';
import { campaignBody, campaignPatch, campaignSchema, couponsBody, inviteSchema, joinBody, leaderboardSchema, limitQuery, participantSchema, reviewBody, rewardSchema } from './schema.js';
import { addCoupons, createCampaign, deleteCampaign, getCampaign, listCampaigns, setBackground, updateCampaign } from './service.js';

const tags = ['fission'];
const idParams = z.object({ id: z.uuid() });
const campaignResponse = z.object({ campaign: campaignSchema });

export const fissionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, config } = app.ctx;
  // Registered here so the attachment limit applies to the background upload only.
  await app.register(fastifyMultipart, { limits: { fileSize: inboxDeps(config).limits.maxBytes, files: 1, fields: 2, parts: 3 } });

  app.get('/fission/campaigns', { schema: { tags, querystring: pageQuery, response: { 200: pageSchema(campaignSchema) } } }, async (request) => listCampaigns(db, actorOf(request), request.query));
  app.post('/fission/campaigns', { schema: { tags, body: campaignBody, response: { 201: campaignResponse } } }, async (request, reply) =>
    reply.code(201).send({ campaign: await createCampaign(db, actorOf(request), request.body) }),
  );
  app.get('/fission/campaigns/:id', { schema: { tags, params: idParams, response: { 200: campaignResponse } } }, async (request) => ({ campaign: await getCampaign(db, actorOf(request), request.params.id) }));
  app.patch('/fission/campaigns/:id', { schema: { tags, params: idParams, body: campaignPatch, response: { 200: campaignResponse } } }, async (request) => ({
    campaign: await updateCampaign(db, actorOf(request), request.params.id, request.body),
  }));
  app.delete('/fission/campaigns/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
    await deleteCampaign(db, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.post('/fission/campaigns/:id/coupons', { schema: { tags, params: idParams, body: couponsBody, description: 'Adds codes to a coupon tier’s pool; each is handed out once.', response: { 200: z.object({ added: z.number() }) } } }, async (request) => ({
    added: await addCoupons(db, actorOf(request), request.params.id, request.body),
  }));
  app.put(
    '/fission/campaigns/:id/background',
    { schema: { tags, params: idParams, consumes: ['multipart/form-data'], description: 'The poster background (field `file`: PNG, JPEG or WebP).', response: { 200: campaignResponse } } },
    async (request) => ({
      campaign: await setBackground(db, config, actorOf(request), request.params.id, async () => {
        if (!request.isMultipart()) throw invalid([{ path: 'file', message: 'Send the image as multipart/form-data in the field "file"' }]);
        const part = await request.file().catch((error: unknown) => {
          throw new AppError('validation_failed', 'The upload could not be read', { cause: error });
        });
        if (!part || part.fieldname !== 'file') throw invalid([{ path: 'file', message: 'Send the image in the field "file"' }]);
        const data = await part.toBuffer().catch((error: unknown) => {
          throw new AppError('payload_too_large', 'The image is too large', { cause: error });
        });
        return { fileName: part.filename || 'background', declaredType: part.mimetype, data };
      }),
    }),
  );

  app.get('/fission/campaigns/:id/participants', { schema: { tags, params: idParams, querystring: pageQuery, response: { 200: pageSchema(participantSchema) } } }, async (request) =>
    listParticipants(db, config, actorOf(request), request.params.id, request.query),
  );
  app.post('/fission/campaigns/:id/participants', { schema: { tags, params: idParams, body: joinBody, response: { 200: z.object({ participant: participantSchema }), 201: z.object({ participant: participantSchema }) } } }, async (request, reply) => {
    const { participant, joined } = await joinCampaign(db, config, actorOf(request), request.params.id, request.body.contactId);
    return reply.code(joined ? 201 : 200).send({ participant });
  });
  const participantParams = z.object({ id: z.uuid(), participantId: z.uuid() });
  app.get('/fission/campaigns/:id/participants/:participantId', { schema: { tags, params: participantParams, response: { 200: z.object({ participant: participantSchema }) } } }, async (request) => ({
    participant: await getParticipant(db, config, actorOf(request), request.params.id, request.params.participantId),
  }));
  app.get('/fission/campaigns/:id/participants/:participantId/poster.png', { schema: { tags, params: participantParams, produces: ['image/png'] } }, async (request, reply) => {
    const png = await participantPoster(db, config, actorOf(request), request.params.id, request.params.participantId);
    return reply.type('image/png').header('cache-control', 'private, max-age=300').send(png);
  });

  app.get('/fission/campaigns/:id/leaderboard', { schema: { tags, params: idParams, querystring: limitQuery, response: { 200: leaderboardSchema } } }, async (request) =>
    leaderboard(db, actorOf(request), request.params.id, request.query.limit),
  );
  app.get('/fission/campaigns/:id/review', { schema: { tags, params: idParams, description: 'Invites flagged as a suspicious burst, not counted until approved.', response: { 200: z.object({ items: z.array(inviteSchema) }) } } }, async (request) =>
    reviewQueue(db, actorOf(request), request.params.id),
  );
  app.post(
    '/fission/campaigns/:id/review/:inviteId',
    { schema: { tags, params: z.object({ id: z.uuid(), inviteId: z.uuid() }), body: reviewBody, response: { 200: z.object({ invite: inviteSchema }) } } },
    async (request) => ({ invite: await decideInvite(db, config, actorOf(request), request.params.id, request.params.inviteId, request.body.decision) }),
  );
  app.get('/fission/campaigns/:id/rewards', { schema: { tags, params: idParams, description: 'Rewards waiting for an admin to hand them over.', response: { 200: z.object({ items: z.array(rewardSchema) }) } } }, async (request) =>
    rewardQueue(db, actorOf(request), request.params.id),
  );
  app.post('/fission/campaigns/:id/rewards/:rewardId/fulfil', { schema: { tags, params: z.object({ id: z.uuid(), rewardId: z.uuid() }) } }, async (request, reply) => {
    await fulfilReward(db, actorOf(request), request.params.id, request.params.rewardId);
    return reply.code(204).send();
  });
};
