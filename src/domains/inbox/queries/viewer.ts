// What a member's socket needs to decide visibility in memory (live/viewer.ts): their teams and
// the teammates whose conversations their data scope covers. Read from the workspaces domain's
// team tables; reloaded at every socket refresh.
import { sql } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Db } from '../../../platform/db/connect.js';

export async function teamsAndMates(db: Db, actor: Actor): Promise<{ teams: string[]; mates: string[] }> {
  const direct = sql`select mine.team_id as id from team_members mine where mine.workspace_id = ${actor.workspaceId} and mine.member_id = ${actor.memberId}`;
  const scoped =
    actor.scope === 'team_tree'
      ? sql`with recursive tree (id) as (${direct} union select t.id from teams t join tree on t.parent_id = tree.id where t.workspace_id = ${actor.workspaceId}) select id from tree`
      : direct;
  const { rows: teams } = await sql<{ id: string }>`${scoped}`.execute(db);
  if (actor.scope === 'own' || !teams.length) return { teams: teams.map((t) => t.id), mates: [] };
  const { rows: mates } = await sql<{ member_id: string }>`
    select distinct mate.member_id from team_members mate
    where mate.workspace_id = ${actor.workspaceId} and mate.team_id = any(${teams.map((t) => t.id)}::uuid[])`.execute(db);
  return { teams: teams.map((t) => t.id), mates: mates.map((m) => m.member_id) };
}
