import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';

const teams = (db: Db, workspaceId: string) =>
  db
    .selectFrom('teams as t')
    .select(['t.id', 't.name', 't.parent_id', 't.created_at'])
    .select(
      sql<string[]>`array(select tm.member_id::text from team_members tm
                           where tm.workspace_id = t.workspace_id and tm.team_id = t.id order by tm.member_id)`.as('member_ids'),
    )
    .where('t.workspace_id', '=', workspaceId);

/** Every team, flat; creation is capped, so this is the whole tree. */
export const listTeams = (db: Db, workspaceId: string, cap: number) =>
  teams(db, workspaceId).orderBy(sql`lower(t.name)`).orderBy('t.id').limit(cap).execute();

export const findTeam = (db: Db, workspaceId: string, id: string) => teams(db, workspaceId).where('t.id', '=', id).executeTakeFirst();

export const countTeams = async (db: Db, workspaceId: string) =>
  (await db.selectFrom('teams').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n;

export const countChildren = async (db: Db, workspaceId: string, id: string) =>
  (
    await db
      .selectFrom('teams')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('parent_id', '=', id)
      .executeTakeFirstOrThrow()
  ).n;

/** Whether `candidate` is `root` or sits anywhere below it. */
export const isWithin = async (db: Db, workspaceId: string, root: string, candidate: string) => {
  const { rows } = await sql<{ found: boolean }>`
    with recursive subtree (id) as (
      select ${root}::uuid
      union
      select t.id from teams t join subtree s on t.parent_id = s.id where t.workspace_id = ${workspaceId}
    )
    select exists (select 1 from subtree where id = ${candidate}::uuid) as found`.execute(db);
  return Boolean(rows[0]?.found);
};

/**
 * Serialises changes to the shape of a workspace's team tree. Without it, moving A under B while
 * another request moves B under A could each pass the cycle check and together make a loop.
 * NO KEY UPDATE does not block inserts that reference the workspace row.
 */
export const lockTeamTree = (db: Db, workspaceId: string) =>
  db.selectFrom('workspaces').select('id').where('id', '=', workspaceId).forNoKeyUpdate().execute();

export const insertTeam = (db: Db, workspaceId: string, team: { name: string; parentId: string | null }) =>
  db.insertInto('teams').values({ workspace_id: workspaceId, name: team.name, parent_id: team.parentId }).returning('id').executeTakeFirstOrThrow();

export const updateTeam = (db: Db, workspaceId: string, id: string, patch: { name?: string; parent_id?: string | null }) =>
  db.updateTable('teams').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export const deleteTeam = (db: Db, workspaceId: string, id: string) =>
  db.deleteFrom('teams').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** The ids among `ids` that are teams of the workspace. */
export const existingTeamIds = async (db: Db, workspaceId: string, ids: readonly string[]) =>
  ids.length ? (await db.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', [...ids]).execute()).map((r) => r.id) : [];

export const replaceTeamMembers = async (db: Db, workspaceId: string, teamId: string, memberIds: readonly string[]) => {
  await db.deleteFrom('team_members').where('workspace_id', '=', workspaceId).where('team_id', '=', teamId).execute();
  if (memberIds.length) {
    await db
      .insertInto('team_members')
      .values(memberIds.map((memberId) => ({ workspace_id: workspaceId, team_id: teamId, member_id: memberId })))
      .execute();
  }
};

export const addToTeams = async (db: Db, workspaceId: string, memberId: string, teamIds: readonly string[]) => {
  if (!teamIds.length) return;
  await db
    .insertInto('team_members')
    .values(teamIds.map((teamId) => ({ workspace_id: workspaceId, team_id: teamId, member_id: memberId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
};
