// RFM from orders, set-based: the full recompute of a workspace and the update of one contact
// after an order, each one statement. Reads timeline_events and contacts (read-only joins across
// domains live here, DESIGN.md), writes this domain's contact_rfm, rfm_layer_changes and the cuts
// in rfm_settings.
//
// Definitions (workspace time zone): recency_days = today − the date of the last counted order
// (0 for today or a future date); frequency = counted orders dated within the last window_days
// days, today included; monetary = the sum of their props.amount (a non-numeric amount counts as
// an order of no value). Scores are 1–5:
// - quantile: score = 1 + floor(5 · percent_rank) over the workspace's customers (by recency
//   descending for R, ascending values for F and M), capped at 5. Ties share the lower rank, so
//   equal values always get equal scores. Worked out as cuts (the least value — for R the most
//   days — that reaches score 2, 3, 4, 5; see quintileCuts), scored by them and saved.
// - thresholds: the bounds people set.
// The update after an order scores one contact against the saved cuts (the quintiles move only
// with the full recompute, which the schedule runs daily).
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';
import { layerSql, type HighBounds, type Layer } from '../layers.js';
import type { ChangeReason } from '../tables.js';

export interface Cuts {
  /** Bounds to reach scores 2, 3, 4, 5 (null: not reachable). R in days (at most), F and M at least. */
  r: ReadonlyArray<number | null>;
  f: ReadonlyArray<number | null>;
  m: ReadonlyArray<number | null>;
}

export interface Scoring {
  timezone: string;
  windowDays: number;
  orderTypes: readonly string[];
  orderStatuses: readonly string[] | null;
  high: HighBounds;
}

// Scalar subqueries, so each is worked out once per statement (an InitPlan), not once per order.
const today = (s: Scoring) => sql`(select (now() at time zone ${s.timezone})::date)`;
/** The first instant of the window: midnight, window_days − 1 days before today. */
const windowStart = (s: Scoring) => sql`(select ((now() at time zone ${s.timezone})::date - ${s.windowDays - 1}::int)::timestamp at time zone ${s.timezone})`;
const amount = sql`case when jsonb_typeof(e.props -> 'amount') = 'number' then (e.props ->> 'amount')::numeric end`;

/** Orders of the workspace (or one contact) that count. */
function orders(workspaceId: string, s: Scoring, contactIds?: readonly string[]) {
  return sql`e.workspace_id = ${workspaceId} and e.type = any(${[...s.orderTypes]}::text[])
    ${contactIds ? sql`and e.contact_id = any(${[...contactIds]}::uuid[])` : sql``}
    ${s.orderStatuses ? sql`and e.props ->> 'status' = any(${[...s.orderStatuses]}::text[])` : sql``}`;
}

/** One row per live (not deleted) contact with a counted order: recency_days, frequency, monetary. */
function aggregate(workspaceId: string, s: Scoring, contactIds?: readonly string[]) {
  return sql`
    select a.contact_id, a.recency_days, a.frequency, a.monetary
    from (
      select e.contact_id,
             greatest(0, ${today(s)} - (max(e.occurred_at) at time zone ${s.timezone})::date) as recency_days,
             (count(*) filter (where e.occurred_at >= ${windowStart(s)}))::int as frequency,
             coalesce(sum(${amount}) filter (where e.occurred_at >= ${windowStart(s)}), 0) as monetary
      from timeline_events e
      where ${orders(workspaceId, s, contactIds)}
      group by e.contact_id
    ) a
    -- Every entry's contact exists (foreign key): leaving out the few deleted ones (an anti-join on
    -- the contacts_deleted index) is much cheaper than joining every customer to their contact.
    where not exists (select 1 from contacts d where d.workspace_id = ${workspaceId} and d.id = a.contact_id and d.deleted_at is not null)`;
}

/**
 * 1 + how many bounds the value reaches: at most the bound for R (days), at least for F and M.
 * `cuts` is an SQL array of the bounds for scores 2..5; a null bound is never reached.
 */
function byCuts(value: RawBuilder<unknown>, cuts: RawBuilder<unknown>, atMost: boolean): RawBuilder<number> {
  const parts = [1, 2, 3, 4].map((i) => (atMost ? sql`coalesce(${value} <= (${cuts})[${sql.lit(i)}], false)::int` : sql`coalesce(${value} >= (${cuts})[${sql.lit(i)}], false)::int`));
  return sql<number>`(1 + ${sql.join(parts, sql` + `)})::smallint`;
}

/** Scores of the rows of `alias` against the cuts of the one-row `cuts` (columns r, f, m). */
const scoresByCuts = (alias: string) =>
  sql`${byCuts(sql.ref(`${alias}.recency_days`), sql`cuts.r`, true)} as r_score,
      ${byCuts(sql.ref(`${alias}.frequency`), sql`cuts.f`, false)} as f_score,
      ${byCuts(sql.ref(`${alias}.monetary`), sql`cuts.m`, false)} as m_score`;

