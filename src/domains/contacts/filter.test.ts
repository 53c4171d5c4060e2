import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTeam, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { encodeCursor } from '../../platform/http/pagination.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

type W = Awaited<ReturnType<typeof signedInOwner>>;

describe('the contact filter', () => {
  let w: W;
  const ids: Record<string, string> = {};
  const tag: Record<string, string> = {};
  let stages: string[];
  let team1: string;
  let team2: string;
  let agents: string[];

  beforeAll(async () => {
    w = await signedInOwner(t, 'Filters');
    stages = (await w.client.get('/api/v1/stages')).json().items.map((s: { id: string }) => s.id);
    agents = [];
    for (let i = 0; i < 3; i++) agents.push((await addMember(t, w.workspace.id, 'agent')).memberId);
    team1 = await createTeam(t, w.workspace.id, [agents[0]!]);
    team2 = await createTeam(t, w.workspace.id, [agents[1]!], team1);
    for (const f of [
      { key: 'level', label: 'Level', type: 'single_select', options: ['A', 'B'] },
      { key: 'score', label: 'Score', type: 'number' },
      { key: 'since', label: 'Since', type: 'date' },
      { key: 'vip', label: 'VIP', type: 'boolean' },
      { key: 'hobbies', label: 'Hobbies', type: 'multi_select', options: ['x', 'y', 'z'] },
      { key: 'note', label: 'Note', type: 'text' },
    ]) {
      expect((await w.client.post('/api/v1/custom-fields', f)).statusCode).toBe(201);
    }
    const group = (await w.client.post('/api/v1/tag-groups', { name: 'G' })).json().group.id;
    for (const name of ['t1', 't2', 't3']) tag[name] = (await w.client.post('/api/v1/tags', { groupId: group, name })).json().tag.id;
    const make = async (key: string, body: Record<string, unknown>) => {
      const res = await w.client.post('/api/v1/contacts', body);
      expect(res.statusCode, res.body).toBe(201);
      ids[key] = res.json().contact.id;
    };
    await make('c1', {
      name: 'Alice Zhang', phone: '+8613800138001', email: 'alice@example.com', company: 'Acme 100%', city: 'Shanghai', gender: 'female',
      influence: 10, birthday: '1990-01-01', stageId: stages[0], ownerId: agents[0], sourceChannel: 'wecom', tagIds: [tag.t1, tag.t2],
      custom: { level: 'A', score: 5, since: '2024-01-01', vip: true, hobbies: ['x', 'y'], note: 'hello_world' },
      identities: [{ channelType: 'wecom', externalId: 'w1' }],
    });
    await make('c2', {
      name: 'Bob', phone: '+8613900139002', company: 'Beta', city: 'Beijing', gender: 'male', influence: 50, stageId: stages[1], ownerId: agents[1],
      sourceChannel: 'whatsapp', tagIds: [tag.t2], custom: { level: 'B', score: 50.5, since: '2024-06-01', vip: false, hobbies: ['z'] },
      identities: [{ channelType: 'whatsapp', externalId: 'w2' }],
    });
    await make('c3', { name: '王芳', email: 'wf@example.cn', gender: 'other', stageId: stages[1], ownerId: agents[2], custom: { score: 100 } });
    await make('c4', { name: 'Dan', ownerId: null, tagIds: [tag.t3], birthday: '2000-12-31' });
    await w.client.put(`/api/v1/contacts/${ids.c1}/consents/email`, { status: 'opt_in', how: 'form' });
    await w.client.put(`/api/v1/contacts/${ids.c2}/consents/email`, { status: 'opt_out', how: 'link' });
    // A deleted contact matches nothing.
    await make('gone', { name: 'Alice Gone', stageId: stages[1] });
    await w.client.delete(`/api/v1/contacts/${ids.gone}`);
  });

  const cases: Array<[string, () => Record<string, unknown>, string[]]> = [
    ['nothing', () => ({}), ['c1', 'c2', 'c3', 'c4']],
    ['q name', () => ({ q: 'alice' }), ['c1']],
    ['q phone part', () => ({ q: '13800' }), ['c1']],
    ['q phone spaced digits', () => ({ q: '138 0013 8001' }), ['c1']],
    ['q escapes %', () => ({ q: '100%' }), ['c1']],
    ['q escapes _', () => ({ q: '_' }), []],
    ['q chinese', () => ({ q: '王' }), ['c3']],
    ['q e-mail', () => ({ q: 'EXAMPLE.CN' }), ['c3']],
    ['stageIds', () => ({ stageIds: [stages[1]] }), ['c2', 'c3']],
    ['ownerIds with none', () => ({ ownerIds: [agents[0], 'none'] }), ['c1', 'c4']],
    ['teamIds with sub-teams', () => ({ teamIds: [team1] }), ['c1', 'c2']],
    ['teamIds leaf', () => ({ teamIds: [team2] }), ['c2']],
    ['tags any', () => ({ tags: { any: [tag.t1, tag.t3] } }), ['c1', 'c4']],
    ['tags all', () => ({ tags: { all: [tag.t1, tag.t2] } }), ['c1']],
    ['tags none', () => ({ tags: { none: [tag.t2] } }), ['c3', 'c4']],
    ['sourceChannels', () => ({ sourceChannels: ['whatsapp'] }), ['c2']],
    ['consent', () => ({ consent: { channelType: 'email', status: 'opt_in' } }), ['c1']],
    ['hasIdentity', () => ({ hasIdentity: ['wecom', 'whatsapp'] }), ['c1', 'c2']],
    ['lacksIdentity', () => ({ lacksIdentity: ['wecom'] }), ['c2', 'c3', 'c4']],
    ['createdAt in the future', () => ({ createdAt: { from: '2999-01-01T00:00:00Z' } }), []],
    ['createdAt before the future', () => ({ createdAt: { to: '2999-01-01' } }), ['c1', 'c2', 'c3', 'c4']],
    ['updatedAt', () => ({ updatedAt: { from: '2000-01-01T00:00:00+08:00' } }), ['c1', 'c2', 'c3', 'c4']],
    ['lastActiveAt (never active)', () => ({ lastActiveAt: { from: '2000-01-01T00:00:00Z' } }), []],
    ['ids', () => ({ ids: [ids.c1, ids.c3, ids.gone] }), ['c1', 'c3']],
    ['city eq', () => ({ fields: [{ field: 'city', op: 'eq', value: 'Shanghai' }] }), ['c1']],
    ['city neq (includes empty)', () => ({ fields: [{ field: 'city', op: 'neq', value: 'Shanghai' }] }), ['c2', 'c3', 'c4']],
    ['company contains', () => ({ fields: [{ field: 'company', op: 'contains', value: 'ETA' }] }), ['c2']],
    ['city in', () => ({ fields: [{ field: 'city', op: 'in', value: ['Beijing', 'Shanghai'] }] }), ['c1', 'c2']],
    ['city empty', () => ({ fields: [{ field: 'city', op: 'empty' }] }), ['c3', 'c4']],
    ['gender in', () => ({ fields: [{ field: 'gender', op: 'in', value: ['male', 'other'] }] }), ['c2', 'c3']],
    ['influence gte', () => ({ fields: [{ field: 'influence', op: 'gte', value: 10 }] }), ['c1', 'c2']],
    ['influence between', () => ({ fields: [{ field: 'influence', op: 'between', value: [20, 60] }] }), ['c2']],
    ['influence empty', () => ({ fields: [{ field: 'influence', op: 'empty' }] }), ['c3', 'c4']],
    ['birthday lt', () => ({ fields: [{ field: 'birthday', op: 'lt', value: '1995-01-01' }] }), ['c1']],
    ['birthday not_empty', () => ({ fields: [{ field: 'birthday', op: 'not_empty' }] }), ['c1', 'c4']],
    ['email eq (normalised)', () => ({ fields: [{ field: 'email', op: 'eq', value: 'ALICE@example.com' }] }), ['c1']],
    ['phone not_empty', () => ({ fields: [{ field: 'phone', op: 'not_empty' }] }), ['c1', 'c2']],
    ['name contains %', () => ({ fields: [{ field: 'name', op: 'contains', value: '%' }] }), []],
    ['custom select eq', () => ({ custom: [{ key: 'level', op: 'eq', value: 'A' }] }), ['c1']],
    ['custom select neq', () => ({ custom: [{ key: 'level', op: 'neq', value: 'A' }] }), ['c2', 'c3', 'c4']],
    ['custom select in', () => ({ custom: [{ key: 'level', op: 'in', value: ['A', 'B'] }] }), ['c1', 'c2']],
    ['custom number gt', () => ({ custom: [{ key: 'score', op: 'gt', value: 5 }] }), ['c2', 'c3']],
    ['custom number between', () => ({ custom: [{ key: 'score', op: 'between', value: [5, 50.5] }] }), ['c1', 'c2']],
    ['custom number lte (numeric, not text)', () => ({ custom: [{ key: 'score', op: 'lte', value: 50 }] }), ['c1']],
    ['custom date gte', () => ({ custom: [{ key: 'since', op: 'gte', value: '2024-03-01' }] }), ['c2']],
    ['custom boolean true', () => ({ custom: [{ key: 'vip', op: 'eq', value: true }] }), ['c1']],
    ['custom boolean false', () => ({ custom: [{ key: 'vip', op: 'eq', value: false }] }), ['c2']],
    ['custom empty', () => ({ custom: [{ key: 'vip', op: 'empty' }] }), ['c3', 'c4']],
    ['custom has_any', () => ({ custom: [{ key: 'hobbies', op: 'has_any', value: ['y', 'z'] }] }), ['c1', 'c2']],
    ['custom has_all', () => ({ custom: [{ key: 'hobbies', op: 'has_all', value: ['x', 'y'] }] }), ['c1']],
    ['custom not_empty', () => ({ custom: [{ key: 'hobbies', op: 'not_empty' }] }), ['c1', 'c2']],
    ['custom text contains _', () => ({ custom: [{ key: 'note', op: 'contains', value: 'o_w' }] }), ['c1']],
    ['custom text contains % literally', () => ({ custom: [{ key: 'note', op: 'contains', value: '%' }] }), []],
    ['combined (AND)', () => ({ stageIds: [stages[1]], custom: [{ key: 'score', op: 'gt', value: 60 }] }), ['c3']],
  ];

  it.each(cases)('%s', async (_name, filter, expected) => {
    const res = await w.client.post('/api/v1/contacts/search', { filter: filter(), limit: 200 });
    expect(res.statusCode, res.body).toBe(200);
    const want = expected.map((k) => ids[k]).sort();
    expect(res.json().items.map((c: { id: string }) => c.id).sort()).toEqual(want);
    expect((await w.client.post('/api/v1/contacts/count', { filter: filter() })).json().count).toBe(want.length);
  });

  it('refuses filters that do not fit, naming the path', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ custom: [{ key: 'nope', op: 'eq', value: 1 }] }, 'filter.custom.0.key'],
      [{ custom: [{ key: 'level', op: 'gt', value: 'A' }] }, 'filter.custom.0.op'],
      [{ custom: [{ key: 'score', op: 'eq', value: 'x' }] }, 'filter.custom.0.value'],
      [{ custom: [{ key: 'since', op: 'eq', value: '2024-02-30' }] }, 'filter.custom.0.value'],
      [{ custom: [{ key: 'hobbies', op: 'has_any', value: [] }] }, 'filter.custom.0.value'],
      [{ custom: [{ key: 'score', op: 'between', value: [1] }] }, 'filter.custom.0.value'],
      [{ fields: [{ field: 'influence', op: 'contains', value: '1' }] }, 'filter.fields.0.op'],
      [{ fields: [{ field: 'birthday', op: 'eq', value: 'yesterday' }] }, 'filter.fields.0.value'],
      [{ fields: [{ field: 'city', op: 'empty', value: 'x' }] }, 'filter.fields.0.value'],
      [{ fields: [{ field: 'password', op: 'eq', value: 'x' }] }, 'filter.fields.0.field'],
      [{ stageIds: [] }, 'filter.stageIds'],
      [{ ownerIds: ['me'] }, 'filter.ownerIds.0'],
      [{ createdAt: { from: 'last week' } }, 'filter.createdAt.from'],
      [{ foo: 1 }, 'filter.foo'],
    ];
    for (const [filter, path] of bad) {
      const res = await w.client.post('/api/v1/contacts/search', { filter });
      expect(res.statusCode, JSON.stringify(filter)).toBe(400);
      expect(res.json().errors.map((e: { path: string }) => e.path), JSON.stringify(filter)).toContain(path);
    }
  });
});

