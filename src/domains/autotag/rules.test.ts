// The /tag-rules API: what a rule looks like, the validation errors a wrong one gets (problem+json
// with paths), who may read and write rules, and workspaces kept apart (ids, tags, events).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, type TestApp } from '../../../test/support/app.js';
import { autotagWorld } from './test-support.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());
const db = () => t.database.db;

const noteRule = (tagId: string, extra: Record<string, unknown> = {}) => ({ name: '备注', trigger: { kind: 'event', type: 'note' }, actions: { addTagIds: [tagId] }, ...extra });

describe('tag rules API', () => {
  it('creates, reads, lists, changes and deletes a rule, each change audited', async () => {
    const w = await autotagWorld(t);
    const vip = await w.tag('VIP');
    const stage = await w.stage('成交');
    const created = await w.c.post('/api/v1/tag-rules', {
      name: '大单',
      description: '一单过千',
      trigger: { kind: 'event', type: 'order', where: [{ path: 'amount', op: 'gte', value: 1000 }] },
      actions: { addTagIds: [vip], stageId: stage },
    });
    expect(created.statusCode, created.body).toBe(201);
    const rule = created.json().rule;
    expect(created.json().jobId).toBeNull();
    expect(rule).toMatchObject({
      name: '大单',
      description: '一单过千',
      trigger: { kind: 'event', type: 'order', where: [{ path: 'amount', op: 'gte', value: 1000 }] },
      actions: { addTagIds: [vip], removeTagIds: [], stageId: stage, notifyOwner: false },
      enabled: true,
      status: 'ready',
      stoppedAt: null,
      createdBy: w.memberId,
    });
    expect((await w.c.get(`/api/v1/tag-rules/${rule.id}`)).json().rule).toEqual(rule);
    expect((await w.c.get('/api/v1/tag-rules')).json()).toEqual({ items: [rule], nextCursor: null });

    const patched = await w.c.patch(`/api/v1/tag-rules/${rule.id}`, { name: '大单客户', actions: { addTagIds: [vip], notifyOwner: true } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().rule).toMatchObject({ name: '大单客户', actions: { addTagIds: [vip], stageId: null, notifyOwner: true }, trigger: rule.trigger });

    const disabled = await w.c.post(`/api/v1/tag-rules/${rule.id}/disable`);
    expect(disabled.json().rule.enabled).toBe(false);
    expect((await w.c.delete(`/api/v1/tag-rules/${rule.id}`)).statusCode).toBe(204);
    expect((await w.c.get(`/api/v1/tag-rules/${rule.id}`)).statusCode).toBe(404);
    const audit = await db().selectFrom('audit_log').select('action').where('workspace_id', '=', w.ws).where('entity_type', '=', 'tag_rule').orderBy('at').execute();
    expect(audit.map((a) => a.action)).toEqual(['tag_rule.created', 'tag_rule.updated', 'tag_rule.disabled', 'tag_rule.deleted']);
  });

  it('a condition rule is built from the contacts as they are now, and answers with its definition', async () => {
    const w = await autotagWorld(t);
    const x = await w.tag('X');
    const a = await w.contact('甲', { city: '杭州' });
    await w.contact('乙', { city: '上海' });
    const definition = { kind: 'group', op: 'and', conditions: [{ kind: 'field', field: 'city', op: 'eq', value: '杭州' }] };
    const rule = await w.rule({ name: '杭州', trigger: { kind: 'condition', when: 'becomes_true', definition }, actions: { addTagIds: [x] } });
    expect(rule).toMatchObject({ status: 'ready', trigger: { kind: 'condition', when: 'becomes_true', definition } });
    const members = await db().selectFrom('tag_rule_members').select('contact_id').where('workspace_id', '=', w.ws).where('rule_id', '=', rule.id).execute();
    expect(members).toEqual([{ contact_id: a }]);
    // Built, not acted on: the contacts already there did not "become" anything.
    expect(await w.tagsOf(a)).toEqual([]);
  });

  it('answers validation errors with the path of what is wrong', async () => {
    const w = await autotagWorld(t);
    const x = await w.tag('X');
    const single1 = await w.tag('金', w.level);
    const single2 = await w.tag('银', w.level);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const event = { kind: 'event', type: 'order' };
    const errorsOf = async (body: Record<string, unknown>) => {
      const res = await w.c.post('/api/v1/tag-rules', { name: 'bad', trigger: event, actions: { addTagIds: [x] }, ...body });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('validation_failed');
      return (res.json().errors as Array<{ path: string; message: string }>).map((e) => e.path);
    };
    expect(await errorsOf({ actions: {} })).toEqual(['actions']);
    expect(await errorsOf({ actions: { addTagIds: [unknown] } })).toEqual(['actions.addTagIds.0']);
    expect(await errorsOf({ actions: { addTagIds: [x], removeTagIds: [x] } })).toEqual(['actions.removeTagIds.0']);
    expect(await errorsOf({ actions: { addTagIds: [single1, single2] } })).toEqual(['actions.addTagIds.1']);
    expect(await errorsOf({ actions: { stageId: unknown } })).toEqual(['actions.stageId']);
    expect(await errorsOf({ trigger: { ...event, where: [{ path: 'amount', op: 'gte', value: '1000' }] } })).toEqual(['trigger.where.0.value']);
    expect(await errorsOf({ trigger: { ...event, where: [{ path: 'a..b', op: 'exists' }] } })).toEqual(['trigger.where.0.path']);
    expect(await errorsOf({ trigger: { kind: 'event', type: 'rfm_layer_changed' } })).toEqual(['trigger.type']);
    expect(await errorsOf({ trigger: { kind: 'event', type: 'message', keywords: ['价格'], times: { atLeast: 3, days: 7 } } })).toEqual(['trigger.keywords']);
    expect(await errorsOf({ trigger: { kind: 'event', type: 'visit', times: { atLeast: 0, days: 7 } } })).toEqual(['trigger.times.atLeast']);
    const condition = (conditions: unknown[]) => ({ trigger: { kind: 'condition', when: 'becomes_true', definition: { kind: 'group', op: 'and', conditions } } });
    expect(await errorsOf(condition([{ kind: 'custom', key: 'nope', op: 'eq', value: 'x' }]))).toEqual(['trigger.definition.conditions.0.key']);
    expect(await errorsOf(condition([{ kind: 'tags', op: 'any', tagIds: [unknown] }]))).toEqual(['trigger.definition']);
    expect(await errorsOf(condition([{ kind: 'field', field: 'city', op: 'gt', value: 1 }]))).toEqual(['trigger.definition.conditions.0.op']);
    expect(await errorsOf({ trigger: { kind: 'condition', when: 'sometimes', definition: { kind: 'group', op: 'and', conditions: [] } } })).toEqual(['trigger.when']);
    expect(await errorsOf({ name: '' })).toEqual(['name']);
    expect(await errorsOf({ extra: 1 })).toEqual(['extra']);

    await w.rule(noteRule(x, { name: '唯一' }));
    const dup = await w.c.post('/api/v1/tag-rules', noteRule(x, { name: '唯一' }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('conflict');
    expect((await w.c.get('/api/v1/tag-rules')).json().items).toHaveLength(1);
  });

  it('lets agents read rules and only tag-rules:write change or run them', async () => {
    const w = await autotagWorld(t);
    const x = await w.tag('X');
    const rule = await w.rule(noteRule(x));
    const agent = await (await addMember(t, w.ws, 'agent')).login();
    expect((await agent.get('/api/v1/tag-rules')).statusCode).toBe(200);
    expect((await agent.get(`/api/v1/tag-rules/${rule.id}/runs`)).statusCode).toBe(200);
    for (const res of [
      await agent.post('/api/v1/tag-rules', noteRule(x, { name: 'mine' })),
      await agent.patch(`/api/v1/tag-rules/${rule.id}`, { name: 'renamed' }),
      await agent.post(`/api/v1/tag-rules/${rule.id}/disable`),
      await agent.post(`/api/v1/tag-rules/${rule.id}/backfill`),
      await agent.delete(`/api/v1/tag-rules/${rule.id}`),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().detail).toContain('tag-rules:write');
    }
    const outsider = await (await addMember(t, w.ws, { name: 'no rules', permissions: ['contacts:read'], scope: 'all' })).login();
    expect((await outsider.get('/api/v1/tag-rules')).statusCode).toBe(403);
    const manager = await (await addMember(t, w.ws, 'manager')).login();
    expect((await manager.post(`/api/v1/tag-rules/${rule.id}/disable`)).statusCode).toBe(200);
    expect((await w.c.get(`/api/v1/tag-rules/${rule.id}`)).json().rule.enabled).toBe(false);
  });

  it('keeps workspaces apart: another workspace’s rules, tags and events are out of reach', async () => {
    const a = await autotagWorld(t, 'A');
    const b = await autotagWorld(t, 'B');
    const aTag = await a.tag('A tag');
    const bTag = await b.tag('B tag');
    const bRule = await b.rule(noteRule(bTag));
    for (const res of [
      await a.c.get(`/api/v1/tag-rules/${bRule.id}`),
      await a.c.patch(`/api/v1/tag-rules/${bRule.id}`, { name: 'x' }),
      await a.c.post(`/api/v1/tag-rules/${bRule.id}/enable`),
      await a.c.post(`/api/v1/tag-rules/${bRule.id}/backfill`),
      await a.c.get(`/api/v1/tag-rules/${bRule.id}/runs`),
      await a.c.delete(`/api/v1/tag-rules/${bRule.id}`),
    ]) expect(res.statusCode, res.body).toBe(404);
    // B's tag is unknown in A.
    const res = await a.c.post('/api/v1/tag-rules', noteRule(bTag));
    expect(res.json().errors).toEqual([{ path: 'actions.addTagIds.0', message: 'Unknown tag' }]);

    // A's rule on notes does not act on B's notes, nor B's on A's.
    await a.rule(noteRule(aTag));
    const aContact = await a.contact('A 的客户');
    const bContact = await b.contact('B 的客户');
    await a.c.post(`/api/v1/contacts/${aContact}/notes`, { body: 'x' });
    await b.c.post(`/api/v1/contacts/${bContact}/notes`, { body: 'x' });
    await a.drain();
    await b.drain();
    expect(await a.tagsOf(aContact)).toEqual(['A tag']);
    expect(await b.tagsOf(bContact)).toEqual(['B tag']);
    const runs = await db().selectFrom('tag_rule_runs').select(['workspace_id', 'rule_id']).where('rule_id', '=', bRule.id).execute();
    expect(runs).toEqual([{ workspace_id: b.ws, rule_id: bRule.id }]);
  });

  it('is in the OpenAPI document, bodies and answers described', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    const paths = Object.keys(doc.paths as Record<string, unknown>).filter((p) => p.startsWith('/api/v1/tag-rules'));
    expect(paths.sort()).toEqual([
      '/api/v1/tag-rules',
      '/api/v1/tag-rules/{id}',
      '/api/v1/tag-rules/{id}/backfill',
      '/api/v1/tag-rules/{id}/disable',
      '/api/v1/tag-rules/{id}/enable',
      '/api/v1/tag-rules/{id}/runs',
    ]);
    const create = doc.paths['/api/v1/tag-rules'].post;
    expect(JSON.stringify(create.requestBody)).toContain('becomes_true');
    expect(JSON.stringify(create.requestBody)).toContain('keywords');
    expect(Object.keys(create.responses)).toContain('201');
    expect(Object.keys(doc.paths['/api/v1/tag-rules/{id}/backfill'].post.responses)).toContain('202');
  });
});
