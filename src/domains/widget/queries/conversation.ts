// What a visitor may read of the inbox's tables (read-only; writes go through the inbox's intake):
// their one conversation on the channel (its thread key is their visitor id), its messages in and
// out — never notes — with their files, how many of ours they have not read, and whether anyone
// of the channel's team is online to answer.
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';
import { afterNewestFirst } from '../../../platform/http/pagination.js';

export const conversationOf = (db: Db, workspaceId: string, channelId: string, visitorId: string) =>
  db
    .selectFrom('conversations')
    .select(['id', 'contact_id', 'status'])
    .where('workspace_id', '=', workspaceId)
    .where('channel_id', '=', channelId)
    .where('thread_key', '=', visitorId)
    .executeTakeFirst();

/** The channel and thread of a conversation (the visitor sockets learn their new conversation by it). */
export const threadOf = (db: Db, workspaceId: string, conversationId: string) =>
  db.selectFrom('conversations').select(['channel_id', 'thread_key']).where('workspace_id', '=', workspaceId).where('id', '=', conversationId).executeTakeFirst();

const customerFacing = ['in', 'out'] as const;

/** Newest first; outbound messages that failed for good are not the visitor's to see. */
export const messagesOf = (db: Db, workspaceId: string, conversationId: string, page: { cursor?: string; limit: number }) => {
  const after = afterNewestFirst('created_at', 'id', page.cursor);
  return db
    .selectFrom('messages')
    .select(['id', 'direction', 'kind', 'body', 'status', 'provider_message_id', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', '=', conversationId)
    .where('direction', 'in', customerFacing)
    .where('status', '!=', 'failed')
    .$if(after !== undefined, (q) => q.where(after!))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
};

export const filesOf = (db: Db, workspaceId: string, messageIds: readonly string[]) =>
  messageIds.length
    ? db
        .selectFrom('attachments')
        .select(['id', 'message_id', 'file_name', 'mime_type', 'size_bytes'])
        .where('workspace_id', '=', workspaceId)
        .where('message_id', 'in', messageIds)
        .orderBy('created_at')
        .execute()
    : Promise.resolve([]);

/** A file of a customer-facing message of this conversation, or undefined. */
export const fileOf = (db: Db, workspaceId: string, conversationId: string, attachmentId: string) =>
  db
    .selectFrom('attachments as a')
    .innerJoin('messages as m', (j) => j.onRef('m.workspace_id', '=', 'a.workspace_id').onRef('m.id', '=', 'a.message_id'))
    .select(['a.file_name', 'a.mime_type', 'a.sha256'])
    .where('a.workspace_id', '=', workspaceId)
    .where('a.id', '=', attachmentId)
    .where('m.conversation_id', '=', conversationId)
    .where('m.direction', 'in', customerFacing)
    .executeTakeFirst();

/** Our messages to the visitor since `readAt` (all of them when never read). */
export async function unreadOf(db: Db, workspaceId: string, conversationId: string, readAt: Date | null) {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'out')
    .where('status', '!=', 'failed')
    .$if(readAt !== null, (q) => q.where('created_at', '>', readAt!))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Someone who may answer is online: a member of the team (any member when the channel has none) with inbox:write, online at a console. */
export async function anyoneOnline(db: Db, workspaceId: string, teamId: string | null): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`
    select 1 as one from agent_presence p
    join members m on m.workspace_id = p.workspace_id and m.id = p.member_id and m.status = 'active'
    join roles r on r.workspace_id = m.workspace_id and r.id = m.role_id and r.permissions @> array['inbox:write']
    where p.workspace_id = ${workspaceId} and p.connected and p.status = 'online'
      and (${teamId}::uuid is null or exists (select 1 from team_members tm where tm.workspace_id = p.workspace_id and tm.team_id = ${teamId}::uuid and tm.member_id = p.member_id))
    limit 1`.execute(db);
  return rows.length > 0;
}
