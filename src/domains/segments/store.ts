// SQL on the segments domain's own tables. Reads that join contacts (members with names, counts
// within a data scope, evaluation) live in queries/.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import type { SegmentKind, SegmentStatus } from './tables.js';

const columns = [
  's.id', 's.kind', 's.name', 's.description', 's.definition', 's.deps', 's.status', 's.error', 's.build_job_id', 's.member_count',
  's.built_at', 's.source_segment_id', 's.snapshot_at', 's.created_by', 's.created_at', 's.updated_at',
] as const;

export const findSegment = (db: Db, workspaceId: string, id: string, lock = false) =>
  db
    .selectFrom('segments as s')
    .select(columns)
    .where('s.workspace_id', '=', workspaceId)
    .where('s.id', '=', id)
    .$if(lock, (q) => q.forUpdate())
    .executeTakeFirst();
export type SegmentRow = NonNullable<Awaited<ReturnType<typeof findSegment>>>;

/** Segments by name (then id), after the keyset cursor. */
export const listSegments = (db: Db, workspaceId: string, page: { after?: { name: string; id: string }; limit: number; kind?: SegmentKind }) =>
  db
    .selectFrom('segments as s')
    .select(columns)
    .where('s.workspace_id', '=', workspaceId)
    .$if(Boolean(page.kind), (q) => q.where('s.kind', '=', page.kind!))
    .$if(Boolean(page.after), (q) => q.where(sql`(lower(s.name), s.id)`, '>', sql`(lower(${page.after!.name}), ${page.after!.id}::uuid)`))
    .orderBy(sql`lower(s.name)`)
    .orderBy('s.id')
    .limit(page.limit + 1)
    .execute();

export interface SegmentValues {
  kind: SegmentKind;
  name: string;
  description: string | null;
  definition: Record<string, unknown> | null;
  deps: string[];
  status: SegmentStatus;
  createdBy: string;
  sourceSegmentId?: string | null;
  snapshotAt?: Date | null;
}

