import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { startPreferencesRecompute } from './job.js';
import { getContactPreferences } from './preferences.js';
import { getPreferenceSettings, updatePreferenceSettings } from './settings.js';

const tags = ['preferences'];
const idParams = z.object({ id: z.uuid() });

const preferencesSchema = z.object({
  contactId: z.string(),
  interests: z.array(z.object({ category: z.string(), score: z.number(), rank: z.number(), computedAt: z.date() })).describe('Best first, at most five'),
  activeHours: z
    .array(
      z.object({
        channel: z.string(),
        hour: z.number().describe('0–23, workspace time zone: the hour with most messages from the contact'),
        hourMessages: z.number(),
        messages: z.number(),
        byHour: z.array(z.number()).length(24),
        computedAt: z.date(),
      }),
    )
    .describe('Per channel, busiest channel first'),
});

const settingsSchema = z.object({
  interestTagGroupIds: z.array(z.string()),
  lookbackDays: z.number(),
  halfLifeDays: z.number(),
  computedAt: z.date().nullable(),
  updatedAt: z.date().nullable(),
});

const settingsPatch = z.strictObject({
  interestTagGroupIds: z.array(z.uuid()).max(50).optional().describe('Tag groups whose tags are interest categories'),
  lookbackDays: z.number().int().min(1).max(3650).optional(),
  halfLifeDays: z.number().int().min(1).max(3650).optional(),
});

export const preferenceRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;

  app.get('/contacts/:id/preferences', { schema: { tags, params: idParams, response: { 200: preferencesSchema } } }, async (request) =>
    getContactPreferences(db, actorOf(request), request.params.id),
  );

  app.get('/preferences/settings', { schema: { tags, response: { 200: z.object({ settings: settingsSchema }) } } }, async (request) => ({
    settings: await getPreferenceSettings(db, actorOf(request)),
  }));

  // Saving queues a full recompute (its job id).
  app.patch('/preferences/settings', { schema: { tags, body: settingsPatch, response: { 200: z.object({ settings: settingsSchema, jobId: z.string() }) } } }, async (request) =>
    updatePreferenceSettings(db, actorOf(request), request.body),
  );

  app.post('/preferences/recompute', { schema: { tags, response: { 202: z.object({ jobId: z.string() }) } } }, async (request, reply) =>
    reply.code(202).send(await startPreferencesRecompute(db, actorOf(request))),
  );
};
