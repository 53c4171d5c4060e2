// RFM read by people: counts per layer, per R, F and M score and per R×F cell, and customer lists,
// over the contacts the caller can see (contact_rfm joined to contacts under their data scope).
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';
import type { Layer } from '../layers.js';

export interface DistributionRow {
  layer: Layer | null;
  r: number | null;
  f: number | null;
  m: number | null;
  /** Which grouping set the row belongs to (bits: layer 8, r 4, f 2, m 1; 1 = aggregated away). */
  g: number;
  n: number;
}

/**
 * Every count in one pass, by grouping sets. `visible` is the caller's predicate over `contacts c`,
 * or 'all-live' for a caller who sees every live contact (data scope all): then only the few
 * deleted contacts are looked up (an anti-join on the contacts_deleted index) instead of joining
 * every customer to their contact — at 10^6 contacts the difference between a second and many.
 */
export async function distribution(db: Db, workspaceId: string, visible: Expression<SqlBool> | 'all-live') {
  const seen =
    visible === 'all-live'
      ? sql`not exists (select 1 from contacts d where d.workspace_id = ${workspaceId} and d.id = x.contact_id and d.deleted_at is not null)`
      : sql`exists (select 1 from contacts c where c.workspace_id = ${workspaceId} and c.id = x.contact_id and ${visible})`;
  const { rows } = await sql<DistributionRow>`
    select x.layer, x.r_score as r, x.f_score as f, x.m_score as m,
           grouping(x.layer, x.r_score, x.f_score, x.m_score) as g, count(*)::int as n
    from contact_rfm x
    where x.workspace_id = ${workspaceId} and ${seen}
    group by grouping sets ((x.layer), (x.r_score), (x.f_score), (x.m_score), (x.r_score, x.f_score), ())`.execute(db);
  return rows.map((r) => ({ ...r, g: Number(r.g), n: Number(r.n) }));
}

export interface CustomerFilter {
  layer?: Layer;
  r?: number;
  f?: number;
  m?: number;
  /** Keyset after (monetary, contact id), largest monetary first. */
  after?: { monetary: string; contactId: string };
  limit: number;
}

export async function customers(db: Db, workspaceId: string, visible: Expression<SqlBool>, f: CustomerFilter) {
  const { rows } = await sql<{
    contact_id: string;
    name: string;
    recency_days: number | null;
    frequency: number;
    monetary: string;
    r_score: number;
    f_score: number;
    m_score: number;
    layer: Layer;
    computed_at: Date;
  }>`
    select x.contact_id, c.name, x.recency_days, x.frequency, x.monetary::text as monetary, x.r_score, x.f_score, x.m_score, x.layer, x.computed_at
    from contact_rfm x
    join contacts c on c.workspace_id = x.workspace_id and c.id = x.contact_id
    where x.workspace_id = ${workspaceId} and ${visible}
      ${f.layer ? sql`and x.layer = ${f.layer}` : sql``}
      ${f.r ? sql`and x.r_score = ${f.r}` : sql``}
      ${f.f ? sql`and x.f_score = ${f.f}` : sql``}
      ${f.m ? sql`and x.m_score = ${f.m}` : sql``}
      ${f.after ? sql`and (x.monetary, x.contact_id) < (${f.after.monetary}::numeric, ${f.after.contactId}::uuid)` : sql``}
    order by x.monetary desc, x.contact_id desc
    limit ${f.limit + 1}`.execute(db);
  return rows;
}
