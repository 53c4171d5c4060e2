// In-app notifications: each member reads and marks only their own. Task reminders become
// notifications through the reminder sweep the worker runs.
import type { Logger } from 'pino';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { startPeriodic } from '../../platform/periodic.js';
import { notFound } from '../../platform/http/errors.js';
import { toPage } from '../../platform/http/pagination.js';
import { publish } from '../../platform/realtime/index.js';
import * as store from './notifications-store.js';

const toNotification = (r: store.NotificationRow) => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  link: r.link,
  readAt: r.read_at,
  createdAt: r.created_at,
});

// No permission check: every member has their own notifications, and only those.
export async function listNotifications(db: Db, actor: Actor, filter: { unread?: boolean; cursor?: string; limit: number }) {
  const rows = await store.listNotifications(db, actor.workspaceId, actor.memberId, filter);
  return toPage(rows, filter.limit, (r) => [r.created_at.toISOString(), r.id], toNotification);
}

export const unreadCount = async (db: Db, actor: Actor) => ({ count: await store.countUnread(db, actor.workspaceId, actor.memberId) });

export async function markNotificationRead(db: Db, actor: Actor, id: string) {
  const row = await store.markRead(db, actor.workspaceId, actor.memberId, id);
  if (!row) throw notFound('Notification');
  return toNotification(row);
}

export const markAllNotificationsRead = async (db: Db, actor: Actor) => ({ updated: await store.markAllRead(db, actor.workspaceId, actor.memberId) });

/** Turns every due reminder into a notification, a batch per statement, until none is left. */
export async function deliverDueReminders(db: Db, batch = 1000) {
  let total = 0;
  for (;;) {
    const { marked, notified } = await store.sweepDueReminders(db, batch);
    total += notified;
    if (marked < batch) return total;
  }
}

const REMINDER_SWEEP_MS = 15_000;

/**
 * Sweeps due reminders now and every `everyMs` until stopped, in every worker process: the sweep
 * claims rows with SKIP LOCKED and marks them in the statement that notifies, so workers never
 * double-send. (A job would need one per workspace; the sweep walks one global index instead.)
 */
export const startReminderSweep = (db: Db, logger: Logger, everyMs = REMINDER_SWEEP_MS) =>
  startPeriodic('task reminders delivered', everyMs, () => deliverDueReminders(db), logger);

/**
 * Notifies these members (the active ones, each once) from another domain's work, in its
 * transaction: a bell entry each, and their open consoles hear of it. E.g. a churn alert.
 */
export async function notifyMembers(db: Db, workspaceId: string, memberIds: readonly string[], n: { kind: string; title: string; body?: string | null; link?: string | null }) {
  const ids = [...new Set(memberIds)];
  if (!ids.length) return [];
  const rows = await store.insertNotifications(db, workspaceId, ids, { kind: n.kind, title: n.title, body: n.body ?? null, link: n.link ?? null });
  for (const row of rows) await publish(db, { w: workspaceId, to: { m: row.member_id }, e: { type: 'notification.created', data: { notificationId: row.id, kind: n.kind } } });
  return rows;
}