describe('keyset pagination', () => {
  let w: W;
  const all: string[] = [];

  beforeAll(async () => {
    w = await signedInOwner(t, 'Pages');
    await w.client.post('/api/v1/custom-fields', { key: 'score', label: 'Score', type: 'money' });
    await w.client.post('/api/v1/custom-fields', { key: 'since', label: 'Since', type: 'date' });
    await w.client.post('/api/v1/custom-fields', { key: 'level', label: 'Level', type: 'single_select', options: ['A', 'B', 'C'] });
    await w.client.post('/api/v1/custom-fields', { key: 'vip', label: 'VIP', type: 'boolean' });
    for (let i = 0; i < 17; i++) {
      // Ties and gaps on purpose: repeated names and values, and every third value missing.
      const custom: Record<string, unknown> = {};
      if (i % 3) custom.score = (i % 4) * 10.25;
      if (i % 3 !== 1) custom.since = `2024-0${(i % 5) + 1}-01`;
      if (i % 2) custom.level = ['A', 'B', 'C'][i % 3];
      if (i % 4) custom.vip = i % 2 === 0;
      const res = await w.client.post('/api/v1/contacts', { name: `n${i % 6}`, custom });
      all.push(res.json().contact.id);
    }
    // Shared timestamps, and half never active.
    const db = t.database.db;
    await db.updateTable('contacts').set({ created_at: new Date('2025-01-01T00:00:00.000Z') }).where('workspace_id', '=', w.workspace.id).where('id', 'in', all.slice(0, 8)).execute();
    for (const [i, id] of all.entries()) {
      if (i % 2) await db.updateTable('contacts').set({ last_active_at: new Date(Date.UTC(2025, 0, 1 + (i % 3))) }).where('workspace_id', '=', w.workspace.id).where('id', '=', id).execute();
    }
  });

  type Item = { id: string; name: string; createdAt: string; updatedAt: string; lastActiveAt: string | null; custom: Record<string, unknown> };
  const valueOf = (by: string, c: Item): unknown =>
    by.startsWith('custom.') ? c.custom[by.slice(7)] ?? null : by === 'name' ? c.name : (c[by as 'createdAt'] ?? null);

  const sorts = ['createdAt', 'updatedAt', 'lastActiveAt', 'name', 'custom.score', 'custom.since', 'custom.level', 'custom.vip'];
  it.each(sorts.flatMap((by) => [[by, 'asc'], [by, 'desc']]))('walks every contact once sorted by %s %s', async (by, dir) => {
    const seen: Item[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res = await w.client.post('/api/v1/contacts/search', { sort: { by, dir }, cursor, limit: 4 });
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().items);
      cursor = res.json().nextCursor;
      if (!cursor) break;
    }
    expect(seen.map((c) => c.id).sort()).toEqual([...all].sort());
    // Values never go backwards, and nulls come last.
    const values = seen.map((c) => valueOf(by, c));
    const firstNull = values.indexOf(null);
    if (firstNull >= 0) expect(values.slice(firstNull).every((v) => v === null)).toBe(true);
    const present = values.filter((v) => v !== null);
    if (by !== 'name' && by !== 'custom.level') {
      const key = (v: unknown) => (typeof v === 'string' && /T/.test(v) ? new Date(v).getTime() : typeof v === 'boolean' ? Number(v) : v) as number | string;
      for (let i = 1; i < present.length; i++) {
        const [a, b] = [key(present[i - 1]), key(present[i])];
        expect(dir === 'asc' ? a <= b : a >= b, `${by} ${dir}: ${String(a)} then ${String(b)}`).toBe(true);
      }
    }
  });

  it('refuses forged and foreign cursors with 400', async () => {
    const first = await w.client.post('/api/v1/contacts/search', { sort: { by: 'custom.score', dir: 'asc' }, limit: 2 });
    const cursor = first.json().nextCursor;
    const forged = [
      'garbage',
      encodeCursor(['custom.score:asc', 0, 'abc', all[0]!]),
      encodeCursor(['custom.score:asc', 0, '1', 'not-a-uuid']),
      encodeCursor(['custom.score:asc', 7, '1', all[0]!]),
      encodeCursor(['createdAt:desc', 0, 'not a date', all[0]!]),
      encodeCursor([1, 2]),
    ];
    for (const c of forged) {
      const res = await w.client.post('/api/v1/contacts/search', { sort: { by: 'custom.score', dir: 'asc' }, cursor: c });
      expect(res.statusCode, c).toBe(400);
      expect(res.json().errors).toEqual([{ path: 'cursor', message: 'Invalid cursor' }]);
    }
    // A cursor from another sort.
    expect((await w.client.post('/api/v1/contacts/search', { sort: { by: 'name', dir: 'asc' }, cursor })).statusCode).toBe(400);
    const bad = await w.client.post('/api/v1/contacts/search', { sort: { by: 'createdAt', dir: 'desc' }, cursor: encodeCursor(['createdAt:desc', 0, 'not a date', all[0]!]) });
    expect(bad.statusCode).toBe(400);
    expect((await w.client.post('/api/v1/contacts/search', { sort: { by: 'custom.nope' } })).json().errors[0].path).toBe('sort.by');
    expect((await w.client.get(`/api/v1/contacts?cursor=${cursor}`)).statusCode).toBe(400);
  });

  it('GET /contacts?q= pages through the quick search', async () => {
    const seen: string[] = [];
    let url = '/api/v1/contacts?q=n1&limit=1';
    for (;;) {
      const res = await w.client.get(url);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((c: { id: string }) => c.id));
      if (!res.json().nextCursor) break;
      url = `/api/v1/contacts?q=n1&limit=1&cursor=${res.json().nextCursor}`;
    }
    expect(seen.sort()).toEqual(all.filter((_, i) => i % 6 === 1).sort());
  });
});
