// What the automatic replies read of the inbox and its neighbours: a message with its
// conversation and channel, and the values canned responses and surveys fill in.
import type { Db } from '../../../platform/db/connect.js';

/** A message, its conversation's contact, team and status, and its channel's team and name. */
export const messageInConversation = (db: Db, workspaceId: string, messageId: string) =>
  db
    .selectFrom('messages as m')
    .innerJoin('conversations as conv', (j) => j.onRef('conv.workspace_id', '=', 'm.workspace_id').onRef('conv.id', '=', 'm.conversation_id'))
    .innerJoin('channels as ch', (j) => j.onRef('ch.workspace_id', '=', 'm.workspace_id').onRef('ch.id', '=', 'm.channel_id'))
    .select(['m.id', 'm.direction', 'm.body', 'm.content', 'm.created_at', 'conv.id as conversation_id', 'conv.contact_id', 'conv.channel_id', 'ch.team_id as channel_team_id'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.id', '=', messageId)
    .executeTakeFirst();

export const conversationFacts = (db: Db, workspaceId: string, conversationId: string) =>
  db
    .selectFrom('conversations as conv')
    .select(['conv.id', 'conv.channel_id', 'conv.contact_id', 'conv.team_id', 'conv.assignee_member_id', 'conv.status'])
    .where('conv.workspace_id', '=', workspaceId)
    .where('conv.id', '=', conversationId)
    .executeTakeFirst();

/** The contact, channel and workspace of a conversation, and a member (the agent), for templates. */
export async function templateFacts(db: Db, workspaceId: string, conversationId: string, memberId: string | null) {
  const row = await db
    .selectFrom('conversations as conv')
    .innerJoin('channels as ch', (j) => j.onRef('ch.workspace_id', '=', 'conv.workspace_id').onRef('ch.id', '=', 'conv.channel_id'))
    .innerJoin('workspaces as w', 'w.id', 'conv.workspace_id')
    .leftJoin('contacts as c', (j) => j.onRef('c.workspace_id', '=', 'conv.workspace_id').onRef('c.id', '=', 'conv.contact_id'))
    .select(['c.name', 'c.company', 'c.email', 'c.phone', 'c.title', 'c.city', 'ch.name as channel_name', 'w.name as workspace_name', 'w.locale'])
    .where('conv.workspace_id', '=', workspaceId)
    .where('conv.id', '=', conversationId)
    .executeTakeFirst();
  const agent = memberId
    ? await db
        .selectFrom('members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select(['u.name', 'u.email'])
        .where('m.workspace_id', '=', workspaceId)
        .where('m.id', '=', memberId)
        .executeTakeFirst()
    : undefined;
  return row && { ...row, agentName: agent?.name ?? null, agentEmail: agent?.email ?? null };
}