/**
 * The quintile cuts of the customers in `agg`, as one row (r, f, m), so that scoring by them gives
 * exactly score = 1 + floor(5 · (rank − 1) / max(n − 1, 1)), capped at 5, where rank is 1 + the
 * number of customers with a worse value (ties share it). In integers: score ≥ k ⇔ at least
 * p_k = ceil((k − 1) · max(n − 1, 1) / 5) customers are worse ⇔ the value is better than the
 * p_k-th worst; the cut is the least existing value beyond that one (for R, the most days below
 * it), null when there is none. R and F have few distinct values: counted by value (hash), not
 * sorted; M is sorted once, by value alone.
 */
const quintileCuts = sql`
    n as (select greatest(count(*) - 1, 1) as d from agg),
    pos as (select k, ((k - 1) * n.d + 4) / 5 as p from n, generate_series(2, 5) k),
    fh as (select frequency as v, count(*) as c from agg group by frequency),
    fc as (select v, sum(c) over (order by v) as worse_or_equal from fh),
    rh as (select recency_days as v, count(*) as c from agg group by recency_days),
    rc as (select v, sum(c) over (order by v desc) as worse_or_equal from rh),
    mr as (select monetary as v, row_number() over (order by monetary) as rn from agg),
    mp as (select array_agg(mr.v order by pos.k) as at from pos left join mr on mr.rn = pos.p),
    cuts as (
      select
        array(select (select max(rh.v) from rh where rh.v < (select max(rc.v) from rc where rc.worse_or_equal >= pos.p)) from pos order by k) as r,
        array(select (select min(fh.v) from fh where fh.v > (select min(fc.v) from fc where fc.worse_or_equal >= pos.p)) from pos order by k)::numeric[] as f,
        (select array[min(agg.monetary) filter (where agg.monetary > mp.at[1]), min(agg.monetary) filter (where agg.monetary > mp.at[2]),
                      min(agg.monetary) filter (where agg.monetary > mp.at[3]), min(agg.monetary) filter (where agg.monetary > mp.at[4])]
         from agg, mp) as m
    )`;

const givenCuts = (cuts: Cuts) => sql`cuts as (select ${[...cuts.r]}::int[] as r, ${[...cuts.f]}::numeric[] as f, ${[...cuts.m]}::numeric[] as m)`;

const scoresOf = (alias: string) => [sql.ref(`${alias}.r_score`), sql.ref(`${alias}.f_score`), sql.ref(`${alias}.m_score`)] as const;

export interface FullResult {
  customers: number;
  removed: number;
  changes: number;
}

/**
 * Recomputes every customer of the workspace in one statement: the cuts (quintiles of the
 * customers, or the thresholds given in `cuts`), scores by them, layers, the moves between
 * layers (recorded under `sourceRef`), rows of contacts that are no longer customers removed,
 * and (quantile) the cuts saved for the updates after an order.
 */
export async function recomputeAll(db: Db, workspaceId: string, s: Scoring, cuts: Cuts | undefined, change: { reason: ChangeReason; sourceRef: string }) {
  const saveCuts = cuts
    ? sql`update rfm_settings set computed_at = now() where workspace_id = ${workspaceId} returning 1`
    : sql`insert into rfm_settings (workspace_id, r_cuts, f_cuts, m_cuts, computed_at)
          select ${workspaceId}::uuid, cuts.r, cuts.f, cuts.m, now() from cuts
          on conflict (workspace_id) do update set r_cuts = excluded.r_cuts, f_cuts = excluded.f_cuts, m_cuts = excluded.m_cuts, computed_at = excluded.computed_at
          returning 1`;
  const { rows } = await sql<{ customers: number; removed: number; changes: number }>`
    with agg as (${aggregate(workspaceId, s)}),
    ${cuts ? givenCuts(cuts) : quintileCuts},
    scored as (select agg.*, ${scoresByCuts('agg')} from agg, cuts),
    -- Every customer now and every row before, side by side: what to update, insert and remove.
    layered as (
      select s.*, ${layerSql(...scoresOf('s'), s.high)} as layer, o.contact_id as old_contact_id, o.layer as old_layer
      from scored s
      full join (select contact_id, layer from contact_rfm where workspace_id = ${workspaceId}) o on o.contact_id = s.contact_id
    ),
    -- Existing rows by a plain join update (cheaper than ON CONFLICT per row), new ones inserted.
    updated as (
      update contact_rfm t set
        recency_days = l.recency_days, frequency = l.frequency, monetary = l.monetary,
        r_score = l.r_score, f_score = l.f_score, m_score = l.m_score, layer = l.layer, computed_at = now()
      from layered l
      where t.workspace_id = ${workspaceId} and t.contact_id = l.contact_id and l.old_layer is not null
      returning 1
    ),
    -- In key order: index entries and the contacts the foreign key checks are then visited in
    -- order (the first recompute of a workspace inserts every customer).
    inserted as (
      insert into contact_rfm (workspace_id, contact_id, recency_days, frequency, monetary, r_score, f_score, m_score, layer, computed_at)
      select ${workspaceId}::uuid, contact_id, recency_days, frequency, monetary, r_score, f_score, m_score, layer, now() from layered
      where old_layer is null and contact_id is not null
      order by contact_id
      returning 1
    ),
    removed as (
      delete from contact_rfm t
      where t.workspace_id = ${workspaceId} and t.contact_id = any(array(select old_contact_id from layered where contact_id is null))
      returning 1
    ),
    changes as (
      insert into rfm_layer_changes (workspace_id, contact_id, from_layer, to_layer, reason, source_ref)
      select ${workspaceId}::uuid, contact_id, old_layer, layer, ${change.reason}, ${change.sourceRef} from layered
      where old_layer is not null and contact_id is not null and old_layer <> layer
      returning 1
    ),
    saved as (${saveCuts})
    -- (Data-modifying CTEs run whether or not the final select reads them.)
    select (select count(*) from updated)::int + (select count(*) from inserted)::int as customers, (select count(*) from removed)::int as removed,
           (select count(*) from changes)::int as changes, (select count(*) from saved)::int as saved`.execute(db);
  const row = rows[0]!;
  return { customers: Number(row.customers), removed: Number(row.removed), changes: Number(row.changes) } satisfies FullResult;
}

