// Contact preferences from interactions and tags, set-based: for a whole workspace (the job) or
// some contacts (after an event), one statement each for interests and for active hours. Reads
// timeline_events, contact_tags, tags and contacts (read-only joins across domains live here).
//
// Interests. Every signal names a category and has a weight:
//   - a tag of one of the workspace's interest tag groups the contact carries: the tag's name, 5
//     (what people or rules decided; it does not fade);
//   - an interaction within the lookback window, weighted by kind — order 3 (bought), form
//     submission 2 (said so), anything else 1 — and halved every half_life_days of age, naming
//     categories in any of: props.category, props.categories[], props.extra.category,
//     props.items[].category, props.fields.interests (a string or a list) or props.fields.interest.
// A contact's categories (trimmed, compared case-insensitively) are scored by the sum of their
// signals; the top MAX_INTERESTS are kept, best first (ties by name).
//
// Active hours. Per channel (props.channel of `message` entries the contact sent, direction
// 'in', within the lookback window): messages per hour of day in the workspace's time zone, and
// the busiest hour (ties: the earlier hour).
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';

export const MAX_INTERESTS = 5;
export const TAG_WEIGHT = 5;

export interface Window {
  timezone: string;
  lookbackDays: number;
  halfLifeDays: number;
  interestGroupIds: readonly string[];
}

const forContacts = (column: string, contactIds: readonly string[] | undefined) =>
  contactIds ? sql`and ${sql.ref(column)} = any(${[...contactIds]}::uuid[])` : sql``;

const since = (w: Window) => sql`(select now() - make_interval(days => ${w.lookbackDays}::int))`;

/**
 * The workspace's timeline entries since the window's start: all of them, or those of
 * `contactIds`, each contact's reached through timeline_events_contact (lateral, so whatever the
 * statistics say, the planner cannot choose to walk the workspace's recent entries by date and
 * sift them — in a busy inbox every entry is recent).
 */
const entriesSince = (workspaceId: string, w: Window, contactIds: readonly string[] | undefined) =>
  contactIds
    ? sql`unnest(${[...contactIds]}::uuid[]) as k(id) cross join lateral (
        select * from timeline_events t where t.workspace_id = ${workspaceId} and t.contact_id = k.id and t.occurred_at >= ${since(w)}) e`
    : sql`(select * from timeline_events t where t.workspace_id = ${workspaceId} and t.occurred_at >= ${since(w)}) e`;

/** The category texts an entry names (see the header). */
const categoriesOf = sql`
  select x from jsonb_array_elements_text(case when jsonb_typeof(e.props -> 'categories') = 'array' then e.props -> 'categories' else '[]' end) x
  union all select e.props ->> 'category' where jsonb_typeof(e.props -> 'category') = 'string'
  union all select e.props -> 'extra' ->> 'category' where jsonb_typeof(e.props -> 'extra' -> 'category') = 'string'
  union all select i ->> 'category' from jsonb_array_elements(case when jsonb_typeof(e.props -> 'items') = 'array' then e.props -> 'items' else '[]' end) i
    where jsonb_typeof(i -> 'category') = 'string'
  union all select x from jsonb_array_elements_text(case when jsonb_typeof(e.props -> 'fields' -> 'interests') = 'array' then e.props -> 'fields' -> 'interests' else '[]' end) x
  union all select e.props -> 'fields' ->> 'interests' where jsonb_typeof(e.props -> 'fields' -> 'interests') = 'string'
  union all select e.props -> 'fields' ->> 'interest' where jsonb_typeof(e.props -> 'fields' -> 'interest') = 'string'`;

/** Recomputes interests of the workspace (or of `contactIds`); returns how many rows were written. */
export async function computeInterests(db: Db, workspaceId: string, w: Window, contactIds?: readonly string[]) {
  const { rows } = await sql<{ written: number }>`
    -- Materialized: computed once and then matched to live contacts (inlined, a plan misled by fresh
    -- statistics computed every signal again for each contact of the workspace).
    with signals as materialized (
      select e.contact_id, c.x as category,
             (case e.type when 'order' then 3 when 'form_submission' then 2 else 1 end)
               * power(0.5, extract(epoch from now() - e.occurred_at) / 86400.0 / ${w.halfLifeDays}::float8) as weight
      from ${entriesSince(workspaceId, w, contactIds)}
      cross join lateral (${categoriesOf}) c(x)
      union all
      select ct.contact_id, t.name, ${TAG_WEIGHT}::float8
      from contact_tags ct
      join tags t on t.workspace_id = ct.workspace_id and t.id = ct.tag_id
      where ct.workspace_id = ${workspaceId} and t.group_id = any(${[...w.interestGroupIds]}::uuid[]) ${forContacts('ct.contact_id', contactIds)}
    ),
    scored as (
      select s.contact_id, max(btrim(s.category)) as category, sum(s.weight) as score
      from signals s
      join contacts c on c.workspace_id = ${workspaceId} and c.id = s.contact_id and c.deleted_at is null
      where length(btrim(s.category)) between 1 and 100
      group by s.contact_id, lower(btrim(s.category))
    ),
    top as (
      select * from (select scored.*, row_number() over (partition by contact_id order by score desc, lower(category)) as rank from scored) r
      where rank <= ${MAX_INTERESTS}
    ),
    upserted as (
      insert into contact_interests (workspace_id, contact_id, category, score, rank, computed_at)
      select ${workspaceId}::uuid, contact_id, category, score, rank, now() from top
      on conflict (workspace_id, contact_id, category) do update set score = excluded.score, rank = excluded.rank, computed_at = excluded.computed_at
      returning 1
    ),
    removed as (
      delete from contact_interests i
      where i.workspace_id = ${workspaceId} ${forContacts('i.contact_id', contactIds)}
        and not exists (select 1 from top where top.contact_id = i.contact_id and top.category = i.category)
      returning 1
    )
    select (select count(*) from upserted)::int as written, (select count(*) from removed)::int as removed`.execute(db);
  return Number(rows[0]!.written);
}

