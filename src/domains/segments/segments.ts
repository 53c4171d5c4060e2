// Segments: the rules. A definition is checked against the workspace (custom keys and their
// types, the tags, stages, members and teams it names) before it is saved; saving a dynamic
// segment builds its members — in the request for a small workspace, as a job with progress
// beyond. Counts and member lists only ever show contacts within the caller's data scope.
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { conflict, invalid, notFound, type FieldError } from '../../platform/http/errors.js';
import { afterNewestFirst, toPage, decodeCursor, encodeCursor } from '../../platform/http/pagination.js';
import { enqueue } from '../../platform/queue/index.js';
import { requireVisibleContact, startExport } from '../contacts/index.js';
import { conditionsOf, dependenciesOf, type Definition } from './definition.js';
import { buildSegment, loadWorkspace } from './evaluate.js';
import { DRIFTING, scheduleRefresh, segmentBuildJob } from './jobs.js';
import { compileDefinition } from './queries/compile.js';
import { countMatches, liveContacts, memberPage, segmentsOfContact, visibleMemberCounts } from './queries/membership.js';
import * as store from './store.js';
import type { SegmentKind } from './tables.js';

/** Up to this many live contacts, a build runs in the request; beyond, as a job. */
export const INLINE_BUILD_LIMIT = 10_000;

const toSegment = (r: store.SegmentRow, memberCount: number) => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  description: r.description,
  definition: r.definition,
  status: r.status,
  error: r.error,
  memberCount,
  builtAt: r.built_at,
  buildJobId: r.build_job_id,
  sourceSegmentId: r.source_segment_id,
  snapshotAt: r.snapshot_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export type Segment = ReturnType<typeof toSegment>;

/**
 * Member counts as the actor may see them. A dynamic segment's stored count is exact for a
 * workspace-wide scope (deleted contacts leave it); a static list keeps contacts deleted since,
 * which nobody sees, so it is counted.
 */
async function countsFor(db: Db, actor: Actor, rows: store.SegmentRow[]) {
  const stored = actor.scope === 'all' ? rows.filter((r) => r.kind === 'dynamic') : [];
  const counted = await visibleMemberCounts(db, actor, rows.filter((r) => !stored.includes(r)).map((r) => r.id));
  for (const r of stored) counted.set(r.id, r.member_count);
  return counted;
}

async function present(db: Db, actor: Actor, row: store.SegmentRow) {
  return toSegment(row, (await countsFor(db, actor, [row])).get(row.id) ?? 0);
}

async function requireSegment(db: Db, actor: Actor, id: string, lock = false) {
  const row = await store.findSegment(db, actor.workspaceId, id, lock);
  if (!row) throw notFound('Segment');
  return row;
}

/** Compiles the definition for the workspace and checks every id it names; throws validation_failed. */
export async function checkDefinition(db: Db, actor: Actor, definition: Definition, path = 'definition') {
  const w = await loadWorkspace(db, actor.workspaceId);
  compileDefinition(definition, { workspaceId: w.workspaceId, fields: w.fields, timezone: w.timezone, path });
  const named = { tags: new Set<string>(), stages: new Set<string>(), members: new Set<string>(), teams: new Set<string>() };
  for (const c of conditionsOf(definition)) {
    if (c.kind === 'tags') c.tagIds.forEach((id) => named.tags.add(id));
    if (c.kind === 'stage') c.stageIds?.forEach((id) => named.stages.add(id));
    if (c.kind === 'owner') c.memberIds.forEach((id) => id !== 'none' && named.members.add(id));
    if (c.kind === 'team') c.teamIds.forEach((id) => named.teams.add(id));
  }
  const errors: FieldError[] = [];
  for (const [table, ids] of Object.entries(named) as Array<['tags' | 'stages' | 'members' | 'teams', Set<string>]>) {
    if (!ids.size) continue;
    const found = new Set((await db.selectFrom(table).select('id').where('workspace_id', '=', actor.workspaceId).where('id', 'in', [...ids]).execute()).map((r) => r.id));
    for (const id of ids) if (!found.has(id)) errors.push({ path, message: `Unknown ${table.slice(0, -1)} ${id}` });
  }
  if (errors.length) throw invalid(errors);
}

