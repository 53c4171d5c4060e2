// SQL of messages and their attachments. Every query is scoped to its workspace.
import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { afterNewestFirst } from '../../platform/http/pagination.js';
import { searchVector } from './search.js';
import type { MessageKind } from '../../channels/index.js';
import type { Direction, MessageStatus, MessagesTable } from './tables.js';

export type MessageRow = Omit<Selectable<MessagesTable>, 'search'>;

const columns = [
  'id', 'conversation_id', 'channel_id', 'direction', 'kind', 'body', 'content', 'author_member_id', 'sender_contact_id', 'mentions', 'provider_message_id', 'status',
  'attempts', 'last_error', 'last_error_reason', 'next_attempt_at', 'sent_at', 'delivered_at', 'read_at', 'failed_at', 'created_at', 'workspace_id',
] as const;

export interface NewMessage {
  conversationId: string;
  channelId: string;
  direction: Direction;
  kind: MessageKind;
  body: string | null;
  content: Record<string, unknown>;
  authorMemberId: string | null;
  /** Who wrote an inbound message (in a group, the participant). */
  senderContactId?: string | null;
  mentions?: string[];
  providerMessageId: string | null;
  status: MessageStatus;
  createdAt?: Date;
}

/** Undefined when the provider's id is already stored (a redelivery under another event id). */
export const insertMessage = (db: Db, workspaceId: string, m: NewMessage) =>
  db
    .insertInto('messages')
    .values({
      workspace_id: workspaceId,
      conversation_id: m.conversationId,
      channel_id: m.channelId,
      direction: m.direction,
      kind: m.kind,
      body: m.body,
      content: JSON.stringify(m.content),
      author_member_id: m.authorMemberId,
      sender_contact_id: m.senderContactId ?? null,
      mentions: m.mentions ?? [],
      provider_message_id: m.providerMessageId,
      status: m.status,
      search: searchVector(m.body),
      ...(m.createdAt ? { created_at: m.createdAt } : {}),
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'channel_id', 'provider_message_id']).where('provider_message_id', 'is not', null).doNothing())
    .returning(columns)
    .executeTakeFirst();

export const findMessage = (db: Db, workspaceId: string, id: string) =>
  db.selectFrom('messages').select(columns).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

/** A conversation's messages, newest first. */
export const listMessages = (db: Db, workspaceId: string, conversationId: string, page: { cursor?: string; limit: number }) => {
  const after = afterNewestFirst('created_at', 'id', page.cursor);
  return db
    .selectFrom('messages')
    .select(columns)
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', '=', conversationId)
    .$if(after !== undefined, (q) => q.where(after!))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
};

export const attachmentsOf = (db: Db, workspaceId: string, messageIds: readonly string[]) =>
  messageIds.length
    ? db
        .selectFrom('attachments')
        .select(['id', 'message_id', 'file_name', 'mime_type', 'size_bytes', 'sha256'])
        .where('workspace_id', '=', workspaceId)
        .where('message_id', 'in', messageIds)
        .orderBy('created_at')
        .execute()
    : Promise.resolve([]);

export const findAttachment = (db: Db, workspaceId: string, id: string) =>
  db.selectFrom('attachments').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

/** Gives unattached files to a message; only the uploader's own uploads when `uploadedBy` is set. Returns how many. */
export async function attach(db: Db, workspaceId: string, messageId: string, ids: readonly string[], uploadedBy?: string) {
  if (!ids.length) return 0;
  const r = await db
    .updateTable('attachments')
    .set({ message_id: messageId })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .where('message_id', 'is', null)
    .$if(uploadedBy !== undefined, (q) => q.where('uploaded_by', '=', uploadedBy!))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

const statusRank: Record<string, number> = { queued: 0, sent: 1, delivered: 2, read: 3 };

/** A provider's delivery or read report; never moves a message backwards (read stays read). */
export const applyDeliveryStatus = (db: Db, workspaceId: string, channelId: string, providerMessageId: string, status: 'delivered' | 'read' | 'failed', at: Date, error?: string, reason?: string) =>
  db
    .updateTable('messages')
    .set(
      status === 'failed'
        ? { status: 'failed', failed_at: at, last_error: error ?? 'Reported failed by the provider', last_error_reason: reason ?? null }
        : {
            status,
            ...(status === 'delivered' ? { delivered_at: sql<Date>`coalesce(delivered_at, ${at})` } : { read_at: sql<Date>`coalesce(read_at, ${at})`, delivered_at: sql<Date>`coalesce(delivered_at, ${at})` }),
          },
    )
    .where('workspace_id', '=', workspaceId)
    .where('channel_id', '=', channelId)
    .where('provider_message_id', '=', providerMessageId)
    .where('direction', '=', 'out')
    .$if(status !== 'failed', (q) => q.where(sql<boolean>`(case status when 'queued' then 0 when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 else 9 end) < ${statusRank[status]!}`))
    .returning(['id', 'conversation_id'])
    .executeTakeFirst();

export const markSent = (db: Db, workspaceId: string, id: string, providerMessageId: string) =>
  db
    .updateTable('messages')
    .set({ status: 'sent', provider_message_id: providerMessageId, sent_at: sql<Date>`now()`, attempts: sql<number>`attempts + 1`, next_attempt_at: null, last_error: null, last_error_reason: null })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();

export const markAttemptFailed = (db: Db, workspaceId: string, id: string, error: string, retryInMs: number | null, reason: string | null = null) =>
  db
    .updateTable('messages')
    .set({
      attempts: sql<number>`attempts + 1`,
      last_error: error,
      last_error_reason: reason,
      next_attempt_at: retryInMs === null ? null : sql<Date>`now() + ${`${retryInMs} milliseconds`}::interval`,
      ...(retryInMs === null ? { status: 'failed' as const, failed_at: sql<Date>`now()` } : {}),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();

/** A dead letter goes back to the queue with its attempts reset; false unless it was failed. */
export async function requeue(db: Db, workspaceId: string, id: string) {
  const r = await db
    .updateTable('messages')
    .set({ status: 'queued', attempts: 0, failed_at: null, next_attempt_at: null })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .where('direction', '=', 'out')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export const listDeadLetters = (db: Db, workspaceId: string, f: { channelId?: string; cursor?: string; limit: number }) => {
  const after = afterNewestFirst('failed_at', 'id', f.cursor);
  return db
    .selectFrom('messages')
    .select(columns)
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'failed')
    .where('direction', '=', 'out')
    .$if(f.channelId !== undefined, (q) => q.where('channel_id', '=', f.channelId!))
    .$if(after !== undefined, (q) => q.where(after!))
    .orderBy('failed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
};

/** Messages whose text matches a search (search.ts), in conversations the actor may see, newest first. */
export const searchMessages = (db: Db, workspaceId: string, query: string, visible: Expression<SqlBool>, page: { cursor?: string; limit: number }) => {
  const after = afterNewestFirst('m.created_at', 'm.id', page.cursor);
  return db
    .selectFrom('messages as m')
    .innerJoin('conversations as conv', (j) => j.onRef('conv.workspace_id', '=', 'm.workspace_id').onRef('conv.id', '=', 'm.conversation_id'))
    .select(columns.map((c) => `m.${c}` as const))
    .where('m.workspace_id', '=', workspaceId)
    .where(sql<boolean>`m.search @@ ${query}::tsquery`)
    .where(visible)
    .$if(after !== undefined, (q) => q.where(after!))
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(page.limit + 1)
    .execute();
};
