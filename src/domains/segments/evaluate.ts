// Keeping dynamic segments current. A full build evaluates the definition over the whole
// workspace in one set-based statement; an incremental update evaluates only the segments a change
// can affect, only for the contacts it names, one statement per segment over the whole set. Both
// diff membership, move the count and today's size, and emit `segments.segment.entered` /
// `segments.segment.left` (contact ids in chunks) for automations. Every change to one segment's
// membership holds that segment's lock until commit, so concurrent updates never interleave.
import type { Logger } from 'pino';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { AppError } from '../../platform/http/errors.js';
import { listFieldDefinitions, type FieldDefinition } from '../contacts/index.js';
import { conditionsOf, definitionSchema, type Definition } from './definition.js';
import { compileDefinition } from './queries/compile.js';
import { applyMembership, evaluationMemory, type MembershipChange } from './queries/membership.js';
import * as store from './store.js';

/** Contact ids per entered/left event: an event stays small whatever the change. */
export const EVENT_CHUNK = 1000;
/** Contacts per statement of an incremental update. */
const SET_CHUNK = 5000;

export interface Workspace {
  workspaceId: string;
  fields: readonly FieldDefinition[];
  timezone: string;
}

export async function loadWorkspace(db: Db, workspaceId: string): Promise<Workspace> {
  return { workspaceId, fields: await listFieldDefinitions(db, workspaceId), timezone: await store.workspaceTimezone(db, workspaceId) };
}

export async function emitChanges(tx: Tx, workspaceId: string, segmentId: string, change: MembershipChange) {
  for (const [type, ids] of [['segments.segment.entered', change.entered], ['segments.segment.left', change.left]] as const) {
    for (let i = 0; i < ids.length; i += EVENT_CHUNK) await emit(tx, workspaceId, type, { segmentId, contactIds: ids.slice(i, i + EVENT_CHUNK) });
  }
}

/** The stored definition, compiled; null (and the segment marked invalid) when it no longer compiles. */
function compileStored(w: Workspace, segment: { id: string; definition: unknown }, contactIds: readonly string[] | null) {
  const definition = definitionSchema.parse(segment.definition) as Definition;
  return compileDefinition(definition, { workspaceId: w.workspaceId, fields: w.fields, timezone: w.timezone, ...(contactIds ? { contactIds } : {}) });
}

const reason = (error: unknown) =>
  error instanceof AppError ? `${error.message}: ${JSON.stringify((error.details as { errors?: unknown } | undefined)?.errors ?? [])}` : String(error);

/**
 * Evaluates a segment over the whole workspace and makes its members match, in one transaction.
 * `emitEvents` is false for a segment's first build: its initial members did not "enter".
 */
export async function buildSegment(db: Db, workspaceId: string, segmentId: string, options: { emitEvents: boolean; logger?: Logger }) {
  return inTransaction(db, async (tx) => {
    await store.lockSegment(tx, segmentId);
    const segment = await store.findSegment(tx, workspaceId, segmentId);
    if (!segment || !segment.definition) return null;
    const w = await loadWorkspace(tx, workspaceId);
    let compiled;
    try {
      compiled = compileStored(w, segment, null);
    } catch (error) {
      options.logger?.warn({ segmentId, error: reason(error) }, 'segment definition no longer compiles');
      await store.markInvalid(tx, workspaceId, segmentId, reason(error));
      return null;
    }
    await evaluationMemory(tx);
    const first = !segment.built_at;
    const withIds = options.emitEvents && !first;
    const change = await applyMembership(tx, workspaceId, segmentId, compiled, null, withIds);
    if (withIds) await emitChanges(tx, workspaceId, segmentId, change as MembershipChange);
    const size = await tx
      .selectFrom('segment_members')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('segment_id', '=', segmentId)
      .executeTakeFirstOrThrow();
    await store.recordSize(tx, workspaceId, segmentId, { exact: Number(size.n) }, true);
    const count = (x: string[] | number) => (Array.isArray(x) ? x.length : x);
    return { entered: count(change.entered), left: count(change.left), size: Number(size.n) };
  });
}

/**
 * Re-evaluates the segments `selector` picks for `contactIds` (set-based: one statement per
 * segment per chunk of contacts), in the caller's transaction. Returns the changes by segment.
 */
export async function reevaluate(tx: Tx, workspaceId: string, contactIds: readonly string[], selector: Parameters<typeof store.affectedSegments>[2], logger?: Logger) {
  const ids = [...new Set(contactIds)];
  if (!ids.length) return new Map<string, MembershipChange>();
  const segments = await store.affectedSegments(tx, workspaceId, selector);
  const changes = new Map<string, MembershipChange>();
  if (!segments.length) return changes;
  const w = await loadWorkspace(tx, workspaceId);
  for (const segment of segments) {
    await store.lockSegment(tx, segment.id);
    const all: MembershipChange = { entered: [], left: [] };
    for (let i = 0; i < ids.length; i += SET_CHUNK) {
      const chunk = ids.slice(i, i + SET_CHUNK);
      let compiled;
      try {
        compiled = compileStored(w, segment, chunk);
      } catch (error) {
        logger?.warn({ segmentId: segment.id, error: reason(error) }, 'segment definition no longer compiles');
        await store.markInvalid(tx, workspaceId, segment.id, reason(error));
        break;
      }
      const change = (await applyMembership(tx, workspaceId, segment.id, compiled, chunk, true)) as MembershipChange;
      all.entered.push(...change.entered);
      all.left.push(...change.left);
    }
    if (all.entered.length || all.left.length) {
      await store.recordSize(tx, workspaceId, segment.id, { delta: all.entered.length - all.left.length });
      await emitChanges(tx, workspaceId, segment.id, all);
      changes.set(segment.id, all);
    }
  }
  return changes;
}

/** A custom field was deleted: the dynamic segments reading it stop (status invalid) until redefined. */
export async function invalidateReaders(tx: Tx, workspaceId: string, key: string) {
  const readers = await store.affectedSegments(tx, workspaceId, { keys: ['custom'] });
  for (const s of readers) {
    const parsed = definitionSchema.safeParse(s.definition);
    if (parsed.success && conditionsOf(parsed.data).some((c) => c.kind === 'custom' && c.key === key)) {
      await store.markInvalid(tx, workspaceId, s.id, `Unknown custom field: the field ${key} was deleted`);
    }
  }
}
