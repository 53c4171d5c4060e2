// Auto-tag rules: the rules (CRUD, enable / disable), "apply to existing contacts" (a backfill
// job) and each rule's run log. A rule acts workspace-wide, as the rule, whoever wrote it:
// tag-rules:write is what it takes. A condition rule is usable once it knows who meets its
// condition now (built in the request for a small workspace, as a job beyond).
import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { conflict, invalid, notFound, type FieldError } from '../../platform/http/errors.js';
import { afterNewestFirst, toPage } from '../../platform/http/pagination.js';
import { enqueue, getJob } from '../../platform/queue/index.js';
import { checkDefinition, dependenciesOf } from '../segments/index.js';
import { countLiveContacts, existing, singleChoiceGroups } from './queries/contacts.js';
import { DRIFTING, ruleBackfillJob, scheduleRefresh, startBuild } from './jobs.js';
import type { Actions, RuleInput, RulePatch, Trigger } from './schema.js';
import * as store from './store.js';

export const MAX_RULES = 100;

const toRule = (r: store.RuleRow) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  trigger: r.trigger,
  actions: r.actions as Actions,
  enabled: r.enabled,
  status: r.status,
  error: r.error,
  buildJobId: r.build_job_id,
  stoppedAt: r.stopped_at,
  stoppedReason: r.stopped_reason,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export type TagRule = ReturnType<typeof toRule>;

async function requireRule(db: Db, actor: Actor, id: string, lock = false) {
  const row = await store.findRule(db, actor.workspaceId, id, lock);
  if (!row) throw notFound('Tag rule');
  return row;
}

const view = async (db: Db, actor: Actor, id: string) => toRule((await store.findRule(db, actor.workspaceId, id))!);

/** The workspace checks of a rule: the definition's fields and ids, the tags and stage it names. */
async function checkRule(db: Db, actor: Actor, trigger: Trigger | undefined, actions: Actions | undefined) {
  if (trigger?.kind === 'condition') await checkDefinition(db, actor, trigger.definition, 'trigger.definition');
  if (!actions) return;
  const errors: FieldError[] = [];
  const tags = await existing(db, actor.workspaceId, 'tags', [...actions.addTagIds, ...actions.removeTagIds]);
  for (const key of ['addTagIds', 'removeTagIds'] as const) {
    actions[key].forEach((id, i) => !tags.has(id) && errors.push({ path: `actions.${key}.${i}`, message: 'Unknown tag' }));
  }
  const groups = await singleChoiceGroups(db, actor.workspaceId, actions.addTagIds);
  const seen = new Set<string>();
  actions.addTagIds.forEach((id, i) => {
    const group = groups.get(id);
    if (group && seen.has(group)) errors.push({ path: `actions.addTagIds.${i}`, message: 'Only one tag of a single-choice group' });
    if (group) seen.add(group);
  });
  if (actions.stageId && !(await existing(db, actor.workspaceId, 'stages', [actions.stageId])).has(actions.stageId)) {
    errors.push({ path: 'actions.stageId', message: 'Unknown stage' });
  }
  if (errors.length) throw invalid(errors);
}

/** The columns the engine looks rules up by. */
const triggerColumns = (trigger: Trigger) => ({
  trigger: trigger as unknown as Record<string, unknown>,
  triggerKind: trigger.kind,
  eventType: trigger.kind === 'event' ? trigger.type : null,
  deps: trigger.kind === 'condition' ? dependenciesOf(trigger.definition) : [],
});

/** An enabled condition rule (re)learns who meets its condition; a drifting one joins the daily refresh. */
async function prepare(tx: Tx, actor: Actor, id: string, trigger: Trigger, enabled: boolean) {
  if (trigger.kind !== 'condition' || !enabled) return null;
  if (dependenciesOf(trigger.definition).some((d) => DRIFTING.includes(d))) await scheduleRefresh(tx, actor.workspaceId);
  return startBuild(tx, actor.workspaceId, id);
}

export async function listTagRules(db: Db, actor: Actor) {
  requireAccess(actor, 'tag-rules:read');
  return { items: (await store.listRules(db, actor.workspaceId)).map(toRule), nextCursor: null };
}

export async function getTagRule(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'tag-rules:read');
  return toRule(await requireRule(db, actor, id));
}

export async function createTagRule(db: Db, actor: Actor, input: RuleInput) {
  requireAccess(actor, 'tag-rules:write');
  await checkRule(db, actor, input.trigger, input.actions);
  return inTransaction(db, async (tx) => {
    if ((await store.countRules(tx, actor.workspaceId)) >= MAX_RULES) throw conflict(`A workspace has at most ${MAX_RULES} tag rules`);
    const id = await store.insertRule(tx, actor.workspaceId, {
      name: input.name,
      description: input.description,
      ...triggerColumns(input.trigger),
      actions: input.actions,
      enabled: input.enabled,
      status: input.trigger.kind === 'condition' ? 'building' : 'ready',
      createdBy: actor.memberId,
    });
    if (!id) throw conflict('A tag rule with this name exists', { field: 'name' });
    const jobId = await prepare(tx, actor, id, input.trigger, input.enabled);
    const rule = await view(tx, actor, id);
    await recordAudit(tx, actor, { action: 'tag_rule.created', entityType: 'tag_rule', entityId: id, after: rule });
    return { rule, jobId };
  });
}

