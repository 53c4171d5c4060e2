// Behaviour conditions ("did order at least 2 times in the last 90 days") as sets of contacts.
//
// From the per-contact counters when the condition needs no more (a window of the last D days or
// ever, no property tests, a threshold within the 8 times kept): contact_event_recent holds each
// contact's total and its 8 newest times per type in columns at1 … at8, each with an index, so
// "at least N in the window" is at{N} ≥ the window's start — one index range, exactly the contacts
// that pass, read index-only (migration 202612040100).
//
// Otherwise one aggregate over the events of the type in the window, read by the (workspace, type,
// occurred_at) INCLUDE (contact_id) index of timeline_events, with a HAVING: the contacts whose
// count passes (at least N, exactly N) or, for at most N, the ones whose count fails.
import { sql } from 'kysely';
import { escapeLike } from '../../contacts/index.js';
import type { EventCondition, EventWindow, PropCondition } from '../definition.js';
import type { Clock } from './clock.js';
import { within, type IdSet, type Sql } from './id-sets.js';

/** contact_event_recent's columns of the newest times: at{N} is the N-th newest. */
const KEPT = ['at1', 'at2', 'at3', 'at4', 'at5', 'at6', 'at7', 'at8'] as const;

/** The set of an event condition, or 'everyone' for "at least 0 times". */
export function eventSet(c: EventCondition, ws: string, clock: Clock, contactIds: readonly string[] | undefined): IdSet | 'everyone' {
  if (c.count.op === 'at_least' && c.count.n === 0) return 'everyone';
  return fromCounters(c, ws, clock, contactIds) ?? fromEvents(c, ws, clock, contactIds);
}

function fromCounters(c: EventCondition, ws: string, clock: Clock, contactIds: readonly string[] | undefined): IdSet | null {
  if (c.where?.length || (c.window.kind !== 'last_days' && c.window.kind !== 'ever')) return null;
  const since = c.window.kind === 'last_days' ? clock.startOfLastDays(c.window.days) : null;
  /** "At least m in the window" on one counters row; null when the window needs more than 8 times. */
  const atLeast = (m: number): Sql | null => {
    const at = m <= KEPT.length ? sql.ref(`k.${KEPT[m - 1]!}`) : null;
    if (since) return at ? sql`${at} >= ${since}` : null;
    return at ? sql`${at} is not null` : sql`k.total >= ${m}::int`;
  };
  const set = (test: Sql) =>
    sql`select k.contact_id from contact_event_recent k where k.workspace_id = ${ws} and k.type = ${c.type}::text and ${test}${within('k', contactIds)}`;
  const { op, n } = c.count;
  if (op === 'at_least') {
    const test = atLeast(n);
    return test && { ids: set(test), member: true };
  }
  // At most n, and exactly 0, are "not at least n + 1" and "not at least 1".
  if (op === 'at_most' || n === 0) {
    const test = atLeast(op === 'at_most' ? n + 1 : 1);
    return test && { ids: set(test), member: false };
  }
  if (!since) return { ids: set(sql`k.total = ${n}::int`), member: true };
  const [these, more] = [atLeast(n), atLeast(n + 1)];
  return these && more && { ids: sql`${set(these)} except ${set(more)}`, member: true };
}

function fromEvents(c: EventCondition, ws: string, clock: Clock, contactIds: readonly string[] | undefined): IdSet {
  const { op, n } = c.count;
  const props = (c.where ?? []).map((p) => sql` and ${prop(p)}`);
  const having =
    op === 'at_least' ? (n > 1 ? sql` having count(*) >= ${n}::int` : sql``) : op === 'exactly' ? (n > 0 ? sql` having count(*) = ${n}::int` : sql``) : sql` having count(*) > ${n}::int`;
  // Grouped by contact only: the workspace is fixed.
  return {
    ids: sql`select e.contact_id from timeline_events e
      where e.workspace_id = ${ws} and e.type = ${c.type}::text${window(c.window, clock)}${sql.join(props, sql``)}${within('e', contactIds)}
      group by e.contact_id${having}`,
    member: op === 'at_least' || (op === 'exactly' && n > 0),
  };
}

function window(w: EventWindow, clock: Clock): Sql {
  switch (w.kind) {
    case 'ever':
      return sql``;
    case 'last_days':
      return sql` and e.occurred_at >= ${clock.startOfLastDays(w.days)}`;
    case 'between':
      return sql` and e.occurred_at >= ${clock.startOf(w.from)} and e.occurred_at < ${clock.endOf(w.to)}`;
  }
}

/** A test on one property of the event: the path and the value are bound parameters. */
function prop(p: PropCondition): Sql {
  const at = sql`(e.props #> ${p.path.split('.')}::text[])`;
  const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;
  switch (p.op) {
    case 'eq':
      return sql`${at} = ${json(p.value)}`;
    case 'neq':
      return sql`${at} is distinct from ${json(p.value)}`;
    case 'in':
      return sql`${at} = any(array[${sql.join((p.value as unknown[]).map(json))}])`;
    case 'contains':
      return sql`(case when jsonb_typeof(${at}) = 'string' then ${at} #>> '{}' end) ilike ${`%${escapeLike(String(p.value))}%`}`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const op = { gt: sql`>`, gte: sql`>=`, lt: sql`<`, lte: sql`<=` }[p.op];
      return sql`(case when jsonb_typeof(${at}) = 'number' then (${at} #>> '{}')::numeric end) ${op} ${p.value}::numeric`;
    }
    case 'exists':
      return sql`coalesce(jsonb_typeof(${at}), 'null') <> 'null'`;
    case 'not_exists':
      return sql`coalesce(jsonb_typeof(${at}), 'null') = 'null'`;
  }
}
