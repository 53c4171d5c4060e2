// Members named in an inbox note get an in-app notification each (the header bell), and their
// open consoles hear of it at once. Runs in the delivery job's transaction, so a redelivered
// event that already committed is never handled twice.
import { z } from 'zod';
import { defineHandler, type DomainEvent, type HandlerContext } from '../../platform/events/index.js';
import { publish } from '../../platform/realtime/index.js';
import { insertMentionNotifications } from './notifications-store.js';

const mentioned = z.object({
  memberIds: z.array(z.uuid()).min(1),
  title: z.string().min(1),
  excerpt: z.string().nullish(),
  link: z.string().nullish(),
});

async function notifyMentioned(ctx: HandlerContext, event: DomainEvent) {
  const parsed = mentioned.safeParse(event.payload);
  if (!parsed.success) {
    ctx.logger.warn({ issues: parsed.error.issues }, 'notifications: mention payload not understood; skipped');
    return;
  }
  const p = parsed.data;
  const notified = await insertMentionNotifications(ctx.tx, event.workspaceId, p.memberIds, { title: p.title, body: p.excerpt ?? null, link: p.link ?? null });
  for (const row of notified) {
    await publish(ctx.tx, { w: event.workspaceId, to: { m: row.member_id }, e: { type: 'notification.created', data: { notificationId: row.id, kind: 'mention' } } });
  }
}

export const mentionsHandler = defineHandler({
  name: 'notifications.mentions',
  events: ['inbox.member.mentioned'],
  handle: notifyMentioned,
});
