// SQL of conversations and read positions. Every query is scoped to its workspace; lists also
// to what the member may see (queries/visibility.ts).
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { afterNewestFirst } from '../../platform/http/pagination.js';
import { visibleConversation } from './queries/visibility.js';
import type { ConversationStatus } from './tables.js';

const columns = [
  'conv.id', 'conv.channel_id', 'conv.kind', 'conv.contact_id', 'conv.group_name', 'conv.thread_key', 'conv.recipient_id', 'conv.status', 'conv.snoozed_until', 'conv.assignee_member_id',
  'conv.team_id', 'conv.waiting_since', 'conv.last_message_at', 'conv.last_inbound_at', 'conv.last_message_preview', 'conv.inbound_count', 'conv.labels',
  'conv.created_at', 'conv.updated_at', 'conv.resolved_at',
] as const;

/** Conversations with the contact's name (none for a group), the channel's team and the actor's unread count. */
const base = (db: Db, actor: Actor) =>
  db
    .selectFrom('conversations as conv')
    .leftJoin('contacts as c', (j) => j.onRef('c.workspace_id', '=', 'conv.workspace_id').onRef('c.id', '=', 'conv.contact_id'))
    .innerJoin('channels as ch', (j) => j.onRef('ch.workspace_id', '=', 'conv.workspace_id').onRef('ch.id', '=', 'conv.channel_id'))
    .leftJoin('conversation_reads as r', (j) =>
      j.onRef('r.workspace_id', '=', 'conv.workspace_id').onRef('r.conversation_id', '=', 'conv.id').on('r.member_id', '=', actor.memberId),
    )
    .select(columns)
    .select(['c.name as contact_name', 'ch.team_id as channel_team_id', sql<number>`conv.inbound_count - coalesce(r.read_count, 0)`.as('unread')])
    .where('conv.workspace_id', '=', actor.workspaceId);

export type ConversationRow = NonNullable<Awaited<ReturnType<typeof findConversation>>>;

export interface ConversationFilter {
  status?: ConversationStatus;
  /** A member id, or 'none' for unassigned. */
  assignee?: string;
  channelId?: string;
  teamId?: string;
  contactId?: string;
  label?: string;
  unread?: boolean;
  cursor?: string;
  limit: number;
}

export const listConversations = (db: Db, actor: Actor, f: ConversationFilter) => {
  const after = afterNewestFirst('conv.last_message_at', 'conv.id', f.cursor);
  return base(db, actor)
    .where(visibleConversation(actor))
    .$if(f.status !== undefined, (q) => q.where('conv.status', '=', f.status!))
    .$if(f.assignee === 'none', (q) => q.where('conv.assignee_member_id', 'is', null))
    .$if(f.assignee !== undefined && f.assignee !== 'none', (q) => q.where('conv.assignee_member_id', '=', f.assignee!))
    .$if(f.channelId !== undefined, (q) => q.where('conv.channel_id', '=', f.channelId!))
    .$if(f.teamId !== undefined, (q) => q.where('conv.team_id', '=', f.teamId!))
    // A contact's conversations: their own, and the groups they take part in.
    .$if(f.contactId !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('conv.contact_id', '=', f.contactId!),
          eb.exists(
            eb
              .selectFrom('conversation_participants as p')
              .select(sql`1`.as('one'))
              .whereRef('p.workspace_id', '=', 'conv.workspace_id')
              .whereRef('p.conversation_id', '=', 'conv.id')
              .where('p.contact_id', '=', f.contactId!),
          ),
        ]),
      ),
    )
    .$if(f.label !== undefined, (q) => q.where(sql<boolean>`conv.labels @> array[${f.label!}]::text[]`))
    .$if(Boolean(f.unread), (q) => q.where(sql<boolean>`conv.inbound_count > coalesce(r.read_count, 0)`))
    .$if(after !== undefined, (q) => q.where(after!))
    .orderBy('conv.last_message_at', 'desc')
    .orderBy('conv.id', 'desc')
    .limit(f.limit + 1)
    .execute();
};

/** One conversation the actor may see (or, with `visibility` false, any in the workspace). */
export const findConversation = (db: Db, actor: Actor, id: string, options: { lock?: boolean; visibility?: boolean } = {}) =>
  base(db, actor)
    .where('conv.id', '=', id)
    .$if(options.visibility !== false, (q) => q.where(visibleConversation(actor)))
    .$if(Boolean(options.lock), (q) => q.forUpdate('conv'))
    .executeTakeFirst();

