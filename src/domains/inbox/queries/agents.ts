// Agents as assignment and presence see them: members (workspaces domain) with their role's
// permissions, their teams, their presence and their load (open conversations assigned to them).
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';
import type { PresenceStatus } from '../tables.js';

/** Online in presence, and only while a console socket keeps them connected. */
const effectiveStatus = sql<PresenceStatus>`case when p.connected then p.status else 'offline' end`;

const openLoad = sql<number>`(select count(*) from conversations c
  where c.workspace_id = m.workspace_id and c.assignee_member_id = m.id and c.status = 'open')`;

export interface Candidate {
  memberId: string;
  open: number;
  lastAssignedAt: Date | null;
}

/**
 * The team's agents who may take a conversation now: active, allowed to reply (inbox:write) and
 * online; with their open conversations. Ordered by member id (round-robin's order).
 */
export async function onlineAgents(db: Db, workspaceId: string, teamId: string): Promise<Candidate[]> {
  const { rows } = await sql<{ member_id: string; open: number; last_assigned_at: Date | null }>`
    select m.id as member_id, ${openLoad} as open, p.last_assigned_at
    from team_members tm
    join members m on m.workspace_id = tm.workspace_id and m.id = tm.member_id and m.status = 'active'
    join roles r on r.workspace_id = m.workspace_id and r.id = m.role_id and r.permissions @> array['inbox:write']
    join agent_presence p on p.workspace_id = m.workspace_id and p.member_id = m.id and p.connected and p.status = 'online'
    where tm.workspace_id = ${workspaceId} and tm.team_id = ${teamId}
    order by m.id`.execute(db);
  return rows.map((r) => ({ memberId: r.member_id, open: Number(r.open), lastAssignedAt: r.last_assigned_at }));
}

/** The member's teams that hand out conversations automatically. */
export async function autoTeamsOf(db: Db, workspaceId: string, memberId: string): Promise<string[]> {
  const { rows } = await sql<{ team_id: string }>`
    select tm.team_id from team_members tm
    join inbox_team_settings s on s.workspace_id = tm.workspace_id and s.team_id = tm.team_id and s.auto_assign
    where tm.workspace_id = ${workspaceId} and tm.member_id = ${memberId}`.execute(db);
  return rows.map((r) => r.team_id);
}

export const teamExists = async (db: Db, workspaceId: string, teamId: string) =>
  Boolean(await db.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).where('id', '=', teamId).executeTakeFirst());

export interface AgentRow {
  memberId: string;
  status: PresenceStatus;
  chosenStatus: PresenceStatus;
  lastSeenAt: Date | null;
  openConversations: number;
}

/** The workspace's active members (or one team's, or one) with presence and load, by member id. */
export async function listAgents(db: Db, workspaceId: string, filter: { teamId?: string; memberId?: string; afterId?: string; limit: number }): Promise<AgentRow[]> {
  const { rows } = await sql<{ member_id: string; status: PresenceStatus; chosen: PresenceStatus | null; last_seen_at: Date | null; open: number }>`
    select m.id as member_id, ${effectiveStatus} as status, p.status as chosen, p.last_seen_at, ${openLoad} as open
    from members m
    left join agent_presence p on p.workspace_id = m.workspace_id and p.member_id = m.id
    where m.workspace_id = ${workspaceId} and m.status = 'active'
      ${filter.teamId ? sql`and exists (select 1 from team_members tm where tm.workspace_id = m.workspace_id and tm.member_id = m.id and tm.team_id = ${filter.teamId})` : sql``}
      ${filter.memberId ? sql`and m.id = ${filter.memberId}` : sql``}
      ${filter.afterId ? sql`and m.id > ${filter.afterId}` : sql``}
    order by m.id
    limit ${filter.limit}`.execute(db);
  return rows.map((r) => ({ memberId: r.member_id, status: r.status, chosenStatus: r.chosen ?? 'online', lastSeenAt: r.last_seen_at, openConversations: Number(r.open) }));
}
