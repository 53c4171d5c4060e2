// SQL for timeline entries: the per-contact list (newest first, keyset), single entries, and the
// set-based inserts the import and the event handlers use.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { afterNewestFirst } from '../../platform/http/pagination.js';

export const listTimeline = (db: Db, workspaceId: string, contactId: string, f: { types?: readonly string[]; cursor?: string; limit: number }) => {
  const after = afterNewestFirst('e.occurred_at', 'e.id', f.cursor);
  return db
    .selectFrom('timeline_events as e')
    .leftJoin('members as m', (j) => j.onRef('m.workspace_id', '=', 'e.workspace_id').onRef('m.id', '=', 'e.actor_member_id'))
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .select(['e.id', 'e.type', 'e.occurred_at', 'e.actor_member_id', 'u.name as actor_name', 'e.props'])
    .where('e.workspace_id', '=', workspaceId)
    .where('e.contact_id', '=', contactId)
    .$if(Boolean(f.types?.length), (q) => q.where('e.type', 'in', [...f.types!]))
    .$if(Boolean(after), (q) => q.where(after!))
    .orderBy('e.occurred_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(f.limit + 1)
    .execute();
};

export type TimelineRow = Awaited<ReturnType<typeof listTimeline>>[number];

export const findTimelineEvent = (db: Db, workspaceId: string, id: string) =>
  db
    .selectFrom('timeline_events as e')
    .leftJoin('members as m', (j) => j.onRef('m.workspace_id', '=', 'e.workspace_id').onRef('m.id', '=', 'e.actor_member_id'))
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .select(['e.id', 'e.contact_id', 'e.type', 'e.occurred_at', 'e.actor_member_id', 'u.name as actor_name', 'e.props'])
    .where('e.workspace_id', '=', workspaceId)
    .where('e.id', '=', id)
    .executeTakeFirst();

export const insertTimelineEvent = (
  db: Db,
  workspaceId: string,
  e: { contactId: string; type: string; occurredAt?: Date; actorMemberId: string | null; props: Record<string, unknown> },
) =>
  db
    .insertInto('timeline_events')
    .values({
      workspace_id: workspaceId,
      contact_id: e.contactId,
      type: e.type,
      actor_member_id: e.actorMemberId,
      props: JSON.stringify(e.props),
      ...(e.occurredAt ? { occurred_at: e.occurredAt } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export const deleteTimelineEvent = (db: Db, workspaceId: string, id: string) =>
  db.deleteFrom('timeline_events').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export interface NewTimelineEvent {
  contactId: string;
  type: string;
  occurredAt?: Date | string | null;
  actorMemberId?: string | null;
  props?: Record<string, unknown>;
  /** Give a deterministic id to make the insert idempotent (a repeated id inserts nothing). */
  id?: string;
  sourceEvent?: number | null;
}

/** Inserts any number of entries in one statement (one JSON parameter); returns how many were new. */
export async function insertTimelineEvents(db: Db, workspaceId: string, events: readonly NewTimelineEvent[]) {
  if (!events.length) return 0;
  const rows = events.map((e) => ({
    id: e.id ?? null,
    contact_id: e.contactId,
    type: e.type,
    occurred_at: e.occurredAt ? new Date(e.occurredAt).toISOString() : null,
    actor_member_id: e.actorMemberId ?? null,
    props: e.props ?? {},
    source_event: e.sourceEvent ?? null,
  }));
  const result = await sql`
    insert into timeline_events (workspace_id, id, contact_id, type, occurred_at, actor_member_id, props, source_event)
    select ${workspaceId}::uuid, coalesce(r.id, gen_random_uuid()), r.contact_id, r.type, coalesce(r.occurred_at, now()), r.actor_member_id, r.props, r.source_event
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as r(id uuid, contact_id uuid, type text, occurred_at timestamptz, actor_member_id uuid, props jsonb, source_event bigint)
    on conflict do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Entries of one type for many contacts: the same props for all, plus per-contact values. */
export interface TimelineEventSet {
  type: string;
  actorMemberId: string | null;
  contactIds: readonly string[];
  props: Record<string, unknown>;
  /** props[key] for contactIds[i] is values[i] (numbers, strings, booleans or null). */
  perContact?: Record<string, ReadonlyArray<string | number | boolean | null>>;
}

/**
 * Inserts a set in one INSERT … SELECT FROM unnest(typed arrays): no per-row JSON object on the
 * way in, the props are built in SQL. Returns how many were inserted.
 */
export async function insertTimelineEventSet(db: Db, workspaceId: string, set: TimelineEventSet) {
  if (!set.contactIds.length) return 0;
  const keys = Object.keys(set.perContact ?? {});
  for (const key of keys) if (set.perContact![key]!.length !== set.contactIds.length) throw new Error(`perContact.${key} has the wrong length`);
  // Each per-contact column travels as text[] of JSON texts and is read back with ::jsonb.
  const columns = keys.map((key) => set.perContact![key]!.map((v) => (v === null ? 'null' : JSON.stringify(v))));
  const names = ['contact_id', ...keys.map((_, i) => `v${i}`)];
  const built = keys.length
    ? sql` || jsonb_build_object(${sql.join(keys.map((key, i) => sql`${key}::text, u.${sql.raw(`v${i}`)}::jsonb`))})`
    : sql``;
  const result = await sql`
    insert into timeline_events (workspace_id, contact_id, type, actor_member_id, props)
    select ${workspaceId}::uuid, u.contact_id, ${set.type}, ${set.actorMemberId}::uuid, ${JSON.stringify(set.props)}::jsonb${built}
    from unnest(${[...set.contactIds]}::uuid[]${sql.join(columns.map((c) => sql`, ${c}::text[]`), sql``)}) as u(${sql.raw(names.join(', '))})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
