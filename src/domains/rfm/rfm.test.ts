// RFM scores checked by hand on a small fixture: six customers whose recency, frequency,
// monetary, quintile scores, layers and cuts are worked out below from the definitions in
// queries/recompute.ts and layers.ts, then the update after one order, scored against the cuts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { rfmHandler } from './on-events.js';
import { rfmFixture } from './test-support.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

const db = () => t.database.db;

describe('RFM by hand', () => {
  it('scores, layers and cuts of a small workspace, then one order moves one customer', async () => {
    const fx = rfmFixture(t);
    const w = await signedInOwner(t);
    const ws = w.workspace.id;
    const c = {
      a: await fx.contact(ws, w.memberId, 'A'),
      b: await fx.contact(ws, w.memberId, 'B'),
      c: await fx.contact(ws, w.memberId, 'C'),
      d: await fx.contact(ws, w.memberId, 'D'),
      e: await fx.contact(ws, w.memberId, 'E'),
      f: await fx.contact(ws, w.memberId, 'F'),
      noOrders: await fx.contact(ws, w.memberId, 'G'),
      deleted: await fx.contact(ws, w.memberId, 'H'),
    };
    // Orders (days ago, amount). Default settings: a 365-day window, quintiles, "high" = score ≥ 3.
    await fx.order(w.client, c.a, 1, 500);
    await fx.order(w.client, c.a, 10, 300);
    await fx.order(w.client, c.a, 20, 200); //                 A: R 1 day,   F 3, M 1000
    await fx.order(w.client, c.b, 5, 100); //                  B: R 5,       F 1, M 100
    await fx.order(w.client, c.c, 40, 2000);
    await fx.order(w.client, c.c, 100, 1000); //               C: R 40,      F 2, M 3000
    await fx.order(w.client, c.d, 200, 50);
    await fx.order(w.client, c.d, 300, 50);
    await fx.order(w.client, c.d, 330, 50);
    await fx.order(w.client, c.d, 400, 999); //                D: R 200,     F 3, M 150 (the 400-day order is outside the window)
    await fx.order(w.client, c.e, 500, 5000); //               E: R 500,     F 0, M 0
    await fx.order(w.client, c.f, 60, 700); //                 F: R 60,      F 1, M 700
    await fx.order(w.client, c.deleted, 3, 9999);
    const note = await w.client.post(`/api/v1/contacts/${c.noOrders}/timeline`, { type: 'message', props: { channel: 'wechat', direction: 'in', body: '你好' } });
    expect(note.statusCode).toBe(201);
    await db().updateTable('contacts').set({ deleted_at: new Date() }).where('workspace_id', '=', ws).where('id', '=', c.deleted).execute();

    await fx.recompute(w.client, ws);

    // Six customers, so score = min(5, 1 + floor(5 · (rank − 1) / 5)) = min(5, rank):
    // R by days descending: E 500 (1), D 200 (2), F 60 (3), C 40 (4), B 5 (5), A 1 (6 → 5).
    // F ascending with ties at the lower rank: E 0 (1), B 1 (2), F 1 (2), C 2 (4), A 3 (5), D 3 (5).
    // M ascending: E 0 (1), B 100 (2), D 150 (3), F 700 (4), A 1000 (5), C 3000 (6 → 5).
    // Layers (↑ = score ≥ 3): A 5/5/5 ↑↑↑ important_value; B 5/2/2 ↑↓↓ general_develop;
    // C 4/4/5 ↑↑↑ important_value; D 2/5/3 ↓↑↑ important_keep; E 1/1/1 general_retain;
    // F 3/2/4 ↑↓↑ important_develop.
    const expected = [
      { contact_id: c.a, recency_days: 1, frequency: 3, monetary: 1000, r_score: 5, f_score: 5, m_score: 5, layer: 'important_value' },
      { contact_id: c.b, recency_days: 5, frequency: 1, monetary: 100, r_score: 5, f_score: 2, m_score: 2, layer: 'general_develop' },
      { contact_id: c.c, recency_days: 40, frequency: 2, monetary: 3000, r_score: 4, f_score: 4, m_score: 5, layer: 'important_value' },
      { contact_id: c.d, recency_days: 200, frequency: 3, monetary: 150, r_score: 2, f_score: 5, m_score: 3, layer: 'important_keep' },
      { contact_id: c.e, recency_days: 500, frequency: 0, monetary: 0, r_score: 1, f_score: 1, m_score: 1, layer: 'general_retain' },
      { contact_id: c.f, recency_days: 60, frequency: 1, monetary: 700, r_score: 3, f_score: 2, m_score: 4, layer: 'important_develop' },
    ];
    const byContact = (rows: Array<{ contact_id: string }>) => [...rows].sort((x, y) => x.contact_id.localeCompare(y.contact_id));
    const normalise = (rows: Awaited<ReturnType<typeof fx.rows>>) => byContact(rows.map((r) => ({ ...r, monetary: Number(r.monetary) })));
    expect(normalise(await fx.rows(ws))).toEqual(byContact(expected));

    // The bounds that produced these (scores 2..5): R the most days reaching each score, F and M the least value.
    const settings = (await w.client.get('/api/v1/rfm/settings')).json().settings;
    expect(settings.cuts).toEqual({ recencyDays: [200, 60, 40, 5], frequency: [1, 2, 2, 3], monetary: [100, 150, 700, 1000] });
    expect(settings.computedAt).toEqual(expect.any(String));

    const dist = (await w.client.get('/api/v1/rfm/distribution')).json();
    expect(dist.customers).toBe(6);
    expect(Object.fromEntries(dist.layers.map((l: { layer: string; count: number }) => [l.layer, l.count]))).toEqual({
      important_value: 2, important_develop: 1, important_keep: 1, important_retain: 0,
      general_value: 0, general_develop: 1, general_keep: 0, general_retain: 1,
    });
    expect(dist.layers[0]).toMatchObject({ layer: 'important_value', name: '重要价值' });
    const counts = (xs: Array<{ count: number }>) => xs.map((x) => x.count);
    expect(counts(dist.r)).toEqual([1, 1, 1, 1, 2]);
    expect(counts(dist.f)).toEqual([1, 2, 0, 1, 2]);
    expect(counts(dist.m)).toEqual([1, 1, 1, 1, 2]);
    expect(dist.rf.find((x: { r: number; f: number }) => x.r === 5 && x.f === 5).count).toBe(1);
    expect(dist.rf.reduce((n: number, x: { count: number }) => n + x.count, 0)).toBe(6);

    // E orders 800 today. Against the cuts: R 0 ≤ 5 → 5; F 1 ≥ 1 only → 2; M 800 ≥ 700 → 4:
    // ↑↓↑ important_develop, a move from general_retain, recorded and emitted.
    const before = (await fx.events(ws, 'timeline.event.recorded')).length;
    await fx.order(w.client, c.e, 0, 800);
    const recorded = (await fx.events(ws, 'timeline.event.recorded')).slice(before);
    await fx.deliver(rfmHandler, recorded);
    const e = (await fx.rows(ws)).find((r) => r.contact_id === c.e)!;
    expect({ ...e, monetary: Number(e.monetary) }).toEqual({ contact_id: c.e, recency_days: 0, frequency: 1, monetary: 800, r_score: 5, f_score: 2, m_score: 4, layer: 'important_develop' });
    const moved = await fx.events(ws, 'rfm.layer.changed');
    expect(moved.map((m) => m.payload)).toEqual([{ contactId: c.e, fromLayer: 'general_retain', toLayer: 'important_develop', changeId: expect.any(String), reason: 'order' }]);
    const history = (await w.client.get(`/api/v1/contacts/${c.e}/rfm`)).json();
    expect(history.rfm).toMatchObject({ recencyDays: 0, frequency: 1, monetary: 800, r: 5, f: 2, m: 4, layer: 'important_develop', layerName: '重要发展' });
    expect(history.changes).toEqual([{ id: moved[0]!.payload.changeId, from: 'general_retain', to: 'important_develop', reason: 'order', changedAt: expect.any(String) }]);
    // Delivered again (at-least-once), nothing moves twice.
    await fx.deliver(rfmHandler, recorded);
    expect(await fx.events(ws, 'rfm.layer.changed')).toHaveLength(1);

    // A contact without orders has no RFM; nor does a message make one.
    expect((await w.client.get(`/api/v1/contacts/${c.noOrders}/rfm`)).json()).toEqual({ contactId: c.noOrders, rfm: null, changes: [] });
  });

  it('thresholds, the window, order statuses and the high bounds', async () => {
    const fx = rfmFixture(t);
    const w = await signedInOwner(t);
    const ws = w.workspace.id;
    const x = await fx.contact(ws, w.memberId, 'X');
    const y = await fx.contact(ws, w.memberId, 'Y');
    await fx.order(w.client, x, 3, 400, { status: 'paid' });
    await fx.order(w.client, x, 25, 400, { status: 'paid' });
    await fx.order(w.client, x, 50, 400, { status: 'refunded' });
    await fx.order(w.client, x, 100, 400); //                   no status
    await fx.order(w.client, y, 80, 60, { status: 'paid' });

    const saved = await w.client.patch('/api/v1/rfm/settings', {
      scoring: 'thresholds',
      windowDays: 90,
      orderStatuses: ['paid'],
      thresholds: { recencyDays: [180, 90, 30, 7], frequency: [2, 3, 5, 8], monetary: [100, 500, 1000, 5000] },
      highScores: { r: 4 },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().jobId).toEqual(expect.any(String));
    expect(saved.json().settings.cuts).toEqual({ recencyDays: [180, 90, 30, 7], frequency: [2, 3, 5, 8], monetary: [100, 500, 1000, 5000] });
    await (await import('./test-support.js')).runJob(t, ws, saved.json().jobId);

    // Paid orders only, last 90 days. X: R 3 (≤ 7 → 5), F 2 (≥ 2 → 2), M 800 (≥ 500 → 3):
    // R ↑ (≥ 4), F ↓, M ↑ → important_develop. Y: R 80 (≤ 90 → 3, below the R bound 4 → ↓),
    // F 1 → 1, M 60 → 1: general_retain.
    const rows = await fx.rows(ws);
    expect(rows.map((r) => ({ ...r, monetary: Number(r.monetary) })).sort((p, q) => (p.contact_id === x ? -1 : q.contact_id === x ? 1 : 0))).toEqual([
      { contact_id: x, recency_days: 3, frequency: 2, monetary: 800, r_score: 5, f_score: 2, m_score: 3, layer: 'important_develop' },
      { contact_id: y, recency_days: 80, frequency: 1, monetary: 60, r_score: 3, f_score: 1, m_score: 1, layer: 'general_retain' },
    ]);
    // The settings change moved nobody (first scores are not moves), and the rename changes no score.
    const renamed = await w.client.patch('/api/v1/rfm/settings', { layerNames: { important_develop: '潜力大客户' } });
    expect(renamed.json().jobId).toBeNull();
    const list = (await w.client.get('/api/v1/rfm/customers?layer=important_develop')).json();
    expect(list.items).toEqual([expect.objectContaining({ contact: { id: x, name: 'X' }, layer: 'important_develop', layerName: '潜力大客户', monetary: 800 })]);
  });
});

describe('the daily schedule', () => {
  it('queues one recompute per workspace per local day, none once today’s has run', async () => {
    const { enqueueDailyRfm } = await import('./recompute-job.js');
    const w = await signedInOwner(t);
    const ws = w.workspace.id;
    const jobs = () => db().selectFrom('jobs').select(['dedupe_key', 'payload']).where('workspace_id', '=', ws).where('name', '=', 'rfm.recompute').execute();
    // From hour 0: every workspace's local time is past it.
    await enqueueDailyRfm(db(), 0);
    await enqueueDailyRfm(db(), 0);
    const queued = await jobs();
    expect(queued).toEqual([{ dedupe_key: expect.stringMatching(/^rfm\.recompute:daily:\d{4}-\d{2}-\d{2}$/), payload: { workspaceId: ws, reason: 'schedule' } }]);
    // Once it has run (computed_at today), the workspace is no longer due.
    await db().insertInto('rfm_settings').values({ workspace_id: ws, computed_at: new Date(), layer_names: '{}' }).execute();
    await db().deleteFrom('jobs').where('workspace_id', '=', ws).execute();
    await enqueueDailyRfm(db(), 0);
    expect(await jobs()).toEqual([]);
    // Not before the hour: 24 is never reached.
    await db().deleteFrom('rfm_settings').where('workspace_id', '=', ws).execute();
    await enqueueDailyRfm(db(), 24);
    expect(await jobs()).toEqual([]);
  });
});

describe('quintile scores on random workspaces', () => {
  it('match 1 + floor(5 · (rank − 1) / (n − 1)) computed here from the stored values, ties included', async () => {
    const fx = rfmFixture(t);
    let seed = 20261125;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const n of [1, 2, 6, 7, 11, 60]) {
      const w = await signedInOwner(t);
      const ws = w.workspace.id;
      const orders = [];
      for (let i = 0; i < n; i++) {
        const contactId = await fx.contact(ws, w.memberId, `C${i}`);
        // Few distinct days, counts and amounts, so ties are common.
        for (let k = 0, count = 1 + Math.floor(random() * 4); k < count; k++) {
          const days = [0, 3, 30, 200, 400][Math.floor(random() * 5)]!;
          orders.push({ workspace_id: ws, contact_id: contactId, type: 'order', actor_member_id: null, occurred_at: new Date(Date.now() - days * 86_400_000), props: JSON.stringify({ orderId: `R${i}-${k}`, amount: [10, 10, 99.5, 300][Math.floor(random() * 4)], currency: 'CNY' }) });
        }
      }
      await db().insertInto('timeline_events').values(orders).execute();
      await fx.recompute(w.client, ws);
      const rows = (await fx.rows(ws)).map((r) => ({ ...r, monetary: Number(r.monetary) }));
      expect(rows).toHaveLength(n);
      const score = (worse: number) => Math.min(5, 1 + Math.floor((5 * worse) / Math.max(n - 1, 1)));
      for (const row of rows) {
        expect(row.r_score, `R of ${row.recency_days} among ${n}`).toBe(score(rows.filter((o) => o.recency_days! > row.recency_days!).length));
        expect(row.f_score, `F of ${row.frequency} among ${n}`).toBe(score(rows.filter((o) => o.frequency < row.frequency).length));
        expect(row.m_score, `M of ${row.monetary} among ${n}`).toBe(score(rows.filter((o) => o.monetary < row.monetary).length));
      }
    }
  });
});
