// The signed-in person as the console sees them: profile, active workspace, role and teams.
import type { Db } from '../db/connect.js';
import { notFound } from '../http/errors.js';
import type { SessionInfo } from '../http/context.js';
import * as store from './store.js';

export async function describeMe(db: Db, session: SessionInfo) {
  const user = await store.findUserById(db, session.userId);
  if (!user) throw notFound('User');
  const workspaces = await store.listUserWorkspaces(db, user.id);
  const activeId = session.activeWorkspaceId;
  const [workspace, grant] = activeId
    ? await Promise.all([store.findWorkspace(db, activeId), store.findMemberGrant(db, activeId, user.id)])
    : [undefined, undefined];
  const teamIds = grant && activeId ? await store.listMemberTeamIds(db, activeId, grant.memberId) : [];
  return {
    user: toUser(user),
    workspace:
      workspace && grant
        ? {
            id: workspace.id,
            name: workspace.name,
            timezone: workspace.timezone,
            locale: workspace.locale,
            defaultRegion: workspace.default_region,
            identityCollision: workspace.identity_collision,
          }
        : null,
    member: grant
      ? {
          id: grant.memberId,
          role: { id: grant.roleId, key: grant.roleKey, name: grant.roleName, scope: grant.scope },
          permissions: grant.permissions,
          teamIds,
        }
      : null,
    workspaces,
  };
}

export const toUser = (u: { id: string; email: string; name: string; locale: string }) => ({ id: u.id, email: u.email, name: u.name, locale: u.locale });

export async function updateProfile(db: Db, userId: string, patch: { name?: string; locale?: string }) {
  return toUser(await store.updateUser(db, userId, patch));
}
