// Does one recorded event satisfy the property tests and keywords of event triggers? One statement
// for every candidate rule of the event's type. The semantics are the segments compiler's for an
// event condition's `where` (jsonb equality; numbers compared only when the property is a number;
// case-insensitive substrings of strings; exists = present and not null): event-match.test.ts
// checks the two agree on the same events, so a backfill (which uses the compiler) and the
// incremental path (which uses this) pick the same contacts.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';
import { escapeLike } from '../../contacts/index.js';
import type { EventTrigger, PropTest } from '../schema.js';

type Bool = RawBuilder<SqlBool>;

function prop(p: PropTest): Bool {
  const at = sql`(e.props #> ${p.path.split('.')}::text[])`;
  const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;
  switch (p.op) {
    case 'eq':
      return sql<SqlBool>`coalesce(${at} = ${json(p.value)}, false)`;
    case 'neq':
      return sql<SqlBool>`${at} is distinct from ${json(p.value)}`;
    case 'in':
      return sql<SqlBool>`coalesce(${at} = any(array[${sql.join((p.value as unknown[]).map(json))}]), false)`;
    case 'contains':
      return sql<SqlBool>`coalesce((case when jsonb_typeof(${at}) = 'string' then ${at} #>> '{}' end) ilike ${`%${escapeLike(String(p.value))}%`}, false)`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const op = { gt: sql`>`, gte: sql`>=`, lt: sql`<`, lte: sql`<=` }[p.op];
      return sql<SqlBool>`coalesce((case when jsonb_typeof(${at}) = 'number' then (${at} #>> '{}')::numeric end) ${op} ${p.value}::numeric, false)`;
    }
    case 'exists':
      return sql<SqlBool>`coalesce(jsonb_typeof(${at}), 'null') <> 'null'`;
    case 'not_exists':
      return sql<SqlBool>`coalesce(jsonb_typeof(${at}), 'null') = 'null'`;
  }
}

/** The trigger's test on one event row `e` (its type is checked by the caller). */
export function eventPredicate(t: EventTrigger): Bool {
  const parts = (t.where ?? []).map(prop);
  if (t.keywords?.length) parts.push(sql<SqlBool>`(${sql.join(t.keywords.map((k) => prop({ path: 'body', op: 'contains', value: k })), sql` or `)})`);
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` and `)})` : sql<SqlBool>`true`;
}

/** For each trigger, whether the event (of the workspace) satisfies it; all false when the event is gone. */
export async function eventMatches(db: Db, workspaceId: string, eventId: string, triggers: readonly EventTrigger[]): Promise<boolean[]> {
  if (!triggers.length) return [];
  const { rows } = await sql<{ m: boolean[] }>`
    select array[${sql.join(triggers.map((t) => sql`(e.type = ${t.type} and ${eventPredicate(t)})`))}]::boolean[] as m
    from timeline_events e where e.workspace_id = ${workspaceId} and e.id = ${eventId}`.execute(db);
  return rows[0]?.m ?? triggers.map(() => false);
}
