// Whether ids a setting names belong to the workspace (read-only, other domains' tables).
import type { Db } from '../../../platform/db/connect.js';

export const teamExists = async (db: Db, workspaceId: string, teamId: string) =>
  Boolean(await db.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).where('id', '=', teamId).executeTakeFirst());

export const channelExists = async (db: Db, workspaceId: string, channelId: string) =>
  Boolean(await db.selectFrom('channels').select('id').where('workspace_id', '=', workspaceId).where('id', '=', channelId).executeTakeFirst());
