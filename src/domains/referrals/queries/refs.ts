// Read-only looks at other domains' tables: members a code may belong to, the names and influence
// of the tree's nodes, a fission campaign a report names, and the workspace's language.
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';

export const activeMember = async (db: Db, workspaceId: string, memberId: string) =>
  Boolean(await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).where('id', '=', memberId).where('status', '=', 'active').executeTakeFirst());

/** A member of the workspace, active or not (a deactivated member's invitees stay in the tree). */
export const memberOf = async (db: Db, workspaceId: string, memberId: string) =>
  Boolean(await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).where('id', '=', memberId).executeTakeFirst());

export const activeMemberIds = async (db: Db, workspaceId: string) =>
  (await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).where('status', '=', 'active').execute()).map((r) => r.id);

/** Name and influence score (followers or KOL value, contacts.influence) of each contact. */
export const contactCards = async (db: Db, workspaceId: string, ids: readonly string[]) =>
  new Map(
    ids.length
      ? (await db.selectFrom('contacts').select(['id', 'name', 'influence']).where('workspace_id', '=', workspaceId).where('id', 'in', [...new Set(ids)]).execute()).map((r) => [r.id, r])
      : [],
  );


/** A fission campaign of the workspace (its table is typed in the fission domain only). */
export const campaignExists = async (db: Db, workspaceId: string, campaignId: string) =>
  (await sql`select 1 from fission_campaigns where workspace_id = ${workspaceId} and id = ${campaignId}`.execute(db)).rows.length > 0;

export const workspaceLocale = async (db: Db, workspaceId: string) => (await db.selectFrom('workspaces').select('locale').where('id', '=', workspaceId).executeTakeFirst())?.locale;
