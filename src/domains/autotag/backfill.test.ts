// "Apply to existing contacts": the backfill job records its targets once, walks them in chunks
// with progress, resumes after a crash without doing a chunk twice, writes the timeline, notifies
// no one, and its changes cascade to other rules through the outbox like any rule's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { ruleBackfillJob } from './jobs.js';
import { autotagWorld, type AutotagWorld } from './test-support.js';

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());
const db = () => t.database.db;

/** POST /backfill, then a smaller chunk than the default so a dozen contacts make several. */
async function startBackfill(w: AutotagWorld, ruleId: string, chunkSize: number) {
  const res = await w.c.post(`/api/v1/tag-rules/${ruleId}/backfill`);
  expect(res.statusCode, res.body).toBe(202);
  const { jobId, runId } = res.json();
  await db().updateTable('jobs').set({ payload: JSON.stringify({ workspaceId: w.ws, ruleId, runId, chunkSize }) }).where('id', '=', jobId).execute();
  return { jobId: jobId as string, runId: runId as string };
}

/** Customers with orders: [name, [days ago, amount]…]. */
async function customers(w: AutotagWorld, spec: Array<[string, Array<[number, number]>]>) {
  const ids: Record<string, string> = {};
  for (const [name, orders] of spec) {
    ids[name] = await w.contact(name);
    for (const [i, [days, amount]] of orders.entries()) await w.record(ids[name], 'order', { orderId: `${name}-${i}`, amount, currency: 'CNY' }, daysAgo(days));
  }
  return ids;
}

