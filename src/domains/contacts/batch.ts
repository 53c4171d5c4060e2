// Batch work on a selection or on every result of a filter: add/remove tags, set stage, assign
// owner, delete, restore. Up to INLINE_LIMIT contacts it runs in the request; beyond, as a job
// that first records its target contacts (one INSERT … SELECT, committed with the first
// checkpoint), then walks them in id order, committing each chunk with its checkpoint (progress
// bar; a crash resumes after the last committed chunk).
import { randomUUID } from 'node:crypto';
import { sql, type Expression, type SqlBool } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import { actorForMember } from '../../platform/auth/sessions.js';
import { visibleOwner } from '../../platform/auth/scope.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { notFound } from '../../platform/http/errors.js';
import { defineJob, enqueue } from '../../platform/queue/index.js';
import { batchBody, type BatchInput } from './batch-schema.js';
import * as store from './batch-store.js';
import { RESTORE_DAYS } from './contacts.js';
import { compileContactFilter } from './filter.js';
import { addTagsToContacts, removeTagsFromContacts } from './tags.js';

export const INLINE_LIMIT = 1000;
const CHUNK = 5000;

const permissionOf = (action: BatchInput['action']) => (action === 'delete' || action === 'restore' ? 'contacts:delete' : 'contacts:write');

/** The contacts the batch works on, as a predicate over `contacts c`. */
async function targetOf(db: Db, actor: Actor, input: BatchInput): Promise<Expression<SqlBool>> {
  if ('filter' in input.target) return compileContactFilter(db, actor, input.target.filter, { path: 'target.filter' });
  const ids = sql`c.id = any(${input.target.ids}::uuid[]) and c.workspace_id = ${actor.workspaceId} and ${visibleOwner(actor, 'c.owner_member_id')}`;
  // Restoring works on deleted contacts; everything else on live ones.
  return sql<SqlBool>`(${ids} and c.deleted_at ${input.action === 'restore' ? sql`is not null` : sql`is null`})`;
}

/** Ids grouped by the value they had before the change, for one event per group. */
function byBefore(rows: Array<{ id: string; before: string | null }>) {
  const groups = new Map<string | null, string[]>();
  for (const r of rows) groups.set(r.before, [...(groups.get(r.before) ?? []), r.id]);
  return groups;
}

/**
 * Sets the stage of the live contacts among `ids` (batch work here; auto-tag rules through
 * index.ts): one stage_changed event per previous stage, carrying `sourceRef` when the caller has
 * one (a rule run, so reactions can tell what caused the change). Returns the changed ids.
 */
export async function setStageOfContacts(tx: Tx, workspaceId: string, ids: readonly string[], stageId: string | null, memberId: string | null, sourceRef?: string) {
  const changed = await store.setReference(tx, workspaceId, ids, 'stage_id', stageId);
  for (const [from, contactIds] of byBefore(changed)) {
    await emit(tx, workspaceId, 'contacts.contact.stage_changed', { contactIds, fromStageId: from, toStageId: stageId, actorMemberId: memberId, ...(sourceRef ? { sourceRef } : {}) });
  }
  return changed.map((r) => r.id);
}

/** Applies the action to one chunk of ids in `tx`; returns how many contacts it changed. */
async function applyChunk(tx: Tx, actor: Actor, input: BatchInput, ids: string[], ref: string): Promise<number> {
  const ws = actor.workspaceId;
  const by = actor.memberId;
  switch (input.action) {
    case 'add_tags':
      return (await addTagsToContacts(tx, ws, { contactIds: ids }, input.tagIds, 'batch', ref, by)).added;
    case 'remove_tags':
      return (await removeTagsFromContacts(tx, ws, { contactIds: ids }, input.tagIds, 'batch', ref, by)).removed;
    case 'set_stage':
      return (await setStageOfContacts(tx, ws, ids, input.stageId, by)).length;
    case 'assign_owner': {
      const changed = await store.setReference(tx, ws, ids, 'owner_member_id', input.ownerId);
      for (const [from, contactIds] of byBefore(changed)) {
        await emit(tx, ws, 'contacts.contact.owner_changed', { contactIds, fromOwnerId: from, toOwnerId: input.ownerId, actorMemberId: by });
      }
      return changed.length;
    }
    case 'delete': {
      const changed = await store.softDelete(tx, ws, ids);
      if (changed.length) await emit(tx, ws, 'contacts.contact.deleted', { contactIds: changed.map((r) => r.id), actorMemberId: by });
      return changed.length;
    }
    case 'restore': {
      const changed = await store.restore(tx, ws, ids, RESTORE_DAYS);
      if (changed.length) await emit(tx, ws, 'contacts.contact.restored', { contactIds: changed.map((r) => r.id), actorMemberId: by });
      return changed.length;
    }
  }
}