/** Inserts a segment; null when the name is taken. */
export async function insertSegment(db: Db, workspaceId: string, v: SegmentValues) {
  const row = await db
    .insertInto('segments')
    .values({
      workspace_id: workspaceId,
      kind: v.kind,
      name: v.name,
      description: v.description,
      definition: v.definition === null ? null : JSON.stringify(v.definition),
      deps: v.deps,
      status: v.status,
      created_by: v.createdBy,
      source_segment_id: v.sourceSegmentId ?? null,
      snapshot_at: v.snapshotAt ?? null,
    })
    .onConflict((oc) => oc.expression(sql`workspace_id, lower(name)`).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Changes name, description or definition; false when the new name is taken. */
export async function updateSegment(db: Db, workspaceId: string, id: string, v: { name?: string; description?: string | null; definition?: Record<string, unknown>; deps?: string[]; status?: SegmentStatus }) {
  if (v.name !== undefined) {
    const taken = await db
      .selectFrom('segments')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where(sql`lower(name)`, '=', v.name.toLowerCase())
      .where('id', '<>', id)
      .executeTakeFirst();
    if (taken) return false;
  }
  await db
    .updateTable('segments')
    .set({
      ...(v.name !== undefined ? { name: v.name } : {}),
      ...(v.description !== undefined ? { description: v.description } : {}),
      ...(v.definition !== undefined ? { definition: JSON.stringify(v.definition), error: null } : {}),
      ...(v.deps !== undefined ? { deps: v.deps } : {}),
      ...(v.status !== undefined ? { status: v.status } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
  return true;
}

export const setBuildJob = (db: Db, workspaceId: string, id: string, jobId: string | null) =>
  db.updateTable('segments').set({ build_job_id: jobId }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export const markInvalid = (db: Db, workspaceId: string, id: string, error: string) =>
  db.updateTable('segments').set({ status: 'invalid', error }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export const deleteSegment = (db: Db, workspaceId: string, id: string) =>
  db.deleteFrom('segments').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

/**
 * Sets the member count (exactly, after a full build, or by a delta after an incremental change)
 * and today's size in the history, in the workspace's time zone.
 */
export async function recordSize(db: Db, workspaceId: string, id: string, size: { exact: number } | { delta: number }, built = false) {
  const count = 'exact' in size ? sql<number>`${size.exact}::int` : sql<number>`member_count + ${size.delta}::int`;
  await sql`
    with s as (
      update segments set member_count = ${count}${built ? sql`, status = 'ready', error = null, built_at = now()` : sql``}
      where workspace_id = ${workspaceId} and id = ${id}
      returning workspace_id, id, member_count)
    insert into segment_size_history (workspace_id, segment_id, day, size)
    select s.workspace_id, s.id, (now() at time zone w.timezone)::date, s.member_count from s join workspaces w on w.id = s.workspace_id
    on conflict (workspace_id, segment_id, day) do update set size = excluded.size`.execute(db);
}

/** One size per day from `from` to `to`: the last size recorded on or before that day (0 before the first). */
export async function sizeHistory(db: Db, workspaceId: string, id: string, from: string, to: string) {
  const { rows } = await sql<{ day: string; size: number }>`
    select to_char(d.day, 'YYYY-MM-DD') as day,
           coalesce((select h.size from segment_size_history h
                     where h.workspace_id = ${workspaceId} and h.segment_id = ${id} and h.day <= d.day
                     order by h.day desc limit 1), 0)::int as size
    from generate_series(${from}::date, ${to}::date, interval '1 day') as d(day)
    order by d.day`.execute(db);
  return rows;
}

/** Copies every member of one segment into another (a snapshot), keeping when each entered. */
export async function copyMembers(db: Db, workspaceId: string, fromId: string, toId: string) {
  const r = await sql`
    insert into segment_members (workspace_id, segment_id, contact_id, entered_at)
    select workspace_id, ${toId}, contact_id, entered_at from segment_members
    where workspace_id = ${workspaceId} and segment_id = ${fromId}`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * The dynamic segments a change must re-evaluate: those reading any of `keys`, every one
 * (`all`: a new or restored contact), or those the contacts are members of (`members`).
 * Segments never built yet are left to their build, which reads the latest state.
 */
export function affectedSegments(db: Db, workspaceId: string, selector: { keys: string[] } | { all: true } | { membersOf: string[] }) {
  return db
    .selectFrom('segments as s')
    .select(['s.id', 's.definition'])
    // Locked in lock-key order (lockSegment), so two changes never wait on each other in a circle.
    .orderBy(sql`hashtext(s.id::text)`)
    .where('s.workspace_id', '=', workspaceId)
    .where('s.kind', '=', 'dynamic')
    .where('s.status', '<>', 'invalid')
    .where('s.built_at', 'is not', null)
    .$if('keys' in selector, (q) => q.where(sql<boolean>`s.deps && ${(selector as { keys: string[] }).keys}::text[]`))
    .$if('membersOf' in selector, (q) =>
      q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('segment_members as m')
            .select('m.contact_id')
            .whereRef('m.workspace_id', '=', 's.workspace_id')
            .whereRef('m.segment_id', '=', 's.id')
            .where('m.contact_id', 'in', (selector as { membersOf: string[] }).membersOf),
        ),
      ),
    )
    .orderBy('s.id')
    .execute();
}

/** Serialises every change to one segment's membership (builds, incremental updates) until commit. */
export const lockSegment = (db: Db, id: string) => sql`select pg_advisory_xact_lock(7245400, hashtext(${id}::text))`.execute(db);

export const workspaceTimezone = async (db: Db, workspaceId: string) =>
  (await db.selectFrom('workspaces').select('timezone').where('id', '=', workspaceId).executeTakeFirstOrThrow()).timezone;
