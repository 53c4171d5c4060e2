// Teams nest like departments. Data scopes `team` and `team_tree` read this tree, so its shape
// is guarded: no loops, no orphaned sub-teams, members only from this workspace.
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { conflict, notFound } from '../../platform/http/errors.js';
import { forgetTeam } from './invitations-store.js';
import { existingMemberIds } from './members-store.js';
import * as store from './teams-store.js';

/** Teams per workspace; the list returns them all, so the console can draw the whole tree. */
export const MAX_TEAMS = 1000;

type TeamRow = NonNullable<Awaited<ReturnType<typeof store.findTeam>>>;

const toTeam = (r: TeamRow) => ({ id: r.id, name: r.name, parentId: r.parent_id, memberIds: r.member_ids, createdAt: r.created_at });
export type Team = ReturnType<typeof toTeam>;

const snapshot = (r: { name: string; parent_id: string | null }) => ({ name: r.name, parentId: r.parent_id });

export async function listTeams(db: Db, actor: Actor) {
  requireAccess(actor, 'teams:read');
  return { items: (await store.listTeams(db, actor.workspaceId, MAX_TEAMS)).map(toTeam), nextCursor: null };
}

export async function createTeam(db: Db, actor: Actor, input: { name: string; parentId?: string | null }) {
  requireAccess(actor, 'teams:write');
  return inTransaction(db, async (tx) => {
    await store.lockTeamTree(tx, actor.workspaceId);
    if ((await store.countTeams(tx, actor.workspaceId)) >= MAX_TEAMS) throw conflict(`A workspace can have at most ${MAX_TEAMS} teams`);
    const parentId = input.parentId ?? null;
    if (parentId) await existingTeam(tx, actor.workspaceId, parentId, 'Parent team');
    const { id } = await store.insertTeam(tx, actor.workspaceId, { name: input.name, parentId });
    await recordAudit(tx, actor, { action: 'team.created', entityType: 'team', entityId: id, after: { name: input.name, parentId } });
    return toTeam((await store.findTeam(tx, actor.workspaceId, id))!);
  });
}

export async function updateTeam(db: Db, actor: Actor, id: string, patch: { name?: string; parentId?: string | null }) {
  requireAccess(actor, 'teams:write');
  return inTransaction(db, async (tx) => {
    await store.lockTeamTree(tx, actor.workspaceId);
    const before = await existingTeam(tx, actor.workspaceId, id, 'Team');
    if (patch.parentId) {
      await existingTeam(tx, actor.workspaceId, patch.parentId, 'Parent team');
      if (await store.isWithin(tx, actor.workspaceId, id, patch.parentId)) {
        throw conflict('A team cannot move under itself or one of its sub-teams');
      }
    }
    if (patch.name === undefined && patch.parentId === undefined) return toTeam(before);
    await store.updateTeam(tx, actor.workspaceId, id, { name: patch.name, parent_id: patch.parentId });
    const after = (await store.findTeam(tx, actor.workspaceId, id))!;
    await recordAudit(tx, actor, { action: 'team.updated', entityType: 'team', entityId: id, before: snapshot(before), after: snapshot(after) });
    return toTeam(after);
  });
}

export async function deleteTeam(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'teams:write');
  await inTransaction(db, async (tx) => {
    await store.lockTeamTree(tx, actor.workspaceId);
    const team = await existingTeam(tx, actor.workspaceId, id, 'Team');
    if ((await store.countChildren(tx, actor.workspaceId, id)) > 0) throw conflict('This team has sub-teams; move or delete them first');
    await forgetTeam(tx, actor.workspaceId, id);
    await store.deleteTeam(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'team.deleted', entityType: 'team', entityId: id, before: { ...snapshot(team), memberIds: team.member_ids } });
  });
}

/** Replaces the team's members with exactly `memberIds`. */
export async function setTeamMembers(db: Db, actor: Actor, id: string, memberIds: string[]) {
  requireAccess(actor, 'teams:write');
  const wanted = [...new Set(memberIds)];
  return inTransaction(db, async (tx) => {
    const before = await existingTeam(tx, actor.workspaceId, id, 'Team');
    const found = new Set(await existingMemberIds(tx, actor.workspaceId, wanted));
    if (found.size !== wanted.length) throw notFound('Member');
    await store.replaceTeamMembers(tx, actor.workspaceId, id, wanted);
    const after = (await store.findTeam(tx, actor.workspaceId, id))!;
    await recordAudit(tx, actor, {
      action: 'team.members_set',
      entityType: 'team',
      entityId: id,
      before: { memberIds: before.member_ids },
      after: { memberIds: after.member_ids },
    });
    return toTeam(after);
  });
}

async function existingTeam(tx: Db, workspaceId: string, id: string, what: string) {
  const team = await store.findTeam(tx, workspaceId, id);
  if (!team) throw notFound(what);
  return team;
}