/** Builds now (small workspace) or queues the build; returns the job id when queued. */
async function build(tx: Tx, actor: Actor, segmentId: string, emitEvents: boolean) {
  const total = await liveContacts(tx, actor.workspaceId);
  if (total <= INLINE_BUILD_LIMIT) {
    await buildSegment(tx, actor.workspaceId, segmentId, { emitEvents });
    return null;
  }
  const jobId = await enqueue(tx, segmentBuildJob, { workspaceId: actor.workspaceId, segmentId, emitEvents }, { total });
  await store.setBuildJob(tx, actor.workspaceId, segmentId, jobId);
  return jobId;
}

const audit = (r: { name: string; kind: string }) => ({ name: r.name, kind: r.kind });

export async function listSegments(db: Db, actor: Actor, page: { cursor?: string; limit: number; kind?: SegmentKind }) {
  requireAccess(actor, 'segments:read');
  const after = page.cursor ? decodeCursor(page.cursor, 2) : undefined;
  const rows = await store.listSegments(db, actor.workspaceId, { limit: page.limit, kind: page.kind, ...(after ? { after: { name: String(after[0]), id: String(after[1]) } } : {}) });
  const kept = rows.slice(0, page.limit);
  const counts = await countsFor(db, actor, kept);
  return {
    items: kept.map((r) => toSegment(r, counts.get(r.id) ?? 0)),
    nextCursor: rows.length > page.limit ? encodeCursor([kept.at(-1)!.name, kept.at(-1)!.id]) : null,
  };
}

export async function getSegment(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'segments:read');
  return present(db, actor, await requireSegment(db, actor, id));
}

export interface SegmentInput {
  name: string;
  description?: string | null;
  kind: SegmentKind;
  definition: Definition;
}

export async function createSegment(db: Db, actor: Actor, input: SegmentInput) {
  requireAccess(actor, 'segments:write');
  await checkDefinition(db, actor, input.definition);
  return inTransaction(db, async (tx) => {
    const deps = dependenciesOf(input.definition);
    const id = await store.insertSegment(tx, actor.workspaceId, {
      kind: input.kind,
      name: input.name,
      description: input.description ?? null,
      definition: input.definition as unknown as Record<string, unknown>,
      deps: input.kind === 'dynamic' ? deps : [],
      status: 'building',
      createdBy: actor.memberId,
    });
    if (!id) throw conflict('A segment with this name exists', { field: 'name' });
    // A static segment is built once, from its definition, and then frozen.
    await build(tx, actor, id, false);
    if (input.kind === 'dynamic' && deps.some((d) => DRIFTING.includes(d))) await scheduleRefresh(tx, actor.workspaceId);
    await recordAudit(tx, actor, { action: 'segment.created', entityType: 'segment', entityId: id, after: { ...audit(input), definition: input.definition } });
    return present(tx, actor, (await store.findSegment(tx, actor.workspaceId, id))!);
  });
}

export async function updateSegment(db: Db, actor: Actor, id: string, patch: { name?: string; description?: string | null; definition?: Definition }) {
  requireAccess(actor, 'segments:write');
  if (patch.definition) await checkDefinition(db, actor, patch.definition);
  return inTransaction(db, async (tx) => {
    const before = await requireSegment(tx, actor, id, true);
    const redefined = patch.definition !== undefined && JSON.stringify(patch.definition) !== JSON.stringify(before.definition);
    if (redefined && before.kind === 'static') throw conflict('A static segment is a frozen list; duplicate it as a dynamic one to change its definition');
    const deps = patch.definition ? dependenciesOf(patch.definition) : undefined;
    const saved = await store.updateSegment(tx, actor.workspaceId, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(redefined ? { definition: patch.definition as unknown as Record<string, unknown>, deps, status: 'building' as const } : {}),
    });
    if (!saved) throw conflict('A segment with this name exists', { field: 'name' });
    if (redefined) {
      // Members who no longer match leave, newcomers enter: a redefinition's changes are real.
      await build(tx, actor, id, true);
      if (deps!.some((d) => DRIFTING.includes(d))) await scheduleRefresh(tx, actor.workspaceId);
    }
    const after = (await store.findSegment(tx, actor.workspaceId, id))!;
    await recordAudit(tx, actor, {
      action: 'segment.updated',
      entityType: 'segment',
      entityId: id,
      before: { ...audit(before), ...(redefined ? { definition: before.definition } : {}) },
      after: { ...audit(after), ...(redefined ? { definition: after.definition } : {}) },
    });
    return present(tx, actor, after);
  });
}

