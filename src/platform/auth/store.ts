// SQL for people, sessions and login attempts (global tables), and for resolving who a
// signed-in person is inside a workspace.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { DataScope } from './permissions.js';

export const findUserByEmail = (db: Db, email: string) =>
  db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

export const findUserById = (db: Db, id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const insertUser = (db: Db, user: { email: string; name: string; passwordHash: string; locale?: string }) =>
  db
    .insertInto('users')
    .values({ email: user.email, name: user.name, password_hash: user.passwordHash, ...(user.locale ? { locale: user.locale } : {}) })
    .returningAll()
    .executeTakeFirstOrThrow();

export const updateUser = (db: Db, id: string, patch: { name?: string; locale?: string }) =>
  db.updateTable('users').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export const updatePasswordHash = (db: Db, id: string, passwordHash: string) =>
  db.updateTable('users').set({ password_hash: passwordHash, password_changed_at: new Date() }).where('id', '=', id).execute();

/** Counts a failure; locks the account once `maxFailures` are reached in a row. */
export const recordLoginFailure = (db: Db, id: string, maxFailures: number, lockMinutes: number) =>
  db
    .updateTable('users')
    .set((eb) => ({
      failed_logins: sql`case when ${eb.ref('failed_logins')} + 1 >= ${maxFailures} then 0 else ${eb.ref('failed_logins')} + 1 end`,
      locked_until: sql`case when ${eb.ref('failed_logins')} + 1 >= ${maxFailures}
                             then now() + make_interval(mins => ${lockMinutes}) else ${eb.ref('locked_until')} end`,
    }))
    .where('id', '=', id)
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirstOrThrow();

export const clearLoginFailures = (db: Db, id: string) =>
  db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();

export const insertLoginAttempt = (db: Db, attempt: { clientIp: string; email: string; succeeded: boolean }) =>
  db.insertInto('login_attempts').values({ client_ip: attempt.clientIp, email: attempt.email, succeeded: attempt.succeeded }).execute();

/** Failed attempts only: an office behind one address may sign many people in. */
export async function countRecentLoginFailures(db: Db, clientIp: string, seconds: number): Promise<number> {
  const row = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('client_ip', '=', clientIp)
    .where('succeeded', '=', false)
    .where('at', '>', sql<Date>`now() - make_interval(secs => ${seconds})`)
    .executeTakeFirstOrThrow();
  return row.n;
}

export const insertSession = (db: Db, s: { id: string; userId: string; csrfToken: string; activeWorkspaceId: string | null; expiresAt: Date }) =>
  db
    .insertInto('sessions')
    .values({ id: s.id, user_id: s.userId, csrf_token: s.csrfToken, active_workspace_id: s.activeWorkspaceId, expires_at: s.expiresAt })
    .execute();

export const findLiveSession = (db: Db, id: string) =>
  db.selectFrom('sessions').selectAll().where('id', '=', id).where('expires_at', '>', sql<Date>`now()`).executeTakeFirst();

export const setSessionWorkspace = (db: Db, id: string, workspaceId: string) =>
  db.updateTable('sessions').set({ active_workspace_id: workspaceId }).where('id', '=', id).execute();

export const deleteSession = (db: Db, id: string) => db.deleteFrom('sessions').where('id', '=', id).execute();

export const deleteUserSessions = (db: Db, userId: string) => db.deleteFrom('sessions').where('user_id', '=', userId).execute();

export interface MemberGrant {
  memberId: string;
  roleId: string;
  roleKey: string | null;
  roleName: string;
  permissions: string[];
  scope: DataScope;
}

const activeGrants = (db: Db, workspaceId: string) =>
  db
    .selectFrom('members as m')
    .innerJoin('roles as r', (j) => j.onRef('r.workspace_id', '=', 'm.workspace_id').onRef('r.id', '=', 'm.role_id'))
    .select(['m.id as memberId', 'm.user_id as userId', 'r.id as roleId', 'r.key as roleKey', 'r.name as roleName', 'r.permissions', 'r.data_scope as scope'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.status', '=', 'active');

/** The active membership of a person in a workspace, with its role. */
export const findMemberGrant = (db: Db, workspaceId: string, userId: string): Promise<(MemberGrant & { userId: string }) | undefined> =>
  activeGrants(db, workspaceId).where('m.user_id', '=', userId).executeTakeFirst();

/** The same, by member id (background work acting for the member who started it). */
export const findMemberGrantById = (db: Db, workspaceId: string, memberId: string): Promise<(MemberGrant & { userId: string }) | undefined> =>
  activeGrants(db, workspaceId).where('m.id', '=', memberId).executeTakeFirst();

/** Workspaces a person is an active member of, for the switcher. */
export const listUserWorkspaces = (db: Db, userId: string) =>
  db
    .selectFrom('members as m')
    .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
    .innerJoin('roles as r', (j) => j.onRef('r.workspace_id', '=', 'm.workspace_id').onRef('r.id', '=', 'm.role_id'))
    .select(['w.id', 'w.name', 'r.name as roleName'])
    .where('m.user_id', '=', userId)
    .where('m.status', '=', 'active')
    .orderBy('w.created_at')
    .execute();

export const findWorkspace = (db: Db, id: string) =>
  db.selectFrom('workspaces').select(['id', 'name', 'timezone', 'locale', 'default_region', 'identity_collision']).where('id', '=', id).executeTakeFirst();

export const listMemberTeamIds = async (db: Db, workspaceId: string, memberId: string) =>
  (
    await db
      .selectFrom('team_members')
      .select('team_id')
      .where('workspace_id', '=', workspaceId)
      .where('member_id', '=', memberId)
      .execute()
  ).map((r) => r.team_id);
