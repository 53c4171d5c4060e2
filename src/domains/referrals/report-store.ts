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
 * One scan of the scope's edges, grouped two ways at once (grouping sets): per inviter — read for
 * the totals (invites and valid, i.e. counted, ones; distinct inviters of valid invites; the
 * valid invites of the second generation on, whose inviter came in through the scope, and their
 * distinct inviters) and for the `limit` inviters with the most valid invites (ties: who invited
 * first) — and per generation. One row per top inviter, each carrying the totals and the
 * generations (one row with no inviter when there is none).
 */
export const summary = async (db: Db, workspaceId: string, scope: Scope, limit: number) =>
  (
    await sql<{
      invites: number;
      valid: number;
      inviters: number;
      later: number;
      reinviters: number;
      generations: Array<[number, number, number]> | null;
      inviter_contact_id: string | null;
      inviter_member_id: string | null;
      inviter_valid: number | null;
    }>`
      with agg as materialized (
        select inviter_contact_id, inviter_member_id, ${generation(scope)} as gen, grouping(${generation(scope)}) as per_inviter,
          count(*) as invites,
          count(*) filter (where status = 'counted') as valid,
          count(*) filter (where status = 'counted' and ${generation(scope)} >= 2) as later,
          min(created_at) filter (where status = 'counted') as first_valid
        from invite_edges where ${where(workspaceId, scope)}
        group by grouping sets ((inviter_contact_id, inviter_member_id), (${generation(scope)}))
      ), totals as (
        select coalesce(sum(invites), 0)::int as invites, coalesce(sum(valid), 0)::int as valid,
          count(*) filter (where valid > 0)::int as inviters,
          coalesce(sum(later), 0)::int as later, count(*) filter (where later > 0)::int as reinviters,
          (select json_agg(json_build_array(gen, invites, valid) order by gen) from agg where per_inviter = 0) as generations
        from agg where per_inviter = 1
      ), top as (
        select inviter_contact_id, inviter_member_id, valid::int as inviter_valid, first_valid from agg where per_inviter = 1 and valid > 0
        order by valid desc, first_valid, coalesce(inviter_contact_id, inviter_member_id)
        limit ${limit}
      )
      select totals.*, top.* from totals left join top on true
      order by top.inviter_valid desc nulls last, top.first_valid, coalesce(top.inviter_contact_id, top.inviter_member_id)`.execute(db)
  ).rows;
