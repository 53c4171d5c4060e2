// SQL of agent presence. Every query is scoped to its workspace, except the sweep's, which
// looks across workspaces for connections that went quiet.
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';
import type { PresenceStatus } from '../tables.js';

/** The member's row, created (online, not connected) if missing, and locked. */
export async function lockPresence(db: Db, workspaceId: string, memberId: string) {
  await db.insertInto('agent_presence').values({ workspace_id: workspaceId, member_id: memberId }).onConflict((oc) => oc.columns(['workspace_id', 'member_id']).doNothing()).execute();
  return db
    .selectFrom('agent_presence')
    .select(['status', 'connected'])
    .where('workspace_id', '=', workspaceId)
    .where('member_id', '=', memberId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export const setPresence = (db: Db, workspaceId: string, memberId: string, change: { status?: PresenceStatus; connected?: boolean; changed: boolean }) =>
  db
    .updateTable('agent_presence')
    .set({
      ...(change.status ? { status: change.status } : {}),
      ...(change.connected !== undefined ? { connected: change.connected } : {}),
      ...(change.connected ? { last_seen_at: sql<Date>`now()` } : {}),
      ...(change.changed ? { changed_at: sql<Date>`now()` } : {}),
    })
    .where('workspace_id', '=', workspaceId)
    .where('member_id', '=', memberId)
    .execute();

/** Still connected: moves last_seen_at on; returns those it moved (the others were swept meanwhile). */
export async function touch(db: Db, members: ReadonlyArray<{ workspaceId: string; memberId: string }>) {
  const { rows } = await sql<{ workspace_id: string; member_id: string }>`
    update agent_presence p set last_seen_at = now()
    from unnest(${members.map((m) => m.workspaceId)}::uuid[], ${members.map((m) => m.memberId)}::uuid[]) as seen (workspace_id, member_id)
    where p.workspace_id = seen.workspace_id and p.member_id = seen.member_id and p.connected
    returning p.workspace_id, p.member_id`.execute(db);
  return rows;
}

/** Members whose sockets have been quiet for `seconds`: no longer connected (returned once each). */
export async function expire(db: Db, seconds: number) {
  const { rows } = await sql<{ workspace_id: string; member_id: string; status: PresenceStatus }>`
    update agent_presence set connected = false, changed_at = now()
    where connected and last_seen_at < now() - make_interval(secs => ${seconds})
    returning workspace_id, member_id, status`.execute(db);
  return rows;
}