export const findByThread = (db: Db, workspaceId: string, channelId: string, threadKey: string) =>
  db
    .selectFrom('conversations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('channel_id', '=', channelId)
    .where('thread_key', '=', threadKey)
    .forUpdate()
    .executeTakeFirst();

export interface NewConversation {
  channelId: string;
  /** A one-to-one conversation's contact; a group's is null. */
  contactId: string | null;
  groupName?: string | null;
  threadKey: string;
  recipientId: string;
  teamId: string | null;
  at: Date;
}

export const insertConversation = (db: Db, workspaceId: string, c: NewConversation) =>
  db
    .insertInto('conversations')
    .values({
      workspace_id: workspaceId,
      channel_id: c.channelId,
      kind: c.contactId ? 'direct' : 'group',
      contact_id: c.contactId,
      group_name: c.groupName ?? null,
      thread_key: c.threadKey,
      recipient_id: c.recipientId,
      team_id: c.teamId,
      last_message_at: c.at,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'channel_id', 'thread_key']).doNothing())
    .returningAll()
    .executeTakeFirst();

export interface StatusChange {
  status: ConversationStatus;
  snoozedUntil: Date | null;
}

export const setStatus = (db: Db, workspaceId: string, id: string, s: StatusChange) =>
  db
    .updateTable('conversations')
    .set({
      status: s.status,
      snoozed_until: s.snoozedUntil,
      resolved_at: s.status === 'resolved' ? sql<Date>`now()` : null,
      updated_at: sql<Date>`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();

export const setAssignee = (db: Db, workspaceId: string, id: string, memberId: string | null) =>
  db.updateTable('conversations').set({ assignee_member_id: memberId, updated_at: sql<Date>`now()` }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** A transfer: the team that handles it, and its agent (null: it waits in the team's queue). */
export const setTeamAndAssignee = (db: Db, workspaceId: string, id: string, teamId: string | null, memberId: string | null) =>
  db
    .updateTable('conversations')
    .set({ team_id: teamId, assignee_member_id: memberId, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();

export const setGroupName = (db: Db, workspaceId: string, id: string, name: string) =>
  db.updateTable('conversations').set({ group_name: name, updated_at: sql<Date>`now()` }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** A group's participant: added on joining or on a first message; a message counts and brings back one who had left. */
export const recordParticipant = (db: Db, workspaceId: string, conversationId: string, p: { contactId: string; externalId: string; at: Date; wrote: boolean }) =>
  db
    .insertInto('conversation_participants')
    .values({
      workspace_id: workspaceId,
      conversation_id: conversationId,
      contact_id: p.contactId,
      external_id: p.externalId,
      joined_at: p.at,
      last_message_at: p.wrote ? p.at : null,
      message_count: p.wrote ? 1 : 0,
    })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'conversation_id', 'contact_id']).doUpdateSet({
        external_id: p.externalId,
        left_at: null,
        ...(p.wrote
          ? { last_message_at: sql<Date>`greatest(conversation_participants.last_message_at, ${p.at})`, message_count: sql<number>`conversation_participants.message_count + 1` }
          : { joined_at: sql<Date>`case when conversation_participants.left_at is null then conversation_participants.joined_at else ${p.at} end` }),
      }),
    )
    .execute();

export const markParticipantLeft = (db: Db, workspaceId: string, conversationId: string, contactId: string, at: Date) =>
  db
    .updateTable('conversation_participants')
    .set({ left_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', '=', conversationId)
    .where('contact_id', '=', contactId)
    .execute();

/** A group's participants with their names, the latest to join first; `present`: only those who have not left. */
export const listParticipants = (db: Db, workspaceId: string, conversationId: string, page: { present?: boolean; cursor?: string; limit: number }) => {
  const after = afterNewestFirst('p.joined_at', 'p.contact_id', page.cursor);
  return db
    .selectFrom('conversation_participants as p')
    .innerJoin('contacts as c', (j) => j.onRef('c.workspace_id', '=', 'p.workspace_id').onRef('c.id', '=', 'p.contact_id'))
    .select(['p.contact_id', 'c.name', 'p.external_id', 'p.joined_at', 'p.left_at', 'p.last_message_at', 'p.message_count'])
    .where('p.workspace_id', '=', workspaceId)
    .where('p.conversation_id', '=', conversationId)
    .$if(Boolean(page.present), (q) => q.where('p.left_at', 'is', null))
    .$if(after !== undefined, (q) => q.where(after!))
    .orderBy('p.joined_at', 'desc')
    .orderBy('p.contact_id', 'desc')
    .limit(page.limit + 1)
    .execute();
};

export const setLabels = (db: Db, workspaceId: string, id: string, labels: string[]) =>
  db.updateTable('conversations').set({ labels, updated_at: sql<Date>`now()` }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** An inbound message arrived: counters, times, preview; a snoozed or resolved conversation opens. */
export const applyInbound = (db: Db, workspaceId: string, id: string, m: { at: Date; preview: string }) =>
  db
    .updateTable('conversations')
    .set({
      inbound_count: sql<number>`inbound_count + 1`,
      last_message_at: sql<Date>`greatest(last_message_at, ${m.at})`,
      last_inbound_at: sql<Date>`greatest(last_inbound_at, ${m.at})`,
      waiting_since: sql<Date>`coalesce(waiting_since, ${m.at})`,
      last_message_preview: m.preview,
      status: sql<ConversationStatus>`case when status in ('snoozed', 'resolved') then 'open' else status end`,
      snoozed_until: sql<Date | null>`case when status in ('snoozed', 'resolved') then null else snoozed_until end`,
      resolved_at: sql<Date | null>`case when status in ('snoozed', 'resolved') then null else resolved_at end`,
      updated_at: sql<Date>`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning(['inbound_count', 'status', 'assignee_member_id', 'team_id'])
    .executeTakeFirstOrThrow();

/** An agent answered: the customer no longer waits. */
export const applyOutbound = (db: Db, workspaceId: string, id: string, m: { preview: string }) =>
  db
    .updateTable('conversations')
    .set({ last_message_at: sql<Date>`now()`, waiting_since: null, last_message_preview: m.preview, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();

export const markRead = (db: Db, workspaceId: string, conversationId: string, memberId: string) =>
  sql`insert into conversation_reads (workspace_id, conversation_id, member_id, read_count)
      select workspace_id, id, ${memberId}, inbound_count from conversations where workspace_id = ${workspaceId} and id = ${conversationId}
      on conflict (workspace_id, conversation_id, member_id) do update set read_count = excluded.read_count, read_at = now()`.execute(db);

/** Unread conversations and messages the actor sees: all of them, and those assigned to them. */
export async function unreadTotals(db: Db, actor: Actor) {
  const row = await db
    .selectFrom('conversations as conv')
    .leftJoin('conversation_reads as r', (j) =>
      j.onRef('r.workspace_id', '=', 'conv.workspace_id').onRef('r.conversation_id', '=', 'conv.id').on('r.member_id', '=', actor.memberId),
    )
    .select([
      sql<number>`count(*)`.as('conversations'),
      sql<number>`coalesce(sum(conv.inbound_count - coalesce(r.read_count, 0)), 0)`.as('messages'),
      sql<number>`count(*) filter (where conv.assignee_member_id = ${actor.memberId})`.as('mine_conversations'),
      sql<number>`coalesce(sum(conv.inbound_count - coalesce(r.read_count, 0)) filter (where conv.assignee_member_id = ${actor.memberId}), 0)`.as('mine_messages'),
    ])
    .where('conv.workspace_id', '=', actor.workspaceId)
    .where(visibleConversation(actor))
    .where(sql<boolean>`conv.inbound_count > coalesce(r.read_count, 0)`)
    .executeTakeFirstOrThrow();
  return {
    conversations: Number(row.conversations),
    messages: Number(row.messages),
    mine: { conversations: Number(row.mine_conversations), messages: Number(row.mine_messages) },
  };
}

export const memberExists = async (db: Db, workspaceId: string, memberId: string) =>
  Boolean(await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).where('id', '=', memberId).where('status', '=', 'active').executeTakeFirst());

export const existingMembers = async (db: Db, workspaceId: string, ids: readonly string[]) =>
  ids.length ? (await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute()).map((r) => r.id) : [];
