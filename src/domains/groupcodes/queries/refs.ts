// Whether a conversation a group names is one of the workspace's group conversations (read-only,
// the inbox's table).
import type { Db } from '../../../platform/db/connect.js';

export const isGroupConversation = async (db: Db, workspaceId: string, conversationId: string) =>
  Boolean(await db.selectFrom('conversations').select('id').where('workspace_id', '=', workspaceId).where('id', '=', conversationId).where('kind', '=', 'group').executeTakeFirst());
