// Conversations: the list and its filters, status (snoozed until a time; a job wakes it),
// labels, and each member's read position. Assignment by hand is in assignment/transfer.ts.
import { z } from 'zod';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { invalid, notFound } from '../../platform/http/errors.js';
import { toPage } from '../../platform/http/pagination.js';
import { defineJob, enqueue } from '../../platform/queue/index.js';
import { sql } from 'kysely';
import { offerTeam, offerTeamsOf } from './assignment/assign.js';
import * as store from './conversations-store.js';
import { inboxEvents } from './events.js';
import * as live from './live/notices.js';
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

/** The people of a group conversation (a one-to-one conversation has none: its contact is on it). */
export async function listParticipants(db: Db, actor: Actor, id: string, page: { present?: boolean; cursor?: string; limit: number }) {
  requireAccess(actor, 'inbox:read');
  await requireConversation(db, actor, id);
  const rows = await store.listParticipants(db, actor.workspaceId, id, page);
  return toPage(rows, page.limit, (r) => [r.joined_at.toISOString(), r.contact_id], (r) => ({
    contactId: r.contact_id,
    name: r.name,
    externalId: r.external_id,
    joinedAt: r.joined_at,
    leftAt: r.left_at,
    lastMessageAt: r.last_message_at,
    messageCount: r.message_count,
  }));
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
      .returning(['id', 'team_id', 'assignee_member_id'])
      .executeTakeFirst();
    if (woke) {
      const tx = ctx.db as Tx;
      await emit(tx, workspaceId, inboxEvents.conversationStatusChanged, { conversationId, from: 'snoozed', to: 'open', reason: 'snooze_ended' });
      await live.statusChanged(tx, workspaceId, (await live.currentAccess(tx, workspaceId, conversationId))!, { from: 'snoozed', to: 'open', reason: 'snooze_ended' });
      if (!woke.assignee_member_id) await offerTeam(tx, workspaceId, woke.team_id);
    }
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
      await live.statusChanged(tx, actor.workspaceId, live.accessOf(before), { from: before.status, to: input.status, reason: 'member', snoozedUntil });
    }
    // Out of the open ones, it frees a place with its agent; back in, unassigned, it may queue.
    if (before.status === 'open' && input.status !== 'open') await offerTeamsOf(tx, actor.workspaceId, before.assignee_member_id);
    if (before.status !== 'open' && input.status === 'open' && !before.assignee_member_id) await offerTeam(tx, actor.workspaceId, before.team_id);
    return toConversation((await store.findConversation(tx, actor, id))!);
  });
}

/** Labels are free words, kept once each (case-insensitively) in the order given. */
export async function setLabels(db: Db, actor: Actor, id: string, labels: string[]) {
  requireAccess(actor, 'inbox:write');
  const seen = new Set<string>();
  const kept = labels.map((l) => l.trim()).filter((l) => l && !seen.has(l.toLowerCase()) && seen.add(l.toLowerCase()));
  return inTransaction(db, async (tx) => {
    const before = await requireConversation(tx, actor, id, true);
    await store.setLabels(tx, actor.workspaceId, id, kept);
    await live.labelsChanged(tx, actor.workspaceId, live.accessOf(before), kept);
    return toConversation((await store.findConversation(tx, actor, id))!);
  });
}

export async function markConversationRead(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'inbox:read');
  await requireConversation(db, actor, id);
  return inTransaction(db, async (tx) => {
    await store.markRead(tx, actor.workspaceId, id, actor.memberId);
    // The member's other tabs and devices update their badges.
    await live.conversationRead(tx, actor.workspaceId, actor.memberId, id, await store.unreadTotals(tx, actor));
    return toConversation((await store.findConversation(tx, actor, id))!);
  });
}

export async function unreadCounts(db: Db, actor: Actor) {
  requireAccess(actor, 'inbox:read');
  return store.unreadTotals(db, actor);
}
