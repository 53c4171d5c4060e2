// SQL of automatic assignment: team settings, the queue, and the lock that makes assignment in a
// workspace one at a time. Every query is scoped to its workspace, except the sweep's look for
// queues across workspaces.
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';
import type { AssignmentMode } from '../tables.js';

/**
 * Every assignment change in the workspace (automatic, by hand, by transfer) takes this lock
 * first, before any conversation row: so two processes never hand out the same conversation or
 * the same agent's last free place, and lock order is the same everywhere (no deadlock).
 */
export const lockAssignments = (db: Db, workspaceId: string) =>
  sql`select pg_advisory_xact_lock(hashtextextended(${`renmai.inbox.assign:${workspaceId}`}, 0))`.execute(db);

export const findSettings = (db: Db, workspaceId: string, teamId: string) =>
  db.selectFrom('inbox_team_settings').selectAll().where('workspace_id', '=', workspaceId).where('team_id', '=', teamId).executeTakeFirst();

export interface SettingsInput {
  autoAssign: boolean;
  mode: AssignmentMode;
  agentCap: number | null;
}

export const saveSettings = (db: Db, workspaceId: string, teamId: string, s: SettingsInput) =>
  db
    .insertInto('inbox_team_settings')
    .values({ workspace_id: workspaceId, team_id: teamId, auto_assign: s.autoAssign, mode: s.mode, agent_cap: s.agentCap })
    .onConflict((oc) => oc.columns(['workspace_id', 'team_id']).doUpdateSet({ auto_assign: s.autoAssign, mode: s.mode, agent_cap: s.agentCap, updated_at: sql<Date>`now()` }))
    .execute();

const waiting = (db: Db, workspaceId: string, teamId: string) =>
  db
    .selectFrom('conversations')
    .where('workspace_id', '=', workspaceId)
    .where('team_id', '=', teamId)
    .where('assignee_member_id', 'is', null)
    .where('status', '=', 'open')
    .where('waiting_since', 'is not', null);

/** The team's longest-waiting unassigned conversation. */
export const nextWaiting = async (db: Db, workspaceId: string, teamId: string) =>
  (await waiting(db, workspaceId, teamId).select('id').orderBy('waiting_since').orderBy('id').limit(1).executeTakeFirst())?.id;

export const queueStats = (db: Db, workspaceId: string, teamId: string) =>
  waiting(db, workspaceId, teamId)
    .select([sql<number>`count(*)`.as('waiting'), sql<Date | null>`min(waiting_since)`.as('oldest')])
    .executeTakeFirstOrThrow();

/** The conversation locked, with what decides whether it still waits and who may see it. */
export const lockConversation = (db: Db, workspaceId: string, id: string) =>
  db
    .selectFrom('conversations as conv')
    .innerJoin('channels as ch', (j) => j.onRef('ch.workspace_id', '=', 'conv.workspace_id').onRef('ch.id', '=', 'conv.channel_id'))
    .select(['conv.id', 'conv.channel_id', 'conv.team_id', 'ch.team_id as channel_team_id', 'conv.assignee_member_id', 'conv.status', 'conv.waiting_since'])
    .where('conv.workspace_id', '=', workspaceId)
    .where('conv.id', '=', id)
    .forUpdate('conv')
    .executeTakeFirst();

/** Records whom the team gave one to: round-robin's place and least-busy's tie-break. */
export async function recordAssignment(db: Db, workspaceId: string, teamId: string, memberId: string) {
  await db.updateTable('inbox_team_settings').set({ last_assigned_member_id: memberId }).where('workspace_id', '=', workspaceId).where('team_id', '=', teamId).execute();
  await db.updateTable('agent_presence').set({ last_assigned_at: sql<Date>`now()` }).where('workspace_id', '=', workspaceId).where('member_id', '=', memberId).execute();
}

/** Teams (of any workspace) that assign automatically and have someone waiting: the sweep's work. */
export const teamsWithQueues = (db: Db) =>
  db
    .selectFrom('inbox_team_settings as s')
    .select(['s.workspace_id', 's.team_id'])
    .where('s.auto_assign', '=', true)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('conversations as c')
          .select(sql`1`.as('one'))
          .whereRef('c.workspace_id', '=', 's.workspace_id')
          .whereRef('c.team_id', '=', 's.team_id')
          .where('c.assignee_member_id', 'is', null)
          .where('c.status', '=', 'open')
          .where('c.waiting_since', 'is not', null),
      ),
    )
    .execute();