export async function deleteSegment(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'segments:write');
  await inTransaction(db, async (tx) => {
    const row = await requireSegment(tx, actor, id, true);
    await store.lockSegment(tx, id);
    await store.deleteSegment(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'segment.deleted', entityType: 'segment', entityId: id, before: audit(row) });
  });
}

/** A free name: "<name> (2)", "(3)"… */
async function freeName(tx: Tx, workspaceId: string, base: string) {
  const { rows } = await sql<{ name: string }>`select lower(name) as name from segments where workspace_id = ${workspaceId} and lower(name) like ${`${base.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`.execute(tx);
  const taken = new Set(rows.map((r) => r.name));
  for (let i = 2; ; i++) {
    const candidate = `${base} (${i})`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/** A copy with the same kind and definition (a static one with the same members). */
export async function duplicateSegment(db: Db, actor: Actor, id: string, input: { name?: string }) {
  requireAccess(actor, 'segments:write');
  return inTransaction(db, async (tx) => {
    const source = await requireSegment(tx, actor, id);
    const name = input.name ?? (await freeName(tx, actor.workspaceId, source.name.slice(0, 90)));
    const copy = await store.insertSegment(tx, actor.workspaceId, {
      kind: source.kind,
      name,
      description: source.description,
      definition: source.definition,
      deps: source.deps,
      status: source.kind === 'static' ? 'ready' : 'building',
      createdBy: actor.memberId,
      sourceSegmentId: source.kind === 'static' ? source.source_segment_id : null,
      snapshotAt: source.snapshot_at,
    });
    if (!copy) throw conflict('A segment with this name exists', { field: 'name' });
    if (source.kind === 'static') {
      await store.lockSegment(tx, source.id);
      const n = await store.copyMembers(tx, actor.workspaceId, source.id, copy);
      await store.recordSize(tx, actor.workspaceId, copy, { exact: n }, true);
    } else {
      await build(tx, actor, copy, false);
    }
    await recordAudit(tx, actor, { action: 'segment.duplicated', entityType: 'segment', entityId: copy, after: { name, from: id } });
    return present(tx, actor, (await store.findSegment(tx, actor.workspaceId, copy))!);
  });
}

/** A static copy of the segment's members as they are now (a dated, frozen list). */
export async function snapshotSegment(db: Db, actor: Actor, id: string, input: { name?: string }) {
  requireAccess(actor, 'segments:write');
  return inTransaction(db, async (tx) => {
    const source = await requireSegment(tx, actor, id);
    if (source.status === 'building') throw conflict('The segment is still being built; take the snapshot when it is ready');
    await store.lockSegment(tx, source.id);
    const { rows } = await sql<{ day: string }>`select to_char(now() at time zone timezone, 'YYYY-MM-DD HH24:MI') as day from workspaces where id = ${actor.workspaceId}`.execute(tx);
    const name = input.name ?? (await freeName(tx, actor.workspaceId, `${source.name.slice(0, 80)} @ ${rows[0]!.day}`));
    const snap = await store.insertSegment(tx, actor.workspaceId, {
      kind: 'static',
      name,
      description: source.description,
      definition: source.definition,
      deps: [],
      status: 'ready',
      createdBy: actor.memberId,
      sourceSegmentId: source.id,
      snapshotAt: new Date(),
    });
    if (!snap) throw conflict('A segment with this name exists', { field: 'name' });
    const n = await store.copyMembers(tx, actor.workspaceId, source.id, snap);
    await store.recordSize(tx, actor.workspaceId, snap, { exact: n }, true);
    await recordAudit(tx, actor, { action: 'segment.snapshot_taken', entityType: 'segment', entityId: snap, after: { name, from: id, members: n } });
    return present(tx, actor, (await store.findSegment(tx, actor.workspaceId, snap))!);
  });
}

/** Rebuilds a dynamic segment in full (after a custom field it reads came back, say). */
export async function rebuildSegment(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'segments:write');
  return inTransaction(db, async (tx) => {
    const row = await requireSegment(tx, actor, id, true);
    if (row.kind !== 'dynamic') throw conflict('A static segment is a frozen list');
    await store.updateSegment(tx, actor.workspaceId, id, { status: row.status === 'invalid' ? 'building' : row.status });
    const jobId = await build(tx, actor, id, true);
    return { segment: await present(tx, actor, (await store.findSegment(tx, actor.workspaceId, id))!), jobId };
  });
}

/** How many contacts an unsaved definition matches, among those the caller sees (the live count). */
export async function previewCount(db: Db, actor: Actor, definition: Definition) {
  requireAccess(actor, 'segments:read');
  const w = await loadWorkspace(db, actor.workspaceId);
  const compiled = compileDefinition(definition, { workspaceId: w.workspaceId, fields: w.fields, timezone: w.timezone, actor });
  return countMatches(db, compiled);
}

export async function listMembers(db: Db, actor: Actor, id: string, page: { cursor?: string; limit: number }) {
  requireAccess(actor, 'segments:read');
  await requireSegment(db, actor, id);
  const rows = await memberPage(db, actor, id, afterNewestFirst('m.entered_at', 'm.contact_id', page.cursor), page.limit);
  return toPage(
    rows,
    page.limit,
    (r) => [r.entered_at.toISOString(), r.contact_id],
    (r) => ({
      contact: { id: r.contact_id, name: r.name, avatarUrl: r.avatar_url, phone: r.phone, email: r.email, company: r.company },
      enteredAt: r.entered_at,
    }),
  );
}

export async function contactSegments(db: Db, actor: Actor, contactId: string) {
  requireAccess(actor, 'segments:read');
  await requireVisibleContact(db, actor, contactId);
  const rows = await segmentsOfContact(db, actor.workspaceId, contactId);
  return { items: rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, enteredAt: r.entered_at })) };
}

const MAX_HISTORY_DAYS = 731;

/** The size per day (workspace-wide, as recorded each day), `from`–`to` inclusive (default: the last 30 days). */
export async function segmentHistory(db: Db, actor: Actor, id: string, range: { from?: string; to?: string }) {
  requireAccess(actor, 'segments:read');
  await requireSegment(db, actor, id);
  const { rows } = await sql<{ today: string }>`select to_char((now() at time zone timezone)::date, 'YYYY-MM-DD') as today from workspaces where id = ${actor.workspaceId}`.execute(db);
  const to = range.to ?? rows[0]!.today;
  const from = range.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (days < 0 || days >= MAX_HISTORY_DAYS) throw invalid([{ path: 'from', message: `from must be on or before to, at most ${MAX_HISTORY_DAYS} days` }]);
  return { items: await store.sizeHistory(db, actor.workspaceId, id, from, to) };
}

/** A CSV of the members the caller sees, by the contacts export job (contacts:export). */
export async function exportSegment(db: Db, actor: Actor, id: string, columns: string[] | undefined, exportDir: string) {
  requireAccess(actor, 'segments:read');
  requireAccess(actor, 'contacts:export');
  await requireSegment(db, actor, id);
  return startExport(db, actor, { filter: { segmentIds: [id] }, ...(columns ? { columns } : {}) }, exportDir);
}

