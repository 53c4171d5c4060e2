// SQL of the invite report: plain aggregates over invite_edges, whose generation columns were set
// when each edge was inserted — no recursion over the forest. A scope is a fission campaign or a
// referral programme (scope_id, generations scope_depth) or the whole workspace (depth).
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';

export type Scope = { kind: 'workspace' } | { kind: 'campaign' | 'program'; id: string };

const where = (workspaceId: string, scope: Scope) => (scope.kind === 'workspace' ? sql`workspace_id = ${workspaceId}` : sql`workspace_id = ${workspaceId} and scope_id = ${scope.id}`);
const generation = (scope: Scope) => (scope.kind === 'workspace' ? sql.ref('depth') : sql.ref('scope_depth'));

/** Room for the per-inviter hash aggregate of a million invites in memory (the report runs in its own transaction). */
export const reportMemory = (db: Db) => sql`set local work_mem = '64MB'`.execute(db);

/**
 * One aggregate per inviter, read twice: the totals — invites and valid (counted) ones, distinct
 * inviters of valid invites, the valid invites of the second generation on (whose inviter came in
 * through the scope) and their distinct inviters — and the `limit` inviters with the most valid
 * invites (ties: who invited first). One row per top inviter, each carrying the totals (one row
 * with no inviter when there is none).
 */
export const inviterSummary = async (db: Db, workspaceId: string, scope: Scope, limit: number) =>
  (
    await sql<{ invites: number; valid: number; inviters: number; later: number; reinviters: number; inviter_contact_id: string | null; inviter_member_id: string | null; inviter_valid: number | null }>`
      with by_inviter as materialized (
        select inviter_contact_id, inviter_member_id,
          count(*) as invites,
          count(*) filter (where status = 'counted') as valid,
          count(*) filter (where status = 'counted' and ${generation(scope)} >= 2) as later,
          min(created_at) filter (where status = 'counted') as first_valid
        from invite_edges where ${where(workspaceId, scope)}
        group by inviter_contact_id, inviter_member_id
      ), totals as (
        select coalesce(sum(invites), 0)::int as invites, coalesce(sum(valid), 0)::int as valid,
          count(*) filter (where valid > 0)::int as inviters,
          coalesce(sum(later), 0)::int as later, count(*) filter (where later > 0)::int as reinviters
        from by_inviter
      ), top as (
        select inviter_contact_id, inviter_member_id, valid::int as inviter_valid, first_valid from by_inviter where valid > 0
        order by valid desc, first_valid, coalesce(inviter_contact_id, inviter_member_id)
        limit ${limit}
      )
      select totals.*, top.* from totals left join top on true
      order by top.inviter_valid desc nulls last, top.first_valid, coalesce(top.inviter_contact_id, top.inviter_member_id)`.execute(db)
  ).rows;

export const generations = async (db: Db, workspaceId: string, scope: Scope) =>
  (
    await sql<{ depth: number; invites: number; valid: number }>`
      select ${generation(scope)} as depth, count(*)::int as invites, count(*) filter (where status = 'counted')::int as valid
      from invite_edges where ${where(workspaceId, scope)}
      group by 1 order by 1`.execute(db)
  ).rows;
