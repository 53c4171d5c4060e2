// SQL of the invite report: plain aggregates over invite_edges, whose generation columns were set
// when each edge was inserted — no recursion over the forest. A scope is a fission campaign or a
// referral programme (scope_id, generations scope_depth) or the whole workspace (depth).
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';

export type Scope = { kind: 'workspace' } | { kind: 'campaign' | 'program'; id: string };

const where = (workspaceId: string, scope: Scope) => (scope.kind === 'workspace' ? sql`workspace_id = ${workspaceId}` : sql`workspace_id = ${workspaceId} and scope_id = ${scope.id}`);
const generation = (scope: Scope) => (scope.kind === 'workspace' ? sql.ref('depth') : sql.ref('scope_depth'));

/**
 * Totals: invites and valid (counted) ones, distinct inviters of valid invites, and the valid
 * invites of the second generation on (whose inviter came in through the scope) with their
 * distinct inviters.
 */
export const totals = async (db: Db, workspaceId: string, scope: Scope) =>
  (
    await sql<{ invites: number; valid: number; inviters: number; later: number; reinviters: number }>`
      with by_inviter as (
        select inviter_contact_id, inviter_member_id,
          count(*) as invites,
          count(*) filter (where status = 'counted') as valid,
          count(*) filter (where status = 'counted' and ${generation(scope)} >= 2) as later
        from invite_edges where ${where(workspaceId, scope)}
        group by inviter_contact_id, inviter_member_id
      )
      select coalesce(sum(invites), 0)::int as invites, coalesce(sum(valid), 0)::int as valid,
        count(*) filter (where valid > 0)::int as inviters,
        coalesce(sum(later), 0)::int as later, count(*) filter (where later > 0)::int as reinviters
      from by_inviter`.execute(db)
  ).rows[0]!;

export const generations = async (db: Db, workspaceId: string, scope: Scope) =>
  (
    await sql<{ depth: number; invites: number; valid: number }>`
      select ${generation(scope)} as depth, count(*)::int as invites, count(*) filter (where status = 'counted')::int as valid
      from invite_edges where ${where(workspaceId, scope)}
      group by 1 order by 1`.execute(db)
  ).rows;

/** The inviters with the most valid invites in the scope (ties: who invited first). */
export const topInviters = async (db: Db, workspaceId: string, scope: Scope, limit: number) =>
  (
    await sql<{ inviter_contact_id: string | null; inviter_member_id: string | null; valid: number }>`
      select inviter_contact_id, inviter_member_id, count(*) filter (where status = 'counted')::int as valid
      from invite_edges where ${where(workspaceId, scope)}
      group by inviter_contact_id, inviter_member_id
      having count(*) filter (where status = 'counted') > 0
      order by valid desc, min(created_at), coalesce(inviter_contact_id, inviter_member_id)
      limit ${limit}`.execute(db)
  ).rows;
