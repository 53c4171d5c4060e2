// Background work of rules.
//
// - build: a new, redefined or re-enabled condition rule learns who meets its condition now
//   (tag_rule_members), acting on no one; it acts on crossings from then on.
// - backfill ("apply to existing contacts"): finds the contacts the rule's trigger holds for now,
//   in the job's first transaction — an event rule: who did it, recorded once in
//   tag_rule_targets; a condition rule: its members brought up to date, to walk who meets (or,
//   for "becomes false", who does not meet) the condition — then walks them in id order, CHUNK
//   contacts per transaction committed with the job's checkpoint: a progress bar, and a crash
//   resumes after the last committed chunk. Owners are not notified by a backfill.
// - refresh: daily, the condition rules no event keeps current (relative to today: "no order in
//   the last 90 days"; teams; RFM scores) are re-evaluated over the workspace and act on the
//   contacts that crossed.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { defineJob, enqueue } from '../../platform/queue/index.js';
import { applyRule } from './act.js';
import { compileError, compileTrigger, loadWorkspace, parseRule } from './compiled.js';
import { fire, rootCause } from './fire.js';
import { countLiveContacts } from './queries/contacts.js';
import { analyzeWalked, countMembers, diffMembers, nextMembers, nextNonMembers, recordTargets, syncMembers, type WalkStep } from './queries/membership.js';
import * as store from './store.js';

/** Contacts per backfill transaction. */
export const CHUNK = 10_000;
/** Dependency keys whose condition rules the daily refresh re-evaluates over the workspace. */
export const DRIFTING = ['time', 'team', 'rfm'];
/** Up to this many live contacts, a condition rule's membership is built in the request. */
export const INLINE_BUILD_LIMIT = 10_000;

/** Rebuilds a condition rule's members over the workspace and makes it ready (or invalid); in the caller's transaction. */
export async function buildRule(tx: Tx, workspaceId: string, ruleId: string, logger?: Logger) {
  const row = await store.findRule(tx, workspaceId, ruleId, true);
  if (!row || row.trigger_kind !== 'condition') return null;
  const rule = parseRule(row);
  let compiled;
  try {
    compiled = compileTrigger(await loadWorkspace(tx, workspaceId), rule.trigger);
  } catch (error) {
    const message = compileError(error);
    if (message === null) throw error;
    logger?.warn({ ruleId, error: message }, 'auto-tag rule definition no longer compiles');
    await store.setStatus(tx, workspaceId, ruleId, 'invalid', message);
    return null;
  }
  const members = await syncMembers(tx, workspaceId, ruleId, compiled);
  await store.setStatus(tx, workspaceId, ruleId, 'ready');
  return { members };
}

export const ruleBuildJob = defineJob({
  name: 'autotag.build',
  queue: 'bulk',
  maxAttempts: 5,
  payload: z.object({ workspaceId: z.uuid(), ruleId: z.uuid() }),
  async handler(ctx, p) {
    const result = await inTransaction(ctx.db, async (tx) => {
      const built = await buildRule(tx, p.workspaceId, p.ruleId, ctx.logger);
      await store.setBuildJob(tx, p.workspaceId, p.ruleId, null);
      return built;
    });
    return result ?? { skipped: true };
  },
});

/** Builds now (small workspace) or queues the build; returns the job id when queued. */
export async function startBuild(tx: Tx, workspaceId: string, ruleId: string) {
  await store.setStatus(tx, workspaceId, ruleId, 'building');
  if ((await countLiveContacts(tx, workspaceId)) <= INLINE_BUILD_LIMIT) {
    await buildRule(tx, workspaceId, ruleId);
    await store.setBuildJob(tx, workspaceId, ruleId, null);
    return null;
  }
  const jobId = await enqueue(tx, ruleBuildJob, { workspaceId, ruleId });
  await store.setBuildJob(tx, workspaceId, ruleId, jobId);
  return jobId;
}

/** What a backfill walks: its recorded targets, or the rule's members, or the live contacts outside them. */
type Source = 'targets' | 'members' | 'non_members';

interface Walk {
  source: Source;
  after: string | null;
  chunk: number;
  processed: number;
  changed: number;
}