export interface ContactChange {
  contactId: string;
  fromLayer: Layer;
  toLayer: Layer;
  changeId: string;
}

/**
 * Recomputes some contacts (one after an order; those of a merge or a restore) against the saved
 * cuts in one statement: their rows are written, or removed when a contact has no counted order
 * or is no longer live, and moves between layers are recorded and returned.
 */
export async function recomputeContacts(
  db: Db,
  workspaceId: string,
  contactIds: readonly string[],
  s: Scoring,
  cuts: Cuts,
  change: { reason: ChangeReason; sourceRef: string },
): Promise<ContactChange[]> {
  if (!contactIds.length) return [];
  const ids = [...contactIds];
  const { rows } = await sql<{ contact_id: string; from_layer: Layer; to_layer: Layer; id: string }>`
    with agg as (${aggregate(workspaceId, s, ids)}),
    ${givenCuts(cuts)},
    scored as (select agg.*, ${scoresByCuts('agg')} from agg, cuts),
    layered as (
      select scored.*, ${layerSql(...scoresOf('scored'), s.high)} as layer, o.layer as old_layer
      from scored
      left join contact_rfm o on o.workspace_id = ${workspaceId} and o.contact_id = scored.contact_id
    ),
    upserted as (
      insert into contact_rfm (workspace_id, contact_id, recency_days, frequency, monetary, r_score, f_score, m_score, layer, computed_at)
      select ${workspaceId}::uuid, contact_id, recency_days, frequency, monetary, r_score, f_score, m_score, layer, now() from layered
      on conflict (workspace_id, contact_id) do update set
        recency_days = excluded.recency_days, frequency = excluded.frequency, monetary = excluded.monetary,
        r_score = excluded.r_score, f_score = excluded.f_score, m_score = excluded.m_score, layer = excluded.layer, computed_at = excluded.computed_at
      returning 1
    ),
    removed as (
      delete from contact_rfm t
      where t.workspace_id = ${workspaceId} and t.contact_id = any(${ids}::uuid[]) and not exists (select 1 from agg where agg.contact_id = t.contact_id)
      returning 1
    ),
    changes as (
      insert into rfm_layer_changes (workspace_id, contact_id, from_layer, to_layer, reason, source_ref)
      select ${workspaceId}::uuid, contact_id, old_layer, layer, ${change.reason}, ${change.sourceRef} from layered
      where old_layer is not null and old_layer <> layer
      returning contact_id, from_layer, to_layer, id
    )
    -- (Data-modifying CTEs run whether or not the final select reads them.)
    select contact_id, from_layer, to_layer, id from changes`.execute(db);
  return rows.map((row) => ({ contactId: row.contact_id, fromLayer: row.from_layer, toLayer: row.to_layer, changeId: row.id }));
}

/**
 * Serialises a full recompute against updates of single contacts: the full one takes the
 * workspace's RFM lock exclusively, single updates share it (held to the end of the transaction).
 */
export const lockWorkspace = (db: Db, workspaceId: string, mode: 'exclusive' | 'shared') =>
  mode === 'exclusive'
    ? sql`select pg_advisory_xact_lock(hashtextextended(${`rfm:${workspaceId}`}, 0))`.execute(db)
    : sql`select pg_advisory_xact_lock_shared(hashtextextended(${`rfm:${workspaceId}`}, 0))`.execute(db);

/** Memory for the full recompute's sorts and hashes (a few hundred thousand customers each way), this transaction only. */
export const bulkMemory = (db: Db) => sql`set local work_mem = '256MB'`.execute(db);
