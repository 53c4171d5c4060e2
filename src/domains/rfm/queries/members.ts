import type { Db } from '../../../platform/db/connect.js';

/** Whether `memberId` is an active member of the workspace (a rule's fallback assignee must be). */
export const isActiveMember = async (db: Db, workspaceId: string, memberId: string) =>
  Boolean(await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).where('id', '=', memberId).where('status', '=', 'active').executeTakeFirst());