describe('backfill', () => {
  it('tags every contact the event trigger holds for, chunk by chunk with progress, and writes the timeline', async () => {
    const w = await autotagWorld(t);
    const vip = await w.tag('VIP');
    const spec: Array<[string, Array<[number, number]>]> = [];
    for (let i = 0; i < 12; i++) spec.push([`大客户${i}`, [[10 + i, 1000 + i]]]);
    spec.push(['小单', [[5, 999]]], ['老单', [[120, 5000]]], ['无单', []], ['两单', [[200, 10], [30, 2000]]]);
    const ids = await customers(w, spec);
    await w.drain();
    const rule = await w.rule({
      name: '90天大单',
      trigger: { kind: 'event', type: 'order', where: [{ path: 'amount', op: 'gte', value: 1000 }], times: { atLeast: 1, days: 90 } },
      actions: { addTagIds: [vip], notifyOwner: true },
    });
    // One of them is a VIP already: targeted, not changed.
    await w.c.post(`/api/v1/contacts/${ids['大客户0']}/tags`, { tagIds: [vip] });
    const { jobId, runId } = await startBackfill(w, rule.id, 5);
    const running = (await w.runs(rule.id))[0]!;
    expect(running).toMatchObject({ kind: 'backfill', status: 'running', matched: 0 });

    const job = await w.runBackfill(jobId);
    expect(job).toMatchObject({ status: 'done', progress_done: 13, progress_total: 13, result: { processed: 13, changed: 12 } });
    const tagged = Object.entries(ids).filter(([, id]) => id).map(([name]) => name);
    for (const name of tagged) expect(await w.tagsOf(ids[name]!), name).toEqual(name.startsWith('大客户') || name === '两单' ? ['VIP'] : []);
    expect((await w.runs(rule.id)).map((r) => [r.kind, r.status, r.matched, r.changed])).toEqual([['backfill', 'done', 13, 12]]);
    expect((await w.c.get(`/api/v1/jobs/${jobId}`)).json().job).toMatchObject({ status: 'done', progressDone: 13, progressTotal: 13 });

    // The timeline: one entry per changed contact, naming the rule; a backfill notifies no one.
    const [entry] = await w.entries(ids['两单']!);
    expect(entry).toMatchObject({ rule: { id: rule.id, name: '90天大单' }, runId, trigger: 'backfill', added: [{ id: vip, name: 'VIP' }], notified: false });
    expect(await w.entries(ids['大客户0']!)).toEqual([]);
    expect(await db().selectFrom('tasks').select('id').where('workspace_id', '=', w.ws).execute()).toEqual([]);
    expect(await db().selectFrom('tag_rule_targets').select('contact_id').where('job_id', '=', jobId).execute()).toEqual([]);

    // Its tag changes reach the timeline handler too, which leaves them to the rule's entry: one
    // entry per automatic change, not a tags_added beside it.
    await w.drain();
    expect(await w.entries(ids['两单']!, 'tags_added')).toEqual([]);
    expect(await w.entries(ids['两单']!)).toHaveLength(1);
  });

  it('resumes after a crash from the last committed chunk: each contact changed once, counts right', async () => {
    const w = await autotagWorld(t);
    const hot = await w.tag('热');
    const names = Array.from({ length: 11 }, (_, i) => `客户${i}`);
    const ids = await customers(w, names.map((n) => [n, [[1, 50]]]));
    await w.drain();
    const rule = await w.rule({ name: '下过单', trigger: { kind: 'event', type: 'order' }, actions: { addTagIds: [hot] } });
    const { jobId } = await startBackfill(w, rule.id, 3);
    // The first attempt dies as its third chunk commits (two chunks, six contacts, committed).
    let checkpoints = 0;
    const crashing = {
      ...ruleBackfillJob,
      handler: (ctx: Parameters<typeof ruleBackfillJob.handler>[0], p: Parameters<typeof ruleBackfillJob.handler>[1]) =>
        ruleBackfillJob.handler(
          {
            ...ctx,
            checkpoint: async (...args: Parameters<typeof ctx.checkpoint>) => {
              // Checkpoint 1 records the targets; 2 and 3 commit chunks; 4 would commit the third.
              if (ctx.job.attempt === 1 && ++checkpoints === 4) throw new Error('killed');
              return ctx.checkpoint(...args);
            },
          },
          p,
        ),
    };
    const first = await w.runBackfill(jobId, crashing);
    expect(first).toMatchObject({ status: 'queued', attempts: 1, last_error: 'Error: killed', progress_done: 6, progress_total: 11 });
    const midway = await db().selectFrom('contact_tags').select('contact_id').where('workspace_id', '=', w.ws).where('tag_id', '=', hot).execute();
    expect(midway).toHaveLength(6);

    const second = await w.runBackfill(jobId, crashing);
    expect(second).toMatchObject({ status: 'done', attempts: 2, progress_done: 11, progress_total: 11, result: { processed: 11, changed: 11 } });
    for (const id of Object.values(ids)) {
      expect(await w.tagsOf(id)).toEqual(['热']);
      expect(await w.entries(id)).toHaveLength(1);
    }
    expect((await w.runs(rule.id)).map((r) => [r.status, r.matched, r.changed])).toEqual([['done', 11, 11]]);
  });

  it('a condition rule: becomes_true targets who meets it, becomes_false who does not; members are rebuilt', async () => {
    const w = await autotagWorld(t);
    const local = await w.tag('本地');
    const remote = await w.tag('外地');
    const definition = { kind: 'group', op: 'and', conditions: [{ kind: 'field', field: 'city', op: 'in', value: ['杭州', '宁波'] }] };
    const inside = await w.rule({ name: '浙江', trigger: { kind: 'condition', when: 'becomes_true', definition }, actions: { addTagIds: [local] } });
    const outside = await w.rule({ name: '非浙江', trigger: { kind: 'condition', when: 'becomes_false', definition }, actions: { addTagIds: [remote] } });
    // Contacts made by SQL: no events, as if they had been there before the rules.
    const make = async (name: string, city: string | null, deleted = false) =>
      (
        await db()
          .insertInto('contacts')
          .values({ workspace_id: w.ws, name, city, custom: '{}', ...(deleted ? { deleted_at: new Date() } : {}) })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const hz = await make('杭', '杭州');
    const nb = await make('宁', '宁波');
    const sh = await make('沪', '上海');
    const none = await make('无', null);
    const gone = await make('删', '杭州', true);
    // One contact per step: the walk of who does not meet it passes spans that hold only members.
    for (const rule of [inside, outside]) {
      const { jobId } = await startBackfill(w, rule.id, 1);
      expect(await w.runBackfill(jobId)).toMatchObject({ status: 'done', progress_done: 2, progress_total: 2, result: { processed: 2, changed: 2 } });
    }
    expect([await w.tagsOf(hz), await w.tagsOf(nb), await w.tagsOf(sh), await w.tagsOf(none), await w.tagsOf(gone)]).toEqual([['本地'], ['本地'], ['外地'], ['外地'], []]);
    const members = await db().selectFrom('tag_rule_members').select('contact_id').where('workspace_id', '=', w.ws).where('rule_id', '=', inside.id).orderBy('contact_id').execute();
    expect(members.map((m) => m.contact_id)).toEqual([hz, nb].sort());
    // From here on, crossings: 沪 moves to 杭州.
    await w.c.patch(`/api/v1/contacts/${sh}`, { city: '杭州' });
    await w.drain();
    expect(await w.tagsOf(sh)).toEqual(['外地', '本地']);
  });

  it('one backfill per rule at a time; its changes cascade to condition rules through the outbox', async () => {
    const w = await autotagWorld(t);
    const vip = await w.tag('VIP');
    const care = await w.tag('重点维护');
    const ids = await customers(w, [['甲', [[1, 5000]]], ['乙', [[1, 10]]]]);
    await w.drain();
    const rule = await w.rule({ name: '大单', trigger: { kind: 'event', type: 'order', where: [{ path: 'amount', op: 'gte', value: 1000 }] }, actions: { addTagIds: [vip] } });
    const follow = await w.rule({
      name: 'VIP要维护',
      trigger: { kind: 'condition', when: 'becomes_true', definition: { kind: 'group', op: 'and', conditions: [{ kind: 'tags', op: 'any', tagIds: [vip] }] } },
      actions: { addTagIds: [care] },
    });
    const { jobId } = await startBackfill(w, rule.id, 10);
    const again = await w.c.post(`/api/v1/tag-rules/${rule.id}/backfill`);
    expect(again.statusCode).toBe(409);
    expect(again.json().jobId).toBe(jobId);
    await w.runBackfill(jobId);
    await w.drain();
    expect(await w.tagsOf(ids['甲']!)).toEqual(['VIP', '重点维护']);
    expect(await w.tagsOf(ids['乙']!)).toEqual([]);
    expect((await w.runs(follow.id)).map((r) => r.chain.map((c) => c.name))).toEqual([['大单', 'VIP要维护']]);
    // Done: another may start.
    expect((await w.c.post(`/api/v1/tag-rules/${rule.id}/backfill`)).statusCode).toBe(202);
  });
});
