import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { afterNewestFirst } from '../../platform/http/pagination.js';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

const status = sql<InvitationStatus>`case when i.accepted_at is not null then 'accepted'
                                          when i.revoked_at is not null then 'revoked'
                                          when i.expires_at <= now() then 'expired'
                                          else 'pending' end`;

const pending = sql<boolean>`i.accepted_at is null and i.revoked_at is null and i.expires_at > now()`;

const invitations = (db: Db, workspaceId: string) =>
  db
    .selectFrom('invitations as i')
    .innerJoin('roles as r', (j) => j.onRef('r.workspace_id', '=', 'i.workspace_id').onRef('r.id', '=', 'i.role_id'))
    .innerJoin('members as by', (j) => j.onRef('by.workspace_id', '=', 'i.workspace_id').onRef('by.id', '=', 'i.invited_by'))
    .innerJoin('users as byu', 'byu.id', 'by.user_id')
    .select(['i.id', 'i.email', 'r.id as role_id', 'r.key as role_key', 'r.name as role_name', 'i.expires_at', 'i.created_at', 'by.id as invited_by', 'byu.name as invited_by_name'])
    .select([sql<string[]>`i.team_ids::text[]`.as('team_ids'), status.as('status')])
    .where('i.workspace_id', '=', workspaceId);

export const listInvitations = (db: Db, workspaceId: string, page: { cursor?: string; limit: number }) => {
  const after = afterNewestFirst('i.created_at', 'i.id', page.cursor);
  return invitations(db, workspaceId)
    .$if(Boolean(after), (q) => q.where(after!))
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(page.limit + 1)
    .execute();
};

export const findInvitation = (db: Db, workspaceId: string, id: string) =>
  invitations(db, workspaceId).where('i.id', '=', id).executeTakeFirst();

export const insertInvitation = (
  db: Db,
  workspaceId: string,
  inv: { email: string; roleId: string; teamIds: string[]; tokenHash: string; invitedBy: string; expiresAt: Date },
) =>
  db
    .insertInto('invitations')
    .values({
      workspace_id: workspaceId,
      email: inv.email,
      role_id: inv.roleId,
      team_ids: inv.teamIds,
      token_hash: inv.tokenHash,
      invited_by: inv.invitedBy,
      expires_at: inv.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export const revokeInvitation = (db: Db, workspaceId: string, id: string) =>
  db.updateTable('invitations').set({ revoked_at: sql<Date>`now()` }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** Revokes the pending invitations to an address, so only the newest link works. */
export const revokePendingFor = async (db: Db, workspaceId: string, email: string) =>
  (
    await db
      .updateTable('invitations as i')
      .set({ revoked_at: sql<Date>`now()` })
      .where('i.workspace_id', '=', workspaceId)
      .where('i.email', '=', email)
      .where(pending)
      .returning('i.id')
      .execute()
  ).map((r) => r.id);

/**
 * The pending invitation behind a link. The token is the only key the invitee has, so this is the
 * one lookup not scoped by a workspace id; the token hash is unique across workspaces.
 */
export const findPendingByToken = (db: Db, tokenHash: string) =>
  db
    .selectFrom('invitations as i')
    .innerJoin('workspaces as w', 'w.id', 'i.workspace_id')
    .select(['i.workspace_id', 'i.id', 'i.email', 'i.role_id', sql<string[]>`i.team_ids::text[]`.as('team_ids'), 'w.name as workspace_name'])
    .where('i.token_hash', '=', tokenHash)
    .where(pending)
    .executeTakeFirst();

/** Locks a pending invitation for acceptance; a second, concurrent acceptance finds nothing. */
export const lockPending = (db: Db, workspaceId: string, id: string) =>
  db
    .selectFrom('invitations as i')
    .select(['i.id', 'i.email', 'i.role_id', sql<string[]>`i.team_ids::text[]`.as('team_ids')])
    .where('i.workspace_id', '=', workspaceId)
    .where('i.id', '=', id)
    .where(pending)
    .forUpdate()
    .executeTakeFirst();

export const markAccepted = (db: Db, workspaceId: string, id: string) =>
  db.updateTable('invitations').set({ accepted_at: sql<Date>`now()` }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** Drops a deleted team from the invitations that would have put people in it. */
export const forgetTeam = (db: Db, workspaceId: string, teamId: string) =>
  db
    .updateTable('invitations')
    .set({ team_ids: sql<string[]>`array_remove(team_ids, ${teamId}::uuid)` })
    .where('workspace_id', '=', workspaceId)
    .where(sql<boolean>`${teamId}::uuid = any(team_ids)`)
    .execute();
