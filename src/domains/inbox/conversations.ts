// Conversations: the list and its filters, status (snoozed until a time; a job wakes it),
// manual assignment, labels, and each member's read position.
import { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { invalid, notFound } from '../../platform/http/errors.js';
import { toPage } from '../../platform/http/pagination.js';
import { defineJob, enqueue } from '../../platform/queue/index.js';
import { sql } from 'kysely';
import * as store from './conversations-store.js';
import { inboxEvents } from './events.js';
import { toConversation } from './present.js';
import type { ConversationStatus } from './tables.js';

export async function requireConversation(db: Db, actor: Actor, id: string, lock = false) {
  const row = await store.findConversation(db, actor, id, { lock });
  if (!row) throw notFound('Conversation');
  return row;
}

export async function listConversations(db: Db, actor: Actor, filter: store.ConversationFilter) {
  requireAccess(actor, 'inbox:read');
  const f = { ...filter, ...(filter.assignee === 'me' ? { assignee: actor.memberId } : {}) };
  const rows = await store.listConversations(db, actor, f);
  return toPage(rows, filter.limit, (r) => [r.last_message_at!.toISOString(), r.id], toConversation);
}

export async function getConversation(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'inbox:read');
  return toConversation(await requireConversation(db, actor, id));
}

/** Wakes a snoozed conversation when its time has come (a later snooze makes this a no-op). */
export const wakeJob = defineJob({
  name: 'inbox.conversation.wake',
  queue: 'within-5s',
  maxAttempts: 5,
  transactional: true,
  payload: z.object({ workspaceId: z.uuid(), conversationId: z.uuid() }),
  async handler(ctx, { workspaceId, conversationId }) {
    const woke = await ctx.db
      .updateTable('conversations')
      .set({ status: 'open', snoozed_until: null, updated_at: sql<Date>`now()` })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', conversationId)
      .where('status', '=', 'snoozed')
      .where('snoozed_until', '<=', sql<Date>`now()`)
      .returning('id')
      .executeTakeFirst();
    if (woke) await emit(ctx.db as Tx, workspaceId, inboxEvents.conversationStatusChanged, { conversationId, from: 'snoozed', to: 'open', reason: 'snooze_ended' });
    return { woke: Boolean(woke) };
  },
});

export async function changeStatus(db: Db, actor: Actor, id: string, input: { status: ConversationStatus; snoozedUntil?: Date }) {
  requireAccess(actor, 'inbox:write');
  if (input.status === 'snoozed' && !(input.snoozedUntil && input.snoozedUntil.getTime() > Date.now())) {
    throw invalid([{ path: 'snoozedUntil', message: 'A snooze needs a time in the future' }]);
  }
  if (input.status !== 'snoozed' && input.snoozedUntil) throw invalid([{ path: 'snoozedUntil', message: 'Only a snooze takes a time' }]);
  return inTransaction(db, async (tx) => {
    const before = await requireConversation(tx, actor, id, true);
    const snoozedUntil = input.status === 'snoozed' ? input.snoozedUntil! : null;
    await store.setStatus(tx, actor.workspaceId, id, { status: input.status, snoozedUntil });
    if (snoozedUntil) await enqueue(tx, wakeJob, { workspaceId: actor.workspaceId, conversationId: id }, { runAt: snoozedUntil });
    if (before.status !== input.status || snoozedUntil) {
      await emit(tx, actor.workspaceId, inboxEvents.conversationStatusChanged, {
        conversationId: id,
        from: before.status,
        to: input.status,
        reason: 'member',
        actorMemberId: actor.memberId,
        ...(snoozedUntil ? { snoozedUntil: snoozedUntil.toISOString() } : {}),
      });
    }
    return toConversation((await store.findConversation(tx, actor, id))!);
  });
}

export async function assignConversation(db: Db, actor: Actor, id: string, memberId: string | null) {
  requireAccess(actor, 'inbox:write');
  return inTransaction(db, async (tx) => {
    const before = await requireConversation(tx, actor, id, true);
    if (memberId && !(await store.memberExists(tx, actor.workspaceId, memberId))) throw notFound('Member');
    if (before.assignee_member_id !== memberId) {
      await store.setAssignee(tx, actor.workspaceId, id, memberId);
      await recordAudit(tx, actor, { action: 'conversation.assigned', entityType: 'conversation', entityId: id, before: { assigneeId: before.assignee_member_id }, after: { assigneeId: memberId } });
      await emit(tx, actor.workspaceId, inboxEvents.conversationAssigned, { conversationId: id, fromMemberId: before.assignee_member_id, toMemberId: memberId, actorMemberId: actor.memberId });
    }
    // Assigned away beyond the actor's scope, it is no longer theirs to see.
    const after = await store.findConversation(tx, actor, id, { visibility: false });
    return toConversation(after!);
  });
}

/** Labels are free words, kept once each (case-insensitively) in the order given. */
export async function setLabels(db: Db, actor: Actor, id: string, labels: string[]) {
  requireAccess(actor, 'inbox:write');
  const seen = new Set<string>();
  const kept = labels.map((l) => l.trim()).filter((l) => l && !seen.has(l.toLowerCase()) && seen.add(l.toLowerCase()));
  return inTransaction(db, async (tx) => {
    await requireConversation(tx, actor, id, true);
    await store.setLabels(tx, actor.workspaceId, id, kept);
    return toConversation((await store.findConversation(tx, actor, id))!);
  });
}

export async function markConversationRead(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'inbox:read');
  await requireConversation(db, actor, id);
  await store.markRead(db, actor.workspaceId, id, actor.memberId);
  return toConversation((await store.findConversation(db, actor, id))!);
}

export async function unreadCounts(db: Db, actor: Actor) {
  requireAccess(actor, 'inbox:read');
  return store.unreadTotals(db, actor);
}