export const ruleBackfillJob = defineJob<z.ZodType<{ workspaceId: string; ruleId: string; runId: string; chunkSize?: number }>, Walk | null>({
  name: 'autotag.backfill',
  queue: 'bulk',
  maxAttempts: 5,
  // `chunkSize`: contacts per transaction (CHUNK unless given; tests use small ones).
  payload: z.object({ workspaceId: z.uuid(), ruleId: z.uuid(), runId: z.uuid(), chunkSize: z.number().int().min(1).max(50_000).optional() }),
  async handler(ctx, { workspaceId, ruleId, runId, chunkSize = CHUNK }) {
    const jobId = ctx.job.id;
    let walk = ctx.state ?? null;
    if (!walk) {
      const start = await inTransaction(ctx.db, async (tx) => {
        const row = await store.findRule(tx, workspaceId, ruleId, true);
        if (!row) return null;
        const rule = parseRule(row);
        let source: Source;
        let total: number;
        if (rule.trigger.kind === 'condition') {
          // Who meets the condition now: the members, brought up to date (they also let crossings
          // be seen from here on); for "becomes false", the live contacts outside them.
          if (!(await buildRule(tx, workspaceId, ruleId, ctx.logger))) return null;
          source = rule.trigger.when === 'becomes_true' ? 'members' : 'non_members';
          total = await countMembers(tx, workspaceId, ruleId, source === 'members');
          await analyzeWalked(tx, 'tag_rule_members');
        } else {
          source = 'targets';
          total = await recordTargets(tx, workspaceId, jobId, compileTrigger(await loadWorkspace(tx, workspaceId), rule.trigger));
          await analyzeWalked(tx, 'tag_rule_targets');
        }
        const first: Walk = { source, after: null, chunk: 0, processed: 0, changed: 0 };
        await ctx.checkpoint(first, 0, tx);
        return { first, total };
      });
      if (start === null) {
        await store.finishRun(ctx.db, workspaceId, runId, { status: 'failed', changed: 0, notified: 0, detail: { message: 'The rule was deleted, or its definition no longer compiles' } });
        return { skipped: true };
      }
      await ctx.progress(0, start.total);
      walk = start.first;
    }
    const next = (tx: Tx, w: Walk): Promise<WalkStep> =>
      w.source === 'targets'
        ? store.nextTargets(tx, workspaceId, jobId, w.after, chunkSize)
        : (w.source === 'members' ? nextMembers : nextNonMembers)(tx, workspaceId, ruleId, w.after, chunkSize);
    for (;;) {
      const from: Walk = walk;
      const step = await inTransaction(ctx.db, async (tx) => {
        const batch = await next(tx, from);
        if (batch.through === null) return null;
        const row = await store.findRule(tx, workspaceId, ruleId);
        if (!row) return null;
        // Each chunk's changes under their own ref, so what it changed is read back by ref.
        const applied = batch.ids.length
          ? await applyRule(tx, workspaceId, { rule: parseRule(row), runId, ref: `${runId}:${from.chunk}`, kind: 'backfill', notify: false }, batch.ids, ctx.logger)
          : { changed: 0 };
        await store.addToRun(tx, workspaceId, runId, { matched: batch.ids.length, changed: applied.changed });
        const to: Walk = { ...from, after: batch.through, chunk: from.chunk + 1, processed: from.processed + batch.ids.length, changed: from.changed + applied.changed };
        await ctx.checkpoint(to, to.processed, tx);
        return { to, last: !batch.more };
      });
      if (!step) break;
      walk = step.to;
      if (step.last) break;
    }
    if (walk.source === 'targets') await store.dropTargets(ctx.db, workspaceId, jobId);
    await store.finishRun(ctx.db, workspaceId, runId, { status: 'done', changed: walk.changed, notified: 0 });
    return { processed: walk.processed, changed: walk.changed };
  },
});

/** Queues the next daily refresh of a workspace (one per local day, whoever asks). */
export async function scheduleRefresh(db: Db, workspaceId: string) {
  const { rows } = await sql<{ day: string; at: Date }>`
    select to_char((now() at time zone w.timezone)::date + 1, 'YYYY-MM-DD') as day,
           (((now() at time zone w.timezone)::date + 1)::timestamp at time zone w.timezone) + interval '10 minutes' as at
    from workspaces w where w.id = ${workspaceId}`.execute(db);
  const next = rows[0];
  if (!next) return;
  await enqueue(db, ruleRefreshJob, { workspaceId }, { runAt: next.at, dedupeKey: `autotag.refresh:${next.day}` });
}

export const ruleRefreshJob = defineJob({
  name: 'autotag.refresh',
  queue: 'bulk',
  maxAttempts: 5,
  payload: z.object({ workspaceId: z.uuid() }),
  async handler(ctx, { workspaceId }) {
    const rules = (await store.conditionRules(ctx.db, workspaceId, DRIFTING)).map((r) => r.id);
    let done = 0;
    for (const ruleId of rules) {
      await inTransaction(ctx.db, async (tx) => {
        const row = await store.findRule(tx, workspaceId, ruleId, true);
        if (!row || !row.enabled || row.status !== 'ready') return;
        const rule = parseRule(row);
        if (rule.trigger.kind !== 'condition') return;
        let compiled;
        try {
          compiled = compileTrigger(await loadWorkspace(tx, workspaceId), rule.trigger);
        } catch (error) {
          const message = compileError(error);
          if (message === null) throw error;
          await store.setStatus(tx, workspaceId, ruleId, 'invalid', message);
          return;
        }
        const t = await diffMembers(tx, workspaceId, ruleId, compiled, null);
        const crossed = rule.trigger.when === 'becomes_true' ? t.entered : t.left;
        // Time passing is nobody's change: a new chain.
        if (crossed.length) await fire(tx, workspaceId, rule, 'condition', crossed, rootCause(null, null), ctx.logger);
      });
      await ctx.progress(++done, rules.length);
    }
    if (rules.length) await inTransaction(ctx.db, (tx) => scheduleRefresh(tx, workspaceId));
    return { refreshed: rules.length };
  },
});
