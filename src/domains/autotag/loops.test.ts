// Rule loops: rule A adds tag X, rule B removes it, and each change triggers the other. Through
// real outbox dispatch, the loop guard stops the rule that would act a second time in the same
// cascade, disables it with the reason, and the run log shows the chain; the outbox settles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { handleEvents, type DomainEvent, type EventType } from '../../platform/events/index.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { autotagHandler } from './on-events.js';
import { autotagWorld } from './test-support.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());
const db = () => t.database.db;

const tags = (op: 'any' | 'none', tagId: string) => ({ kind: 'group', op: 'and', conditions: [{ kind: 'tags', op, tagIds: [tagId] }] });

describe('loop guard', () => {
  it('A adds X when it is missing, B removes X when it is there: stopped after one round, A disabled with the reason', async () => {
    const w = await autotagWorld(t);
    const x = await w.tag('X');
    const a = await w.rule({ name: 'A 补上 X', trigger: { kind: 'condition', when: 'becomes_true', definition: tags('none', x) }, actions: { addTagIds: [x] } });
    const b = await w.rule({ name: 'B 去掉 X', trigger: { kind: 'condition', when: 'becomes_true', definition: tags('any', x) }, actions: { removeTagIds: [x] } });
    const contact = await w.contact('循环');
    // Without the guard this never settles (drain fails after 500 rounds).
    await w.drain();

    // A added X, B removed it, A would add it again: stopped there.
    expect(await w.tagsOf(contact)).toEqual([]);
    const rules = (await w.c.get('/api/v1/tag-rules')).json().items as Array<{ id: string; enabled: boolean; stoppedAt: string | null; stoppedReason: string | null }>;
    const ruleA = rules.find((r) => r.id === a.id)!;
    const ruleB = rules.find((r) => r.id === b.id)!;
    expect(ruleA).toMatchObject({ enabled: false, stoppedAt: expect.any(String), stoppedReason: expect.stringContaining('Loop: A 补上 X → B 去掉 X → A 补上 X') });
    expect(ruleB).toMatchObject({ enabled: true, stoppedAt: null });

    const runsA = await w.runs(a.id);
    expect(runsA.map((r) => [r.kind, r.status, r.chain.map((c) => c.name), r.changed])).toEqual([
      ['condition', 'stopped', ['A 补上 X', 'B 去掉 X', 'A 补上 X'], 0],
      ['condition', 'applied', ['A 补上 X'], 1],
    ]);
    expect(runsA[0]!.detail).toMatchObject({ reason: 'loop', contactIds: [contact] });
    expect((await w.runs(b.id)).map((r) => [r.status, r.chain.map((c) => c.name)])).toEqual([['applied', ['A 补上 X', 'B 去掉 X']]]);
    const stopped = await db().selectFrom('outbox_events').select('payload').where('workspace_id', '=', w.ws).where('type', '=', 'autotag.rule.stopped').execute();
    expect(stopped.map((e) => e.payload)).toEqual([{ ruleId: a.id, chain: [a.id, b.id, a.id], reason: 'loop' }]);

    // Both changes are on the timeline, each naming its rule.
    const entries = await w.entries(contact);
    expect(entries.map((e) => (e.rule as { name: string }).name)).toEqual(['A 补上 X', 'B 去掉 X']);

    // A stopped rule stays out of it: a new contact gets nothing from A.
    const other = await w.contact('另一个');
    await w.drain();
    expect(await w.tagsOf(other)).toEqual([]);

    // Fixed and enabled again, the stop is cleared.
    await w.c.delete(`/api/v1/tag-rules/${b.id}`);
    const enabled = (await w.c.post(`/api/v1/tag-rules/${a.id}/enable`)).json().rule;
    expect(enabled).toMatchObject({ enabled: true, stoppedAt: null, stoppedReason: null });
    const third = await w.contact('第三个');
    await w.drain();
    expect(await w.tagsOf(third)).toEqual(['X']);
  });

  it('a three-rule cycle through the stage (X → stage S → no X → …) is stopped too', async () => {
    const w = await autotagWorld(t);
    const x = await w.tag('X');
    const s1 = await w.stage('意向');
    const s2 = await w.stage('成交');
    const p = await w.rule({ name: 'P', trigger: { kind: 'condition', when: 'becomes_true', definition: tags('any', x) }, actions: { stageId: s2 } });
    const q = await w.rule({
      name: 'Q',
      trigger: { kind: 'condition', when: 'becomes_true', definition: { kind: 'group', op: 'and', conditions: [{ kind: 'stage', op: 'in', stageIds: [s2] }] } },
      actions: { removeTagIds: [x] },
    });
    const r = await w.rule({ name: 'R', trigger: { kind: 'condition', when: 'becomes_true', definition: tags('none', x) }, actions: { addTagIds: [x], stageId: s1 } });
    const contact = await w.contact('三角', { stageId: s1, tagIds: [x] });
    await w.drain();
    const names = async (id: string) => (await w.runs(id)).map((run) => `${run.status}:${run.chain.map((c) => c.name).join('>')}`);
    // Created with X: P moves it to 成交; Q takes X off; R puts X back and moves it to 意向;
    // P would move it again: stopped.
    expect(await names(p.id)).toEqual(['stopped:P>Q>R>P', 'applied:P']);
    expect(await names(q.id)).toEqual(['applied:P>Q']);
    expect(await names(r.id)).toEqual(['applied:P>Q>R']);
    expect((await w.c.get(`/api/v1/tag-rules/${p.id}`)).json().rule.enabled).toBe(false);
    expect(await w.tagsOf(contact)).toEqual(['X']);
  });

  it('a rule reacting to its own change, or a chain of different rules, is not a loop', async () => {
    const w = await autotagWorld(t);
    const x = await w.tag('X');
    const y = await w.tag('Y');
    const z = await w.tag('Z');
    // "Missing X → add X" sees its own change (X now there) and does nothing more.
    const self = await w.rule({ name: 'self', trigger: { kind: 'condition', when: 'becomes_true', definition: tags('none', x) }, actions: { addTagIds: [x] } });
    const toY = await w.rule({ name: 'X→Y', trigger: { kind: 'condition', when: 'becomes_true', definition: tags('any', x) }, actions: { addTagIds: [y] } });
    const toZ = await w.rule({ name: 'Y→Z', trigger: { kind: 'condition', when: 'becomes_true', definition: tags('any', y) }, actions: { addTagIds: [z] } });
    const contact = await w.contact('链');
    await w.drain();
    expect(await w.tagsOf(contact)).toEqual(['X', 'Y', 'Z']);
    for (const rule of [self, toY, toZ]) expect((await w.c.get(`/api/v1/tag-rules/${rule.id}`)).json().rule).toMatchObject({ enabled: true, stoppedAt: null });
    expect((await w.runs(toZ.id)).map((r) => r.chain.map((c) => c.name))).toEqual([['self', 'X→Y', 'Y→Z']]);
    // A person removing X starts a new chain: self acts again, nothing is stopped.
    await w.c.delete(`/api/v1/contacts/${contact}/tags/${x}`);
    await w.drain();
    expect(await w.tagsOf(contact)).toEqual(['X', 'Y', 'Z']);
    expect((await w.runs(self.id)).map((r) => r.status)).toEqual(['applied', 'applied']);
  });

  it('a person undoing a rule’s change before the rule’s own event is handled starts a new chain, not a loop', async () => {
    const w = await autotagWorld(t);
    const lead = await w.stage('意向');
    const won = await w.stage('成交');
    const sticky = await w.rule({
      name: '保持成交',
      trigger: { kind: 'condition', when: 'becomes_true', definition: { kind: 'group', op: 'and', conditions: [{ kind: 'stage', op: 'not_in', stageIds: [won] }] } },
      actions: { stageId: won },
    });
    const contact = await w.contact('抢先', { stageId: won });
    // Handled one by one, in the order the test chooses (a worker may run them late and in any order).
    const events = async (type: string) =>
      (await db().selectFrom('outbox_events').select(['id', 'type', 'payload', 'occurred_at']).where('workspace_id', '=', w.ws).where('type', '=', type).orderBy('id').execute()).map(
        (e): DomainEvent => ({ id: Number(e.id), workspaceId: w.ws, type: e.type as EventType, payload: e.payload, occurredAt: e.occurred_at.toISOString() }),
      );
    const deliver = (event: DomainEvent) => inTransaction(db(), (tx) => handleEvents(autotagHandler, { tx, logger: silentLogger, attempt: 1 }, [event]));
    const stageOf = async () => (await w.c.get(`/api/v1/contacts/${contact}`)).json().contact.stage.id;
    await deliver((await events('contacts.contact.created'))[0]!);
    await w.c.patch(`/api/v1/contacts/${contact}`, { stageId: lead });
    await deliver((await events('contacts.contact.stage_changed'))[0]!);
    expect(await stageOf()).toBe(won);
    const [, ruleMoved] = await events('contacts.contact.stage_changed');
    expect(ruleMoved!.payload.sourceRef).toEqual(expect.any(String));
    // The person moves the contact back while the rule's change is still waiting to be handled:
    // handling it sees the person's change, which is newer than the rule's.
    await w.c.patch(`/api/v1/contacts/${contact}`, { stageId: lead });
    await deliver(ruleMoved!);
    expect(await stageOf()).toBe(won);
    expect((await w.c.get(`/api/v1/tag-rules/${sticky.id}`)).json().rule).toMatchObject({ enabled: true, stoppedAt: null });
    expect((await w.runs(sticky.id)).map((r) => [r.status, r.chain.length])).toEqual([
      ['applied', 1],
      ['applied', 1],
    ]);
  });
});
