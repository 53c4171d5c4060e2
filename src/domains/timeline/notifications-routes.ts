import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/http/authenticate.js';
import { pageQuery, pageSchema } from '../../platform/http/pagination.js';
import { listNotifications, markAllNotificationsRead, markNotificationRead, unreadCount } from './notifications.js';

const idParams = z.object({ id: z.uuid() });

const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable(),
  readAt: z.date().nullable(),
  createdAt: z.date(),
});
const notificationQuery = pageQuery.extend({ unread: z.enum(['true', 'false']).transform((v) => v === 'true').optional() });

export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ctx;
  const tags = ['notifications'];

  app.get('/notifications', { schema: { tags, querystring: notificationQuery, response: { 200: pageSchema(notificationSchema) } } }, async (request) =>
    listNotifications(db, actorOf(request), request.query),
  );

  app.get('/notifications/unread-count', { schema: { tags, response: { 200: z.object({ count: z.number() }) } } }, async (request) => unreadCount(db, actorOf(request)));

  app.post('/notifications/:id/read', { schema: { tags, params: idParams, response: { 200: z.object({ notification: notificationSchema }) } } }, async (request) => ({
    notification: await markNotificationRead(db, actorOf(request), request.params.id),
  }));

  app.post('/notifications/read-all', { schema: { tags, response: { 200: z.object({ updated: z.number() }) } } }, async (request) =>
    markAllNotificationsRead(db, actorOf(request)),
  );
};
