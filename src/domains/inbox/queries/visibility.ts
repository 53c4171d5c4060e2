// Who sees a conversation, in SQL (every list, get, search and unread count goes through it).
// live/viewer.ts decides the same for websocket pushes in memory; viewer.test.ts holds the two
// to the same answers.
//
// - A member whose data scope is `all` (owners, admins) sees every conversation.
// - Anyone sees a conversation assigned to them.
// - Otherwise the conversation must be of the member's teams — its own team (the channel's when
//   it started, another after a transfer) or its channel's current team — or, when neither has
//   a team, of the whole workspace; and it must be unassigned (to pick it up) or assigned within
//   the member's data scope (own / team / team tree), like a contact's owner.
// With the `team_tree` scope a member's teams include every team below theirs.
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import { visibleOwner } from '../../../platform/auth/scope.js';

/** The ids of the member's teams (and, for `team_tree`, every team below them). */
function teamsOf(actor: Actor): RawBuilder<unknown> {
  if (actor.scope !== 'team_tree') {
    return sql`select mine.team_id from team_members mine where mine.workspace_id = ${actor.workspaceId} and mine.member_id = ${actor.memberId}`;
  }
  return sql`with recursive tree (id) as (
      select mine.team_id from team_members mine where mine.workspace_id = ${actor.workspaceId} and mine.member_id = ${actor.memberId}
      union
      select t.id from teams t join tree on t.parent_id = tree.id where t.workspace_id = ${actor.workspaceId}
    ) select id from tree`;
}

export function visibleConversation(actor: Actor, alias = 'conv'): Expression<SqlBool> {
  if (actor.scope === 'all') return sql<SqlBool>`true`;
  const assignee = sql.ref(`${alias}.assignee_member_id`);
  const team = sql.ref(`${alias}.team_id`);
  const channel = sql.ref(`${alias}.channel_id`);
  const teams = teamsOf(actor);
  return sql<SqlBool>`(${assignee} = ${actor.memberId} or (
    (${team} in (${teams})
      or ${channel} in (select ch.id from channels ch where ch.workspace_id = ${actor.workspaceId} and ch.team_id in (${teams}))
      or (${team} is null and ${channel} in (select ch.id from channels ch where ch.workspace_id = ${actor.workspaceId} and ch.team_id is null)))
    and (${assignee} is null or ${visibleOwner(actor, `${alias}.assignee_member_id`)})))`;
}
