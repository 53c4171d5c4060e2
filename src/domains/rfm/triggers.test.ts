// Trigger rules on layer moves: a 重要价值 customer who falls to 重要挽留 gets their owner a task,
// a notification (the task's immediate reminder) and a timeline entry; moves a settings change
// causes set nothing off; a move is acted on once however often its event arrives.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { deliverDueReminders } from '../timeline/index.js';
import { rfmTriggersHandler } from './on-events.js';
import { rfmFixture, runJob } from './test-support.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

const db = () => t.database.db;

/** Moves a contact's orders `days` further into the past, as if that much time had gone by for them alone. */
const age = (workspaceId: string, contactId: string, days: number, where = sql`true`) =>
  sql`update timeline_events set occurred_at = occurred_at - make_interval(days => ${days}::int)
      where workspace_id = ${workspaceId} and contact_id = ${contactId} and type = 'order' and ${where}`.execute(db());

describe('RFM trigger rules', () => {
  it('a fall from important_value to important_retain: task, notification and timeline entry for the owner', async () => {
    const fx = rfmFixture(t);
    const w = await signedInOwner(t);
    const ws = w.workspace.id;
    const agent = await addMember(t, ws, 'agent');
    const backup = await addMember(t, ws, 'manager');
    const x = await fx.contact(ws, agent.memberId, 'Xu Lei');
    const orphan = await fx.contact(ws, null, 'Nobody’s');
    const steady = await fx.contact(ws, agent.memberId, 'Steady');
    for (const id of [x, orphan]) {
      await fx.order(w.client, id, 10, 2000);
      await fx.order(w.client, id, 20, 2000);
      await fx.order(w.client, id, 30, 2000);
    }
    await fx.order(w.client, steady, 2, 50);

    const rule = await w.client.post('/api/v1/rfm/rules', {
      name: '大客户流失预警',
      fromLayers: ['important_value'],
      toLayers: ['important_retain'],
      taskDueDays: 2,
      fallbackMemberId: backup.memberId,
    });
    expect(rule.statusCode).toBe(201);
    // Thresholds: R 10 days → 4, F 3 → 3, M 6000 → 5: important_value (steady: R 5, F 1, M 1 → general_develop).
    const saved = await w.client.patch('/api/v1/rfm/settings', {
      scoring: 'thresholds',
      thresholds: { recencyDays: [180, 90, 30, 7], frequency: [2, 3, 5, 8], monetary: [100, 500, 1000, 5000] },
    });
    await runJob(t, ws, saved.json().jobId);
    expect((await fx.rows(ws)).filter((r) => r.contact_id !== steady).map((r) => r.layer)).toEqual(['important_value', 'important_value']);

    // Time passes for x and orphan: the last order 200 days ago, the others out of the window.
    // R 200 → 1, F 1 → 1, M 2000 → 4: important_retain.
    for (const id of [x, orphan]) {
      await age(ws, id, 190);
      await age(ws, id, 400, sql`occurred_at < now() - interval '205 days'`);
    }
    await fx.recompute(w.client, ws);
    expect((await fx.rows(ws)).find((r) => r.contact_id === x)).toMatchObject({ recency_days: 200, frequency: 1, r_score: 1, f_score: 1, m_score: 4, layer: 'important_retain' });

    const recomputed = await fx.events(ws, 'rfm.scores.recomputed');
    expect(recomputed.map((e) => [e.payload.reason, e.payload.changes])).toEqual([['settings', 0], ['manual', 2]]);
    await fx.deliver(rfmTriggersHandler, recomputed);
    await fx.deliver(rfmTriggersHandler, recomputed); // delivered again: nothing more

    const tasks = await db().selectFrom('tasks').select(['contact_id', 'assignee_member_id', 'title', 'due_at', 'remind_at', 'created_by']).where('workspace_id', '=', ws).orderBy('title').execute();
    expect(tasks).toEqual([
      { contact_id: orphan, assignee_member_id: backup.memberId, title: '重要价值 → 重要挽留: Nobody’s', due_at: expect.any(Date), remind_at: expect.any(Date), created_by: w.memberId },
      { contact_id: x, assignee_member_id: agent.memberId, title: '重要价值 → 重要挽留: Xu Lei', due_at: expect.any(Date), remind_at: expect.any(Date), created_by: w.memberId },
    ]);
    expect(tasks[0]!.due_at!.getTime() - tasks[0]!.remind_at!.getTime()).toBe(2 * 86_400_000);

    const entries = await db().selectFrom('timeline_events').select(['contact_id', 'props']).where('workspace_id', '=', ws).where('type', '=', 'rfm_layer_changed').execute();
    expect(entries.find((e) => e.contact_id === x)!.props).toEqual({ from: 'important_value', to: 'important_retain', fromName: '重要价值', toName: '重要挽留', reason: 'manual' });
    expect(entries).toHaveLength(2);
    const agentClient = await agent.login();
    const timeline = (await agentClient.get(`/api/v1/contacts/${x}/timeline?types=rfm_layer_changed`)).json();
    expect(timeline.items).toHaveLength(1);

    await deliverDueReminders(db());
    const notes = await db().selectFrom('notifications').select(['member_id', 'kind', 'title', 'link']).where('workspace_id', '=', ws).orderBy('title').execute();
    expect(notes).toEqual([
      { member_id: backup.memberId, kind: 'task_reminder', title: '重要价值 → 重要挽留: Nobody’s', link: `/contacts/${orphan}` },
      { member_id: agent.memberId, kind: 'task_reminder', title: '重要价值 → 重要挽留: Xu Lei', link: `/contacts/${x}` },
    ]);
  });

  it('a move after one order triggers too; a disabled rule and a non-matching move do not', async () => {
    const fx = rfmFixture(t);
    const w = await signedInOwner(t);
    const ws = w.workspace.id;
    const y = await fx.contact(ws, w.memberId, 'Yang');
    await fx.order(w.client, y, 100, 50);
    await w.client.post('/api/v1/rfm/rules', { name: 'any move', taskTitle: '回访', notify: false });
    const off = (await w.client.post('/api/v1/rfm/rules', { name: 'off', enabled: false })).json().rule;
    await w.client.post('/api/v1/rfm/rules', { name: 'never', toLayers: ['general_keep'] });
    const saved = await w.client.patch('/api/v1/rfm/settings', {
      scoring: 'thresholds',
      thresholds: { recencyDays: [180, 90, 30, 7], frequency: [2, 3, 5, 8], monetary: [100, 500, 1000, 5000] },
    });
    await runJob(t, ws, saved.json().jobId);
    // R 100 → 2, F 1 → 1, M 50 → 1: general_retain. An order of 900 today: R 5, F 2, M 950 → 3: important_develop.
    await fx.order(w.client, y, 0, 900);
    const { rfmHandler } = await import('./on-events.js');
    await fx.deliver(rfmHandler, (await fx.events(ws, 'timeline.event.recorded')).slice(-1));
    const moved = await fx.events(ws, 'rfm.layer.changed');
    expect(moved.map((e) => [e.payload.fromLayer, e.payload.toLayer])).toEqual([['general_retain', 'important_develop']]);
    await fx.deliver(rfmTriggersHandler, moved);
    const tasks = await db().selectFrom('tasks').select(['title', 'remind_at', 'due_at']).where('workspace_id', '=', ws).execute();
    expect(tasks).toEqual([{ title: '回访', remind_at: null, due_at: null }]);
    const firings = await db().selectFrom('rfm_rule_firings').select(['rule_id', 'task_id']).where('workspace_id', '=', ws).execute();
    expect(firings).toHaveLength(1);
    expect(firings[0]!.rule_id).not.toBe(off.id);
  });
});