/** Tags, stage and owner named by the batch must be the workspace's own (else 404). */
async function checkReferences(db: Db, actor: Actor, input: BatchInput) {
  const ws = actor.workspaceId;
  const exists = async (table: 'tags' | 'stages' | 'members', ids: string[]) =>
    (await db.selectFrom(table).select('id').where('workspace_id', '=', ws).where('id', 'in', ids).execute()).length === new Set(ids).size;
  if ((input.action === 'add_tags' || input.action === 'remove_tags') && !(await exists('tags', input.tagIds))) throw notFound('Tag');
  if (input.action === 'set_stage' && input.stageId && !(await exists('stages', [input.stageId]))) throw notFound('Stage');
  if (input.action === 'assign_owner' && input.ownerId && !(await exists('members', [input.ownerId]))) throw notFound('Member');
}

interface Progress {
  after: string | null;
  processed: number;
  affected: number;
}

/** The next chunk of target ids after `after`, in id order. */
type NextIds = (tx: Tx, after: string | null) => Promise<string[]>;

/** Walks the targets in chunks, each committed with `onChunk` (the job's checkpoint) in its transaction. */
async function walk(db: Db, actor: Actor, input: BatchInput, ref: string, nextIds: NextIds, from: Progress, onChunk?: (p: Progress, tx: Tx) => Promise<void>) {
  let progress = from;
  for (;;) {
    const step = await inTransaction(db, async (tx) => {
      const ids = await nextIds(tx, progress.after);
      if (!ids.length) return null;
      const affected = await applyChunk(tx, actor, input, ids, `${ref}:${progress.processed}`);
      const next = { after: ids.at(-1)!, processed: progress.processed + ids.length, affected: progress.affected + affected };
      await onChunk?.(next, tx);
      return { next, last: ids.length < CHUNK };
    });
    if (!step) return progress;
    progress = step.next;
    if (step.last) return progress;
  }
}

async function auditBatch(db: Db, actor: Actor, input: BatchInput, result: Progress, jobId: string | null) {
  const { target, ...params } = input;
  await recordAudit(db, actor, {
    action: 'contacts.batch',
    entityType: 'contact',
    after: { ...params, target: 'ids' in target ? { ids: target.ids.length } : target, affected: result.affected, processed: result.processed, jobId },
  });
}

/** A job's state: `null` until its targets are recorded, then the walk's progress. */
type JobState = Progress | null;

export const batchJob = defineJob<z.ZodType<{ workspaceId: string; memberId: string; batch: BatchInput }>, JobState>({
  name: 'contacts.batch',
  queue: 'bulk',
  maxAttempts: 5,
  payload: z.object({ workspaceId: z.uuid(), memberId: z.uuid(), batch: batchBody }),
  async handler(ctx, { workspaceId, memberId, batch }) {
    // Acts as the member who started it, with the role they hold now.
    const actor = await actorForMember(ctx.db, workspaceId, memberId);
    if (!actor) throw new Error('The member who started this batch is no longer active');
    requireAccess(actor, permissionOf(batch.action));
    const jobId = ctx.job.id;
    let start = ctx.state ?? null;
    if (!start) {
      const resolved = { after: null, processed: 0, affected: 0 };
      const total = await inTransaction(ctx.db, async (tx) => {
        const n = await store.resolveTargets(tx, workspaceId, jobId, await targetOf(tx, actor, batch));
        await ctx.checkpoint(resolved, 0, tx);
        return n;
      });
      await ctx.progress(0, total);
      start = resolved;
    }
    const next: NextIds = (tx, after) => store.nextTargets(tx, workspaceId, jobId, after, CHUNK);
    const result = await walk(ctx.db, actor, batch, jobId, next, start, (p, tx) => ctx.checkpoint(p, p.processed, tx));
    await store.dropTargets(ctx.db, workspaceId, jobId);
    await auditBatch(ctx.db, actor, batch, result, jobId);
    return { affected: result.affected, processed: result.processed };
  },
});

export async function runBatch(db: Db, actor: Actor, input: BatchInput): Promise<{ done: true; affected: number } | { done: false; jobId: string }> {
  requireAccess(actor, permissionOf(input.action));
  await checkReferences(db, actor, input);
  const target = await targetOf(db, actor, input);
  const total = Number((await sql<{ n: number }>`select count(*) as n from contacts c where ${target}`.execute(db)).rows[0]!.n);
  if (total > INLINE_LIMIT) {
    const jobId = await enqueue(db, batchJob, { workspaceId: actor.workspaceId, memberId: actor.memberId, batch: input }, { total });
    return { done: false, jobId };
  }
  const ref = randomUUID();
  return inTransaction(db, async (tx) => {
    // At most INLINE_LIMIT contacts: one chunk straight from the filter.
    const next: NextIds = async (inner, after) =>
      (await sql<{ id: string }>`select c.id from contacts c where ${target} ${after ? sql`and c.id > ${after}` : sql``} order by c.id limit ${CHUNK}`.execute(inner)).rows.map((r) => r.id);
    const result = await walk(tx, actor, input, ref, next, { after: null, processed: 0, affected: 0 });
    await auditBatch(tx, actor, input, result, null);
    return { done: true, affected: result.affected };
  });
}
