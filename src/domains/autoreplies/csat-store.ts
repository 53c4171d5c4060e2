// SQL of satisfaction surveys. Every query is scoped to its workspace; the public page finds a
// survey by the workspace and survey ids its token carries.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { withOurs } from './db.js';

const columns = ['id', 'conversation_id', 'channel_id', 'team_id', 'member_id', 'token_hash', 'locale', 'message_id', 'rating', 'comment', 'answered_via', 'answered_at', 'expires_at', 'created_at'] as const;

export interface NewSurvey {
  conversationId: string;
  channelId: string;
  teamId: string | null;
  memberId: string | null;
  tokenHash: string;
  locale: string;
  expiresAt: Date;
}

export const insertSurvey = (db: Db, workspaceId: string, s: NewSurvey) =>
  withOurs(db)
    .insertInto('csat_surveys')
    .values({
      workspace_id: workspaceId,
      conversation_id: s.conversationId,
      channel_id: s.channelId,
      team_id: s.teamId,
      member_id: s.memberId,
      token_hash: s.tokenHash,
      locale: s.locale,
      expires_at: s.expiresAt,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();

export const setSurveyMessage = (db: Db, workspaceId: string, id: string, messageId: string) =>
  withOurs(db).updateTable('csat_surveys').set({ message_id: messageId }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** A new survey replaces the conversation's unanswered ones. */
export const expireOpen = (db: Db, workspaceId: string, conversationId: string) =>
  withOurs(db)
    .updateTable('csat_surveys')
    .set({ expires_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', '=', conversationId)
    .where('answered_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .execute();

/** The conversation's survey waiting for an answer, if any. */
export const openSurvey = (db: Db, workspaceId: string, conversationId: string) =>
  withOurs(db)
    .selectFrom('csat_surveys')
    .select(columns)
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', '=', conversationId)
    .where('answered_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();

export const findSurvey = (db: Db, workspaceId: string, id: string) =>
  withOurs(db).selectFrom('csat_surveys').select(columns).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

/** Records the one answer a survey takes; undefined when it was answered already or has expired. */
export const answerSurvey = (db: Db, workspaceId: string, id: string, a: { rating: number; comment: string | null; via: 'link' | 'reply' }) =>
  withOurs(db)
    .updateTable('csat_surveys')
    .set({ rating: a.rating, comment: a.comment, answered_via: a.via, answered_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('answered_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(columns)
    .executeTakeFirst();

/** Whether the conversation was sent a survey since a time. */
export const surveyedSince = async (db: Db, workspaceId: string, conversationId: string, since: Date) =>
  Boolean(
    await withOurs(db)
      .selectFrom('csat_surveys')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .where('created_at', '>=', since)
      .limit(1)
      .executeTakeFirst(),
  );