export async function updateTagRule(db: Db, actor: Actor, id: string, patch: RulePatch) {
  requireAccess(actor, 'tag-rules:write');
  await checkRule(db, actor, patch.trigger, patch.actions);
  return inTransaction(db, async (tx) => {
    const before = await requireRule(tx, actor, id, true);
    const retriggered = patch.trigger !== undefined && JSON.stringify(patch.trigger) !== JSON.stringify(before.trigger);
    try {
      await store.updateRule(tx, actor.workspaceId, id, {
        name: patch.name,
        description: patch.description,
        ...(retriggered ? { ...triggerColumns(patch.trigger!), status: patch.trigger!.kind === 'condition' ? 'building' : 'ready', error: null } : {}),
        actions: patch.actions,
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === '23505') throw conflict('A tag rule with this name exists', { field: 'name' });
      throw error;
    }
    if (retriggered) await store.clearMembers(tx, actor.workspaceId, id);
    const jobId = retriggered ? await prepare(tx, actor, id, patch.trigger!, before.enabled) : null;
    const rule = await view(tx, actor, id);
    await recordAudit(tx, actor, { action: 'tag_rule.updated', entityType: 'tag_rule', entityId: id, before: toRule(before), after: rule });
    return { rule, jobId };
  });
}

export async function deleteTagRule(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'tag-rules:write');
  await inTransaction(db, async (tx) => {
    const before = await requireRule(tx, actor, id, true);
    await store.deleteRule(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'tag_rule.deleted', entityType: 'tag_rule', entityId: id, before: toRule(before) });
  });
}

/** Enabling clears a loop stop and (for a condition rule) re-learns who meets the condition; disabling forgets it. */
export async function setTagRuleEnabled(db: Db, actor: Actor, id: string, enabled: boolean) {
  requireAccess(actor, 'tag-rules:write');
  return inTransaction(db, async (tx) => {
    const before = await requireRule(tx, actor, id, true);
    if (before.enabled === enabled) return { rule: toRule(before), jobId: null };
    await store.updateRule(tx, actor.workspaceId, id, { enabled, ...(enabled ? { stopped: null } : {}) });
    if (!enabled) await store.clearMembers(tx, actor.workspaceId, id);
    const jobId = enabled ? await prepare(tx, actor, id, before.trigger as unknown as Trigger, true) : null;
    const rule = await view(tx, actor, id);
    await recordAudit(tx, actor, { action: enabled ? 'tag_rule.enabled' : 'tag_rule.disabled', entityType: 'tag_rule', entityId: id, before: toRule(before), after: rule });
    return { rule, jobId };
  });
}

/** "Apply to existing contacts": a job with progress; one at a time per rule. */
export async function startBackfill(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'tag-rules:write');
  return inTransaction(db, async (tx) => {
    const rule = await requireRule(tx, actor, id, true);
    if (rule.status === 'invalid') throw conflict(`The rule's definition no longer compiles: ${rule.error ?? ''}`);
    const running = await store.runningBackfill(tx, actor.workspaceId, id);
    if (running) {
      // A backfill whose job died for good (or was cancelled) no longer holds the rule.
      const job = running.job_id ? await getJob(tx, actor.workspaceId, running.job_id) : undefined;
      if (job && (job.status === 'queued' || job.status === 'running')) throw conflict('This rule is already being applied to existing contacts', { jobId: running.job_id });
      await store.finishRun(tx, actor.workspaceId, running.id, { status: 'failed', changed: 0, notified: 0, detail: { message: `The job ended ${job?.status ?? 'missing'}: ${job?.lastError ?? ''}` } });
    }
    const runId = randomUUID();
    const jobId = await enqueue(tx, ruleBackfillJob, { workspaceId: actor.workspaceId, ruleId: id, runId }, { total: await countLiveContacts(tx, actor.workspaceId) });
    await store.insertRun(tx, actor.workspaceId, { id: runId, ruleId: id, kind: 'backfill', status: 'running', chain: [id], parentRunId: null, causeEventId: null, jobId });
    await recordAudit(tx, actor, { action: 'tag_rule.backfill_started', entityType: 'tag_rule', entityId: id, after: { jobId, runId } });
    return { jobId, runId };
  });
}

export async function listRuleRuns(db: Db, actor: Actor, id: string, page: { cursor?: string; limit: number }) {
  requireAccess(actor, 'tag-rules:read');
  await requireRule(db, actor, id);
  const rows = await store.listRuns(db, actor.workspaceId, id, afterNewestFirst('created_at', 'id', page.cursor), page.limit);
  const names = await store.ruleNames(db, actor.workspaceId, rows.flatMap((r) => r.chain));
  return toPage(
    rows,
    page.limit,
    (r) => [r.created_at.toISOString(), r.id],
    (r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      chain: r.chain.map((ruleId) => ({ id: ruleId, name: names.get(ruleId) ?? null })),
      causeEventId: r.cause_event_id === null ? null : Number(r.cause_event_id),
      jobId: r.job_id,
      matched: r.matched,
      changed: r.changed,
      notified: r.notified,
      detail: r.detail,
      createdAt: r.created_at,
      finishedAt: r.finished_at,
    }),
  );
}
