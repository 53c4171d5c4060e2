// Rules firing incrementally from real outbox events: interactions recorded through the API, the
// outbox dispatched to the real handlers, their jobs run. Each automatic change is checked on the
// contact (tags, stage, tasks) and on its timeline, naming the rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, type TestApp } from '../../../test/support/app.js';
import { runJobNow } from '../../platform/queue/index.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { deliverDueReminders } from '../timeline/index.js';
import { ruleRefreshJob } from './jobs.js';
import { autotagWorld } from './test-support.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());
const db = () => t.database.db;

describe('event rules', () => {
  it('a message with a keyword tags the contact; the timeline names the rule; other messages do nothing', async () => {
    const w = await autotagWorld(t);
    const interested = await w.tag('意向客户');
    const rule = await w.rule({
      name: '询价即意向',
      trigger: { kind: 'event', type: 'message', keywords: ['价格', 'price'], where: [{ path: 'direction', op: 'eq', value: 'in' }] },
      actions: { addTagIds: [interested] },
    });
    const a = await w.contact('张伟');
    const b = await w.contact('李娜');
    const c = await w.contact('王芳');
    await w.record(a, 'message', { channel: 'wechat', direction: 'in', body: '请问这个价格是多少？' });
    await w.record(b, 'message', { channel: 'wechat', direction: 'in', body: '你好' });
    await w.record(c, 'message', { channel: 'wechat', direction: 'out', body: '价格表已发送' });
    await w.drain();

    expect(await w.tagsOf(a)).toEqual(['意向客户']);
    expect(await w.tagsOf(b)).toEqual([]);
    expect(await w.tagsOf(c)).toEqual([]);
    const source = await db().selectFrom('contact_tags').select(['source', 'added_by']).where('workspace_id', '=', w.ws).where('contact_id', '=', a).executeTakeFirstOrThrow();
    expect(source).toEqual({ source: 'rule', added_by: null });

    expect(await w.entries(a)).toEqual([
      {
        rule: { id: rule.id, name: '询价即意向' },
        runId: expect.any(String),
        trigger: 'event',
        added: [{ id: interested, name: '意向客户', color: expect.any(String) }],
        removed: [],
        stage: null,
        notified: false,
      },
    ]);
    // The console's timeline lists it (the type is in the filter), and only it: the timeline
    // derives no tags_added entry from a rule's tag change — one entry per automatic change.
    const timeline = (await w.c.get(`/api/v1/contacts/${a}/timeline?types=tag_rule_applied,tags_added`)).json().items;
    expect(timeline.map((e: { type: string }) => e.type)).toEqual(['tag_rule_applied']);

    // Again: the tag is there already, so nothing changes and no second entry is written.
    await w.record(a, 'message', { channel: 'wechat', direction: 'in', body: 'price?' });
    await w.drain();
    expect(await w.entries(a)).toHaveLength(1);
    const runs = await w.runs(rule.id);
    expect(runs.map((r) => [r.kind, r.status, r.matched, r.changed])).toEqual([
      ['event', 'applied', 1, 0],
      ['event', 'applied', 1, 1],
    ]);
  });

  it('an order of at least 1000 makes a VIP, moves the stage and gives the owner a task that notifies', async () => {
    const w = await autotagWorld(t);
    const vip = await w.tag('VIP', w.level);
    const normal = await w.tag('普通', w.level);
    const customer = await w.stage('成交客户');
    const agent = await addMember(t, w.ws, 'agent');
    const rule = await w.rule({
      name: '大单客户',
      trigger: { kind: 'event', type: 'order', where: [{ path: 'amount', op: 'gte', value: 1000 }, { path: 'currency', op: 'eq', value: 'CNY' }] },
      actions: { addTagIds: [vip], stageId: customer, notifyOwner: true },
    });
    const big = await w.contact('陈静', { ownerId: agent.memberId, tagIds: [normal] });
    const small = await w.contact('刘洋', { ownerId: agent.memberId });
    await w.record(big, 'order', { orderId: 'SO-1', amount: 1000, currency: 'CNY' });
    await w.record(small, 'order', { orderId: 'SO-2', amount: 999.99, currency: 'CNY' });
    await w.record(small, 'order', { orderId: 'SO-3', amount: 5000, currency: 'USD' });
    await w.drain();

    // VIP replaces 普通 in the single-choice group.
    expect(await w.tagsOf(big)).toEqual(['VIP']);
    expect(await w.tagsOf(small)).toEqual([]);
    const contact = (await w.c.get(`/api/v1/contacts/${big}`)).json().contact;
    expect(contact.stage.id).toBe(customer);
    const [entry] = await w.entries(big);
    expect(entry).toMatchObject({
      rule: { id: rule.id, name: '大单客户' },
      added: [{ id: vip, name: 'VIP' }],
      removed: [{ id: normal, name: '普通' }],
      stage: { id: customer, name: '成交客户' },
      notified: true,
    });
    const tasks = await db().selectFrom('tasks').select(['contact_id', 'assignee_member_id', 'title', 'created_by']).where('workspace_id', '=', w.ws).execute();
    expect(tasks).toEqual([{ contact_id: big, assignee_member_id: agent.memberId, title: '大单客户: 陈静', created_by: w.memberId }]);
    await deliverDueReminders(db());
    const notes = await db().selectFrom('notifications').select(['member_id', 'title']).where('workspace_id', '=', w.ws).execute();
    expect(notes).toEqual([{ member_id: agent.memberId, title: '大单客户: 陈静' }]);
    // The stage change went through the contacts domain: its own timeline entry too.
    expect(await w.entries(big, 'stage_changed')).toHaveLength(1);
  });

  it('the third visit within 30 days tags the contact, not the first two nor old ones', async () => {
    const w = await autotagWorld(t);
    const regular = await w.tag('常客');
    await w.rule({ name: '30天到店3次', trigger: { kind: 'event', type: 'visit', times: { atLeast: 3, days: 30 } }, actions: { addTagIds: [regular] } });
    const x = await w.contact('赵磊');
    const y = await w.contact('孙悦');
    await w.visit(x);
    await w.visit(x);
    await w.drain();
    expect(await w.tagsOf(x)).toEqual([]);
    await w.visit(x);
    await w.drain();
    expect(await w.tagsOf(x)).toEqual(['常客']);

    // Two visits long ago do not count towards the window.
    await w.visit(y);
    await w.visit(y);
    await w.age(y, 'visit', 40);
    await w.visit(y);
    await w.drain();
    expect(await w.tagsOf(y)).toEqual([]);
  });

  it('a form value and a scanned code', async () => {
    const w = await autotagWorld(t);
    const shanghai = await w.tag('上海');
    const poster = await w.tag('门店海报');
    const code = '11111111-2222-4333-8444-555555555555';
    await w.rule({ name: '表单城市', trigger: { kind: 'event', type: 'form_submission', where: [{ path: 'fields.city', op: 'in', value: ['上海', 'Shanghai'] }] }, actions: { addTagIds: [shanghai] } });
    await w.rule({ name: '扫码来源', trigger: { kind: 'event', type: 'code_scan', where: [{ path: 'codeId', op: 'eq', value: code }] }, actions: { addTagIds: [poster] } });
    const a = await w.contact('周杰');
    const b = await w.contact('吴敏');
    await w.record(a, 'form_submission', { formName: '报名', fields: { city: 'Shanghai', people: 2 } });
    await w.record(b, 'form_submission', { formName: '报名', fields: { city: '北京' } });
    await w.record(b, 'code_scan', { codeId: code, codeName: '门店海报' });
    await w.record(a, 'code_scan', { codeId: '11111111-2222-4333-8444-000000000000' });
    await w.drain();
    expect(await w.tagsOf(a)).toEqual(['上海']);
    expect(await w.tagsOf(b)).toEqual(['门店海报']);
  });

  it('a disabled rule does nothing; enabled again it acts on new events', async () => {
    const w = await autotagWorld(t);
    const x = await w.tag('X');
    const rule = await w.rule({ name: 'r', trigger: { kind: 'event', type: 'note' }, actions: { addTagIds: [x] }, enabled: false });
    const a = await w.contact('A');
    await w.c.post(`/api/v1/contacts/${a}/notes`, { body: '备注' });
    await w.drain();
    expect(await w.tagsOf(a)).toEqual([]);
    expect((await w.c.post(`/api/v1/tag-rules/${rule.id}/enable`)).json().rule.enabled).toBe(true);
    await w.c.post(`/api/v1/contacts/${a}/notes`, { body: '备注' });
    await w.drain();
    expect(await w.tagsOf(a)).toEqual(['X']);
  });
});