/** Recomputes active hours of the workspace (or of `contactIds`); returns how many rows were written. */
export async function computeActiveHours(db: Db, workspaceId: string, w: Window, contactIds?: readonly string[]) {
  const { rows } = await sql<{ written: number }>`
    with hits as (
      select e.contact_id, e.props ->> 'channel' as channel, extract(hour from e.occurred_at at time zone ${w.timezone})::int as hour, count(*)::int as n
      from ${entriesSince(workspaceId, w, contactIds)}
      join contacts c on c.workspace_id = e.workspace_id and c.id = e.contact_id and c.deleted_at is null
      where e.type = 'message' and e.props ->> 'direction' = 'in' and jsonb_typeof(e.props -> 'channel') = 'string'
      group by 1, 2, 3
    ),
    per as (
      select contact_id, channel, (array_agg(hour order by n desc, hour))[1] as hour, max(n) as hour_messages, sum(n)::int as messages,
             jsonb_object_agg(hour::text, n) as histogram
      from hits group by contact_id, channel
    ),
    upserted as (
      insert into contact_active_hours (workspace_id, contact_id, channel, hour, hour_messages, messages, histogram, computed_at)
      select ${workspaceId}::uuid, contact_id, channel, hour, hour_messages, messages, histogram, now() from per
      on conflict (workspace_id, contact_id, channel) do update set
        hour = excluded.hour, hour_messages = excluded.hour_messages, messages = excluded.messages, histogram = excluded.histogram, computed_at = excluded.computed_at
      returning 1
    ),
    removed as (
      delete from contact_active_hours h
      where h.workspace_id = ${workspaceId} ${forContacts('h.contact_id', contactIds)}
        and not exists (select 1 from per where per.contact_id = h.contact_id and per.channel = h.channel)
      returning 1
    )
    select (select count(*) from upserted)::int as written, (select count(*) from removed)::int as removed`.execute(db);
  return Number(rows[0]!.written);
}

/** Contacts a tag change touched: named in the event, or found by its source_ref (added or removed). */
export async function contactsOfTagChange(db: Db, workspaceId: string, sourceRef: string) {
  const { rows } = await sql<{ contact_id: string }>`
    select contact_id from contact_tags where workspace_id = ${workspaceId} and source_ref = ${sourceRef}
    union
    select contact_id from contact_tag_removals where workspace_id = ${workspaceId} and source_ref = ${sourceRef}`.execute(db);
  return rows.map((r) => r.contact_id);
}

/** The ids among `ids` that are tag groups of the workspace. */
export async function existingTagGroups(db: Db, workspaceId: string, ids: readonly string[]) {
  if (!ids.length) return [];
  const rows = await db.selectFrom('tag_groups').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', [...ids]).execute();
  return rows.map((r) => r.id);
}

export async function workspaceTimezone(db: Db, workspaceId: string): Promise<string> {
  const row = await db.selectFrom('workspaces').select('timezone').where('id', '=', workspaceId).executeTakeFirst();
  return row?.timezone ?? 'UTC';
}

/** Workspaces past `fromHour` local time whose last full recompute was before their local today, with that date. */
export async function workspacesDue(db: Db, fromHour: number) {
  const { rows } = await sql<{ id: string; day: string }>`
    select w.id, to_char(now() at time zone w.timezone, 'YYYY-MM-DD') as day
    from workspaces w
    left join preference_settings s on s.workspace_id = w.id
    where extract(hour from now() at time zone w.timezone) >= ${fromHour}
      and (s.computed_at is null or (s.computed_at at time zone w.timezone)::date < (now() at time zone w.timezone)::date)`.execute(db);
  return rows;
}
