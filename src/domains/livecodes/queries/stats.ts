// A code's figures per local day, zero-filled: scans, adds and leaves (from the code's own
// tables), and what the day's arrivals did since (from the timeline: orders, a stage reached).
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';

export interface DayRow {
  day: string;
  scans: number;
  no_staff: number;
  adds: number;
  attributed: number;
  left: number;
  ordered: number;
  reached_stage: number;
}

/**
 * `ordered` and `reached_stage` count the day's arrivals (a cohort) that have since placed an order
 * or moved to `stageId` (none asked: 0); each probe is an index lookup of the contact's timeline.
 */
export const dailyStats = (db: Db, workspaceId: string, codeId: string, from: string, to: string, stageId: string | null) =>
  sql<DayRow>`
    select d::date::text as day,
      coalesce(s.scans, 0)::int as scans, coalesce(s.no_staff, 0)::int as no_staff,
      coalesce(a.adds, 0)::int as adds, coalesce(a.attributed, 0)::int as attributed,
      coalesce(a.ordered, 0)::int as ordered, coalesce(a.reached_stage, 0)::int as reached_stage,
      coalesce(l.left, 0)::int as left
    from generate_series(${from}::date, ${to}::date, interval '1 day') d
    left join (
      select day, count(*) as scans, count(*) filter (where outcome = 'no_staff_available') as no_staff from live_code_scans
      where workspace_id = ${workspaceId} and code_id = ${codeId} and day between ${from}::date and ${to}::date group by day
    ) s on s.day = d::date
    left join (
      select day, count(*) as adds, count(*) filter (where attributed) as attributed,
        count(*) filter (where exists (
          select 1 from timeline_events t where t.workspace_id = a.workspace_id and t.contact_id = a.contact_id and t.occurred_at >= a.created_at and t.type = 'order'
        )) as ordered,
        count(*) filter (where ${stageId}::uuid is not null and exists (
          select 1 from timeline_events t where t.workspace_id = a.workspace_id and t.contact_id = a.contact_id and t.occurred_at >= a.created_at
            and t.type = 'stage_changed' and t.props -> 'to' ->> 'id' = ${stageId}::text
        )) as reached_stage
      from live_code_adds a
      where workspace_id = ${workspaceId} and code_id = ${codeId} and day between ${from}::date and ${to}::date group by day
    ) a on a.day = d::date
    left join (
      select left_on, count(*) as left from live_code_adds
      where workspace_id = ${workspaceId} and code_id = ${codeId} and left_on between ${from}::date and ${to}::date group by left_on
    ) l on l.left_on = d::date
    order by d`
    .execute(db)
    .then((r) => r.rows);