describe('condition rules', () => {
  it('acts when a condition becomes true, and another rule when it becomes false', async () => {
    const w = await autotagWorld(t);
    const hot = await w.tag('热');
    const cold = await w.tag('冷');
    const lead = await w.stage('线索');
    const won = await w.stage('赢单');
    const definition = { kind: 'group', op: 'and', conditions: [{ kind: 'stage', op: 'in', stageIds: [won] }, { kind: 'field', field: 'city', op: 'eq', value: '杭州' }] };
    const on = await w.rule({ name: '杭州赢单', trigger: { kind: 'condition', when: 'becomes_true', definition }, actions: { addTagIds: [hot], removeTagIds: [cold] } });
    const off = await w.rule({ name: '杭州赢单-离开', trigger: { kind: 'condition', when: 'becomes_false', definition }, actions: { addTagIds: [cold], removeTagIds: [hot] } });
    expect(on.status).toBe('ready');
    const a = await w.contact('郑爽', { city: '杭州', stageId: lead });
    const b = await w.contact('冯刚', { city: '宁波', stageId: won });
    await w.drain();
    expect(await w.tagsOf(a)).toEqual([]);

    await w.c.patch(`/api/v1/contacts/${a}`, { stageId: won });
    await w.c.patch(`/api/v1/contacts/${b}`, { name: '冯刚2' });
    await w.drain();
    expect(await w.tagsOf(a)).toEqual(['热']);
    expect(await w.tagsOf(b)).toEqual([]);

    await w.c.patch(`/api/v1/contacts/${a}`, { city: '上海' });
    await w.drain();
    expect(await w.tagsOf(a)).toEqual(['冷']);
    const entries = await w.entries(a);
    expect(entries.map((e) => [(e.rule as { name: string }).name, (e.added as Array<{ name: string }>).map((x) => x.name), (e.removed as Array<{ name: string }>).map((x) => x.name)])).toEqual([
      ['杭州赢单', ['热'], []],
      ['杭州赢单-离开', ['冷'], ['热']],
    ]);
    expect((await w.runs(off.id)).map((r) => [r.kind, r.matched, r.changed])).toEqual([['condition', 1, 1]]);
  });

  it('reacts to tags, to recorded events and to new contacts', async () => {
    const w = await autotagWorld(t);
    const vip = await w.tag('VIP');
    const care = await w.tag('重点维护');
    const buyer = await w.tag('复购');
    await w.rule({ name: 'VIP要维护', trigger: { kind: 'condition', when: 'becomes_true', definition: { kind: 'group', op: 'and', conditions: [{ kind: 'tags', op: 'any', tagIds: [vip] }] } }, actions: { addTagIds: [care] } });
    await w.rule({
      name: '两单复购',
      trigger: { kind: 'condition', when: 'becomes_true', definition: { kind: 'group', op: 'and', conditions: [{ kind: 'event', type: 'order', count: { op: 'at_least', n: 2 }, window: { kind: 'ever' } }] } },
      actions: { addTagIds: [buyer] },
    });
    const a = await w.contact('韩梅', { tagIds: [vip] });
    const b = await w.contact('李雷');
    await w.drain();
    expect(await w.tagsOf(a)).toEqual(['VIP', '重点维护']);
    await w.c.post(`/api/v1/contacts/${b}/tags`, { tagIds: [vip] });
    await w.record(b, 'order', { orderId: '1', amount: 10, currency: 'CNY' });
    await w.drain();
    expect(await w.tagsOf(b)).toEqual(['VIP', '重点维护']);
    await w.record(b, 'order', { orderId: '2', amount: 10, currency: 'CNY' });
    await w.drain();
    expect(await w.tagsOf(b)).toEqual(['VIP', '复购', '重点维护']);
  });

  it('a time-relative condition is kept current by the daily refresh: no order for 30 days tags the contact dormant', async () => {
    const w = await autotagWorld(t);
    const dormant = await w.tag('沉睡');
    const noRecentOrder = { kind: 'event', type: 'order', count: { op: 'exactly', n: 0 }, window: { kind: 'last_days', days: 30 } };
    const hadOrder = { kind: 'event', type: 'order', count: { op: 'at_least', n: 1 }, window: { kind: 'ever' } };
    const rule = await w.rule({
      name: '30天未下单',
      trigger: { kind: 'condition', when: 'becomes_true', definition: { kind: 'group', op: 'and', conditions: [hadOrder, noRecentOrder] } },
      actions: { addTagIds: [dormant] },
    });
    const a = await w.contact('老客');
    const b = await w.contact('新客');
    await w.record(a, 'order', { orderId: 'a1', amount: 10, currency: 'CNY' });
    await w.record(b, 'order', { orderId: 'b1', amount: 10, currency: 'CNY' });
    await w.drain();
    expect(await w.tagsOf(a)).toEqual([]);
    // A day goes by for a only... forty of them. No event says so: the refresh (queued for just
    // after the workspace's next midnight when the rule was made) finds it.
    await w.age(a, 'order', 40);
    const job = await db().selectFrom('jobs').select(['id', 'run_at']).where('workspace_id', '=', w.ws).where('name', '=', 'autotag.refresh').executeTakeFirstOrThrow();
    expect(job.run_at.getTime()).toBeGreaterThan(Date.now());
    expect(await runJobNow(db(), silentLogger, ruleRefreshJob, w.ws, job.id)).toBe(true);
    expect(await w.tagsOf(a)).toEqual(['沉睡']);
    expect(await w.tagsOf(b)).toEqual([]);
    expect((await w.runs(rule.id)).map((r) => [r.kind, r.matched])).toEqual([['condition', 1]]);
  });

  it('a definition that no longer compiles marks the rule invalid; a deleted contact leaving a condition is not acted on', async () => {
    const w = await autotagWorld(t);
    const x = await w.tag('X');
    const field = (await w.c.post('/api/v1/custom-fields', { key: 'level', label: '等级', type: 'text' })).json().field.id;
    const onLevel = await w.rule({
      name: '等级',
      trigger: { kind: 'condition', when: 'becomes_true', definition: { kind: 'group', op: 'and', conditions: [{ kind: 'custom', key: 'level', op: 'eq', value: 'gold' }] } },
      actions: { addTagIds: [x] },
    });
    const leaving = await w.rule({
      name: '离开杭州',
      trigger: { kind: 'condition', when: 'becomes_false', definition: { kind: 'group', op: 'and', conditions: [{ kind: 'field', field: 'city', op: 'eq', value: '杭州' }] } },
      actions: { addTagIds: [x] },
    });
    const a = await w.contact('甲', { city: '杭州' });
    await w.drain();
    expect((await w.c.delete(`/api/v1/custom-fields/${field}`)).statusCode).toBe(204);
    expect((await w.c.delete(`/api/v1/contacts/${a}`)).statusCode).toBe(204);
    await w.contact('乙', { custom: {} });
    await w.drain();
    const rule = (await w.c.get(`/api/v1/tag-rules/${onLevel.id}`)).json().rule;
    expect(rule).toMatchObject({ status: 'invalid', error: expect.stringContaining('Unknown custom field') });
    expect((await w.c.post(`/api/v1/tag-rules/${onLevel.id}/backfill`)).statusCode).toBe(409);
    // 甲 was deleted: forgotten by the rule, not "left 杭州".
    expect(await w.runs(leaving.id)).toEqual([]);
    expect(await db().selectFrom('tag_rule_members').select('contact_id').where('workspace_id', '=', w.ws).where('contact_id', '=', a).execute()).toEqual([]);
  });
});
