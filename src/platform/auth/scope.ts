// Row-level data scopes, enforced in SQL by every store that lists or changes owned records.
// A member always sees their own records; `team` adds their teams' members', `team_tree` adds
// those of every team below theirs, `all` sees the workspace.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { DataScope } from './permissions.js';

export interface Visibility {
  workspaceId: string;
  memberId: string;
  scope: DataScope;
}

export function visibleOwner(v: Visibility, ownerColumn: string): Expression<SqlBool> {
  const owner = sql.ref(ownerColumn);
  switch (v.scope) {
    case 'all':
      return sql<SqlBool>`true`;
    case 'own':
      return sql<SqlBool>`${owner} = ${v.memberId}`;
    case 'team':
      return sql<SqlBool>`(${owner} = ${v.memberId} or ${owner} in (
        select mate.member_id from team_members mate
        where mate.workspace_id = ${v.workspaceId}
          and mate.team_id in (select mine.team_id from team_members mine
                               where mine.workspace_id = ${v.workspaceId} and mine.member_id = ${v.memberId})))`;
    case 'team_tree':
      return sql<SqlBool>`(${owner} = ${v.memberId} or ${owner} in (
        with recursive tree (id) as (
          select mine.team_id from team_members mine
          where mine.workspace_id = ${v.workspaceId} and mine.member_id = ${v.memberId}
          union
          select t.id from teams t join tree on t.parent_id = tree.id where t.workspace_id = ${v.workspaceId}
        )
        select mate.member_id from team_members mate
        where mate.workspace_id = ${v.workspaceId} and mate.team_id in (select id from tree)))`;
  }
}
