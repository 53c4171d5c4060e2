// Helpers for the auto-tag tests: a workspace with tags and stages made through the API, contacts
// and interactions recorded through the API, and the worker's loop run by hand — the outbox
// dispatched to the real handlers (auto-tag rules and the timeline), their jobs run — until
// nothing is left to do.
import { sql } from 'kysely';
import type { Client, TestApp } from '../../../test/support/app.js';
import { signedInOwner } from '../../../test/support/app.js';
import { createHandlerRegistry, dispatchPending } from '../../platform/events/index.js';
import { createJobRegistry, createWorker, runJobNow } from '../../platform/queue/index.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { timelineHandler } from '../timeline/index.js';
import { ruleBackfillJob, ruleBuildJob, ruleRefreshJob } from './jobs.js';
import { autotagHandler } from './on-events.js';

export async function autotagWorld(t: TestApp, name = 'Acme') {
  const db = t.database.db;
  const w = await signedInOwner(t, name);
  const c = w.client;
  const ws = w.workspace.id;
  const group = (await c.post('/api/v1/tag-groups', { name: '自动' })).json().group.id as string;
  const level = (await c.post('/api/v1/tag-groups', { name: '等级', singleChoice: true })).json().group.id as string;
  const tag = async (tagName: string, groupId = group) => {
    const res = await c.post('/api/v1/tags', { groupId, name: tagName });
    if (res.statusCode !== 201) throw new Error(`tag: ${res.statusCode} ${res.body}`);
    return res.json().tag.id as string;
  };
  /** A stage by name: one of the workspace's defaults (潜在, 意向, 成交, 复购, 流失) or a new one. */
  const stage = async (stageName: string) => {
    const found = (await c.get('/api/v1/stages')).json().items.find((s: { name: string }) => s.name === stageName);
    return (found?.id ?? (await c.post('/api/v1/stages', { name: stageName })).json().stage.id) as string;
  };

  const handlers = createHandlerRegistry([autotagHandler, timelineHandler]);
  const worker = createWorker({
    db,
    logger: silentLogger,
    registry: createJobRegistry([...handlers.jobs, ruleBuildJob, ruleBackfillJob, ruleRefreshJob]),
    concurrency: 1,
    pollMs: 50,
    backoff: { baseMs: 1, capMs: 2 },
  });

  /** Dispatches the outbox and runs the jobs it makes until both are empty; fails on a handler error. */
  async function drain() {
    for (let round = 0; round < 500; round++) {
      const dispatched = await dispatchPending(db, handlers, { limit: 100 });
      const ran = await worker.runOnce();
      const failed = await db.selectFrom('jobs').select(['name', 'last_error']).where('workspace_id', '=', ws).where('last_error', 'is not', null).where('name', 'like', 'event:%').execute();
      if (failed.length) throw new Error(`handler failed: ${failed.map((f) => `${f.name}: ${f.last_error}`).join('; ')}`);
      if (!dispatched && !ran) return round;
    }
    throw new Error('the outbox never settled (a loop the guard missed?)');
  }

  return {
    ...w,
    ws,
    c,
    group,
    level,
    tag,
    stage,
    drain,
    async contact(contactName: string, extra: Record<string, unknown> = {}, client: Client = c) {
      const res = await client.post('/api/v1/contacts', { name: contactName, ...extra });
      if (res.statusCode !== 201) throw new Error(`contact: ${res.statusCode} ${res.body}`);
      return res.json().contact.id as string;
    },
    async record(contactId: string, type: string, props: Record<string, unknown>, occurredAt?: string) {
      const res = await c.post(`/api/v1/contacts/${contactId}/timeline`, { type, props, ...(occurredAt ? { occurredAt } : {}) });
      if (res.statusCode !== 201) throw new Error(`record ${type}: ${res.statusCode} ${res.body}`);
      return res.json().event.id as string;
    },
    async visit(contactId: string) {
      const res = await c.post(`/api/v1/contacts/${contactId}/visits`, { location: '门店' });
      if (res.statusCode !== 201) throw new Error(`visit: ${res.statusCode} ${res.body}`);
    },
    async rule(body: Record<string, unknown>) {
      const res = await c.post('/api/v1/tag-rules', body);
      if (res.statusCode !== 201) throw new Error(`rule: ${res.statusCode} ${res.body}`);
      return res.json().rule as { id: string; status: string };
    },
    async tagsOf(contactId: string) {
      const rows = await db
        .selectFrom('contact_tags as ct')
        .innerJoin('tags as t', (j) => j.onRef('t.workspace_id', '=', 'ct.workspace_id').onRef('t.id', '=', 'ct.tag_id'))
        .select(['t.name', 'ct.source'])
        .where('ct.workspace_id', '=', ws)
        .where('ct.contact_id', '=', contactId)
        .execute();
      // Sorted here: the databases' collations order Chinese names differently.
      return rows.map((r) => r.name).sort();
    },
    async entries(contactId: string, type = 'tag_rule_applied') {
      const rows = await db.selectFrom('timeline_events').select(['props', 'actor_member_id']).where('workspace_id', '=', ws).where('contact_id', '=', contactId).where('type', '=', type).orderBy('occurred_at').orderBy('id').execute();
      return rows.map((r) => r.props);
    },
    async runs(ruleId: string) {
      const res = await c.get(`/api/v1/tag-rules/${ruleId}/runs?limit=200`);
      if (res.statusCode !== 200) throw new Error(`runs: ${res.statusCode} ${res.body}`);
      return res.json().items as Array<{ kind: string; status: string; matched: number; changed: number; chain: Array<{ name: string }>; detail: Record<string, unknown> | null }>;
    },
    /** Runs a queued backfill job here, as a worker would. */
    async runBackfill(jobId: string, def = ruleBackfillJob) {
      if (!(await runJobNow(db, silentLogger, def, ws, jobId))) throw new Error('the backfill job was not queued');
      return db.selectFrom('jobs').select(['status', 'last_error', 'attempts', 'progress_done', 'progress_total', 'result']).where('id', '=', jobId).executeTakeFirstOrThrow();
    },
    /** Moves the contact's events of a type `days` into the past. */
    age: (contactId: string, type: string, days: number) =>
      sql`update timeline_events set occurred_at = occurred_at - make_interval(days => ${days}::int)
          where workspace_id = ${ws} and contact_id = ${contactId} and type = ${type}`.execute(db),
  };
}
export type AutotagWorld = Awaited<ReturnType<typeof autotagWorld>>;
