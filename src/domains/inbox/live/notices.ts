// The inbox's realtime events, published in the transaction of the change (so they go out only
// if it commits). A conversation event names the conversation's access fields (channel, team,
// channel's team, assignee): every process decides in memory which sockets may have it. A
// change that can take a conversation out of someone's sight (assignment, transfer) also names
// the fields before, and those who saw it then and no longer do get `conversation.removed`.
import type { Db } from '../../../platform/db/connect.js';
import { publish, type ClientEvent } from '../../../platform/realtime/index.js';
import type { ConversationAccess } from './viewer.js';

export const CONVERSATION_GUARD = 'inbox.conversation';

/** The permission that sees presence and the other workspace-wide inbox events. */
const INBOX_READERS = { p: 'inbox:read' };

export interface AccessRow {
  id: string;
  channel_id: string;
  team_id: string | null;
  channel_team_id: string | null;
  assignee_member_id: string | null;
}

export const accessOf = (r: AccessRow): ConversationAccess => ({ id: r.id, ch: r.channel_id, t: r.team_id, ct: r.channel_team_id, a: r.assignee_member_id });

/** A conversation's access fields as of now (for changes made without its row at hand). */
export async function currentAccess(db: Db, workspaceId: string, conversationId: string): Promise<ConversationAccess | undefined> {
  const row = await db
    .selectFrom('conversations as conv')
    .innerJoin('channels as ch', (j) => j.onRef('ch.workspace_id', '=', 'conv.workspace_id').onRef('ch.id', '=', 'conv.channel_id'))
    .select(['conv.id', 'conv.channel_id', 'conv.team_id', 'ch.team_id as channel_team_id', 'conv.assignee_member_id'])
    .where('conv.workspace_id', '=', workspaceId)
    .where('conv.id', '=', conversationId)
    .executeTakeFirst();
  return row && accessOf(row);
}

/** Routing keys of conversation notices: a widget visitor's socket listens on its conversation's, or on its channel's until it has one. */
export const conversationKey = (conversationId: string) => `conversation:${conversationId}`;
export const channelKey = (channelId: string) => `channel:${channelId}`;

/** To the members who may see the conversation (and, given `was`, `conversation.removed` to those who no longer do). */
export function publishToViewers(db: Db, workspaceId: string, c: ConversationAccess, e: ClientEvent, was?: ConversationAccess) {
  return publish(db, {
    w: workspaceId,
    to: { g: CONVERSATION_GUARD, c, ...(was ? { was } : {}) },
    k: [conversationKey(c.id), channelKey(c.ch)],
    e,
    ...(was ? { alt: { gone: { type: 'conversation.removed', data: { conversationId: c.id } } } } : {}),
  });
}

export interface MessageFields {
  id: string;
  direction: string;
  kind: string;
  status: string;
  author_member_id: string | null;
  created_at: Date;
}

/** A message arrived, was queued or noted: enough to place it; the client fetches the message itself. */
export const messageCreated = (db: Db, workspaceId: string, c: ConversationAccess, m: MessageFields, extra: { preview: string; inboundCount?: number }) =>
  publishToViewers(db, workspaceId, c, {
    type: 'message.created',
    data: {
      conversationId: c.id,
      messageId: m.id,
      direction: m.direction,
      kind: m.kind,
      status: m.status,
      authorId: m.author_member_id,
      createdAt: m.created_at.toISOString(),
      preview: extra.preview,
      ...(extra.inboundCount !== undefined ? { inboundCount: extra.inboundCount } : {}),
    },
  });

/** An outbound message was sent, delivered, read or dead-lettered. */
export async function messageStatusChanged(db: Db, workspaceId: string, conversationId: string, messageId: string, status: string) {
  const c = await currentAccess(db, workspaceId, conversationId);
  if (c) await publishToViewers(db, workspaceId, c, { type: 'message.status_changed', data: { conversationId, messageId, status } });
}

export const statusChanged = (db: Db, workspaceId: string, c: ConversationAccess, change: { from: string; to: string; reason: string; snoozedUntil?: Date | null }) =>
  publishToViewers(db, workspaceId, c, {
    type: 'conversation.status_changed',
    data: { conversationId: c.id, status: change.to, previousStatus: change.from, reason: change.reason, snoozedUntil: change.snoozedUntil?.toISOString() ?? null },
  });

/** Assignee or team changed (by hand, by a transfer or automatically). */
export const assigned = (db: Db, workspaceId: string, after: ConversationAccess, before: ConversationAccess, how: { reason: 'manual' | 'transfer' | 'auto'; actorId: string | null }) =>
  publishToViewers(
    db,
    workspaceId,
    after,
    {
      type: 'conversation.assigned',
      data: { conversationId: after.id, assigneeId: after.a, previousAssigneeId: before.a, teamId: after.t, previousTeamId: before.t, reason: how.reason, actorId: how.actorId },
    },
    before,
  );

export const labelsChanged = (db: Db, workspaceId: string, c: ConversationAccess, labels: string[]) =>
  publishToViewers(db, workspaceId, c, { type: 'conversation.labels_changed', data: { conversationId: c.id, labels } });

export const typing = (db: Db, workspaceId: string, c: ConversationAccess, who: { memberId: string }, on: boolean) =>
  publishToViewers(db, workspaceId, c, { type: 'typing', data: { conversationId: c.id, memberId: who.memberId, typing: on } });

/** To the member's own sockets (every tab and device): what they read, and their unread totals now. */
export const conversationRead = (db: Db, workspaceId: string, memberId: string, conversationId: string, unread: Record<string, unknown>) =>
  publish(db, { w: workspaceId, to: { m: memberId }, e: { type: 'conversation.read', data: { conversationId, unread } } });

export const presenceChanged = (db: Db, workspaceId: string, memberId: string, status: string) =>
  publish(db, { w: workspaceId, to: INBOX_READERS, e: { type: 'presence.changed', data: { memberId, status } } });
