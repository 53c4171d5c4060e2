// SQL on the autotag domain's own tables: rules, the run log and a backfill's targets. Reads that
// join contacts (membership, events, tags) live in queries/.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import type { RuleStatus, RunKind, RunStatus, TriggerKind } from './tables.js';

const columns = [
  'id', 'name', 'description', 'trigger', 'trigger_kind', 'event_type', 'deps', 'actions', 'enabled', 'status', 'error', 'build_job_id',
  'stopped_at', 'stopped_reason', 'created_by', 'created_at', 'updated_at',
] as const;

export const findRule = (db: Db, workspaceId: string, id: string, lock = false) =>
  db
    .selectFrom('tag_rules')
    .select(columns)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .$if(lock, (q) => q.forUpdate())
    .executeTakeFirst();
export type RuleRow = NonNullable<Awaited<ReturnType<typeof findRule>>>;

/** Every rule of the workspace, by name (a workspace has at most MAX_RULES). */
export const listRules = (db: Db, workspaceId: string) =>
  db.selectFrom('tag_rules').select(columns).where('workspace_id', '=', workspaceId).orderBy(sql`lower(name)`).orderBy('id').execute();

export const countRules = async (db: Db, workspaceId: string) =>
  Number((await db.selectFrom('tag_rules').select((eb) => eb.fn.countAll<string>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n);

export interface RuleValues {
  name: string;
  description: string | null;
  trigger: Record<string, unknown>;
  triggerKind: TriggerKind;
  eventType: string | null;
  deps: string[];
  actions: Record<string, unknown>;
  enabled: boolean;
  status: RuleStatus;
}

/** Inserts a rule; null when the name is taken. */
export const insertRule = async (db: Db, workspaceId: string, v: RuleValues & { createdBy: string }) =>
  (
    await db
      .insertInto('tag_rules')
      .values({
        workspace_id: workspaceId,
        name: v.name,
        description: v.description,
        trigger: JSON.stringify(v.trigger),
        trigger_kind: v.triggerKind,
        event_type: v.eventType,
        deps: v.deps,
        actions: JSON.stringify(v.actions),
        enabled: v.enabled,
        status: v.status,
        created_by: v.createdBy,
      })
      .onConflict((oc) => oc.expression(sql`workspace_id, lower(name)`).doNothing())
      .returning('id')
      .executeTakeFirst()
  )?.id ?? null;

export async function updateRule(db: Db, workspaceId: string, id: string, v: Partial<RuleValues> & { error?: string | null; stopped?: null }) {
  await db
    .updateTable('tag_rules')
    .set({
      ...(v.name !== undefined ? { name: v.name } : {}),
      ...(v.description !== undefined ? { description: v.description } : {}),
      ...(v.trigger !== undefined ? { trigger: JSON.stringify(v.trigger), trigger_kind: v.triggerKind!, event_type: v.eventType ?? null, deps: v.deps ?? [] } : {}),
      ...(v.actions !== undefined ? { actions: JSON.stringify(v.actions) } : {}),
      ...(v.enabled !== undefined ? { enabled: v.enabled } : {}),
      ...(v.status !== undefined ? { status: v.status } : {}),
      ...(v.error !== undefined ? { error: v.error } : {}),
      ...(v.stopped === null ? { stopped_at: null, stopped_reason: null } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export const deleteRule = (db: Db, workspaceId: string, id: string) => db.deleteFrom('tag_rules').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export const setBuildJob = (db: Db, workspaceId: string, id: string, jobId: string | null) =>
  db.updateTable('tag_rules').set({ build_job_id: jobId }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export const setStatus = (db: Db, workspaceId: string, id: string, status: RuleStatus, error: string | null = null) =>
  db.updateTable('tag_rules').set({ status, error, updated_at: sql<Date>`now()` }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** The loop guard's stop: the rule is disabled, with the reason. */
export const stopRule = (db: Db, workspaceId: string, id: string, reason: string) =>
  db
    .updateTable('tag_rules')
    .set({ enabled: false, stopped_at: sql<Date>`now()`, stopped_reason: reason, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();

/** Enabled, ready event rules listening to `type`, oldest first. */
export const eventRules = (db: Db, workspaceId: string, type: string) =>
  db
    .selectFrom('tag_rules')
    .select(columns)
    .where('workspace_id', '=', workspaceId)
    .where('trigger_kind', '=', 'event')
    .where('event_type', '=', type)
    .where('enabled', '=', true)
    .where('status', '=', 'ready')
    .orderBy('created_at')
    .orderBy('id')
    .execute();

/** Enabled, ready condition rules that read any of `keys` (every one for `null`), oldest first. */
export const conditionRules = (db: Db, workspaceId: string, keys: readonly string[] | null) =>
  db
    .selectFrom('tag_rules')
    .select(columns)
    .where('workspace_id', '=', workspaceId)
    .where('trigger_kind', '=', 'condition')
    .where('enabled', '=', true)
    .where('status', '=', 'ready')
    .$if(keys !== null, (q) => q.where(sql<SqlBool>`deps && ${[...(keys ?? [])]}::text[]`))
    .orderBy('created_at')
    .orderBy('id')
    .execute();

/** Forgets who met a condition rule's condition (disabled or redefined: the next build starts afresh). */
export const clearMembers = (db: Db, workspaceId: string, ruleId: string) =>
  db.deleteFrom('tag_rule_members').where('workspace_id', '=', workspaceId).where('rule_id', '=', ruleId).execute();

// ---- runs ----

export interface RunValues {
  id?: string;
  ruleId: string;
  kind: RunKind;
  status: RunStatus;
  chain: string[];
  parentRunId: string | null;
  causeEventId: number | null;
  jobId?: string | null;
  matched?: number;
  detail?: Record<string, unknown> | null;
  finished?: boolean;
}

export const insertRun = async (db: Db, workspaceId: string, v: RunValues) =>
  (
    await db
      .insertInto('tag_rule_runs')
      .values({
        workspace_id: workspaceId,
        ...(v.id ? { id: v.id } : {}),
        rule_id: v.ruleId,
        kind: v.kind,
        status: v.status,
        chain: v.chain,
        parent_run_id: v.parentRunId,
        cause_event_id: v.causeEventId,
        job_id: v.jobId ?? null,
        matched: v.matched ?? 0,
        detail: v.detail ? JSON.stringify(v.detail) : null,
        finished_at: v.finished ? sql<Date>`now()` : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;

export const finishRun = (db: Db, workspaceId: string, id: string, v: { status: RunStatus; matched?: number; changed: number; notified: number; detail?: Record<string, unknown> }) =>
  db
    .updateTable('tag_rule_runs')
    .set({
      status: v.status,
      ...(v.matched !== undefined ? { matched: v.matched } : {}),
      changed: v.changed,
      notified: v.notified,
      ...(v.detail ? { detail: JSON.stringify(v.detail) } : {}),
      finished_at: sql<Date>`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();

/** Adds a backfill chunk's counts to its run. */
export const addToRun = (db: Db, workspaceId: string, id: string, v: { matched: number; changed: number }) =>
  db
    .updateTable('tag_rule_runs')
    .set((eb) => ({ matched: eb('matched', '+', v.matched), changed: eb('changed', '+', v.changed) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();

export const findRun = (db: Db, workspaceId: string, id: string) =>
  db.selectFrom('tag_rule_runs').select(['id', 'rule_id', 'chain', 'kind', 'status']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

const runColumns = ['id', 'kind', 'status', 'chain', 'cause_event_id', 'job_id', 'matched', 'changed', 'notified', 'detail', 'created_at', 'finished_at'] as const;

/** A rule's runs, newest first, after the keyset. */
export const listRuns = (db: Db, workspaceId: string, ruleId: string, after: Expression<SqlBool> | undefined, limit: number) =>
  db
    .selectFrom('tag_rule_runs')
    .select(runColumns)
    .where('workspace_id', '=', workspaceId)
    .where('rule_id', '=', ruleId)
    .$if(Boolean(after), (q) => q.where(after!))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
export type RunRow = Awaited<ReturnType<typeof listRuns>>[number];

/** A backfill of the rule that has not finished, if any. */
export const runningBackfill = (db: Db, workspaceId: string, ruleId: string) =>
  db
    .selectFrom('tag_rule_runs')
    .select(['id', 'job_id'])
    .where('workspace_id', '=', workspaceId)
    .where('rule_id', '=', ruleId)
    .where('kind', '=', 'backfill')
    .where('status', '=', 'running')
    .executeTakeFirst();

export const ruleNames = async (db: Db, workspaceId: string, ids: readonly string[]) =>
  new Map(
    ids.length
      ? (await db.selectFrom('tag_rules').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', [...new Set(ids)]).execute()).map((r) => [r.id, r.name])
      : [],
  );

// ---- backfill targets ----

/** The job's next `limit` targets after `after`, in id order. */
export async function nextTargets(db: Db, workspaceId: string, jobId: string, after: string | null, limit: number) {
  const ids = (
    await db
      .selectFrom('tag_rule_targets')
      .select('contact_id')
      .where('workspace_id', '=', workspaceId)
      .where('job_id', '=', jobId)
      .$if(after !== null, (q) => q.where('contact_id', '>', after!))
      .orderBy('contact_id')
      .limit(limit)
      .execute()
  ).map((r) => r.contact_id);
  return { ids, through: ids.at(-1) ?? null, more: ids.length === limit };
}

export const dropTargets = (db: Db, workspaceId: string, jobId: string) =>
  db.deleteFrom('tag_rule_targets').where('workspace_id', '=', workspaceId).where('job_id', '=', jobId).execute();
