// Referral codes and the invite tree on a real database: codes through the API (short link, QR,
// statistics), arrivals through the Telegram webhook and the worker, a tree over both fission
// invites and referral edges (upline, downline, generations), one referrer per invitee under
// concurrent arrivals, the report checked against figures computed here from the forest's edge
// list, and workspace isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type TestApp } from '../../../test/support/app.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { arrive } from './arrivals.js';
import { withOurs } from './db.js';
import { referralTestApp, referralWorkspace, type ReferralWorld } from './test-world.js';
import { recordEdge } from './tree.js';

let t: TestApp;
beforeAll(async () => (t = await referralTestApp()));
afterAll(() => t.close());

type Node = { kind: string; id: string; name: string | null; influence: number | null };
type TreeNode = { contactId: string; parent: Node; level: number; depth: number; source: string; scopeId: string; status: string; children?: number };

const fissionParticipant = async (ws: ReferralWorld, campaignId: string, contactId: string) => {
  const res = await ws.client.post(`/api/v1/fission/campaigns/${campaignId}/participants`, { contactId });
  return res.json().participant as { id: string; token: string };
};

describe('referral codes', () => {
  it('gives a contact or member one code per programme, with a QR PNG, and refuses bad input as problem+json', async () => {
    const ws = await referralWorkspace(t, 'RC api');
    const program = await ws.program();
    const contactId = await ws.contact('王芳');
    const first = await ws.client.post(`/api/v1/referrals/programs/${program.id}/codes`, { contactId });
    expect(first.statusCode).toBe(201);
    const code = first.json().code;
    expect(code).toMatchObject({ programId: program.id, ownerContactId: contactId, ownerMemberId: null, url: `https://crm.example.com/r/${code.slug}`, source: `r_${code.slug}`, stats: { visits: 0, arrivals: 0, newContacts: 0 } });
    expect(code.slug).toMatch(/^[a-z0-9]{12}$/);
    expect(code.source.length).toBeLessThanOrEqual(30);
    const again = await ws.client.post(`/api/v1/referrals/programs/${program.id}/codes`, { contactId });
    expect([again.statusCode, again.json().code.id]).toEqual([200, code.id]);
    const member = await ws.client.post(`/api/v1/referrals/programs/${program.id}/codes`, { memberId: ws.memberId });
    expect(member.json().code).toMatchObject({ ownerMemberId: ws.memberId, ownerContactId: null });
    // 全员营销: the owner has one already; a new agent gets theirs.
    await addMember(t, ws.workspace.id, 'agent');
    expect((await ws.client.post(`/api/v1/referrals/programs/${program.id}/member-codes`)).json()).toEqual({ created: 1 });
    expect((await ws.client.get(`/api/v1/referrals/programs/${program.id}/codes`)).json().items).toHaveLength(3);

    const qr = await ws.client.get(`/api/v1/referrals/codes/${code.id}/qr.png?size=256`);
    expect(qr.headers['content-type']).toBe('image/png');
    expect(qr.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect(qr.rawPayload.readUInt32BE(16)).toBe(256);

    const cases: Array<[string, unknown, string]> = [
      ['/api/v1/referrals/programs', { name: 'x', channelId: '00000000-0000-4000-8000-000000000000' }, 'channelId'],
      ['/api/v1/referrals/programs', { name: '', channelId: ws.channelId }, 'name'],
      [`/api/v1/referrals/programs/${program.id}/codes`, { contactId: '00000000-0000-4000-8000-000000000000' }, 'contactId'],
      [`/api/v1/referrals/programs/${program.id}/codes`, { memberId: '00000000-0000-4000-8000-000000000000' }, 'memberId'],
    ];
    for (const [url, body, path] of cases) {
      const res = await ws.client.post(url, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('validation_failed');
      expect(res.json().errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(path);
    }
    const both = await ws.client.post(`/api/v1/referrals/programs/${program.id}/codes`, { contactId, memberId: ws.memberId });
    expect([both.statusCode, both.json().code]).toEqual([400, 'validation_failed']);
    const report = await ws.client.get(`/api/v1/invite-tree/report?campaignId=${program.id}&programId=${program.id}`);
    expect([report.statusCode, report.json().code]).toEqual([400, 'validation_failed']);
  });

  it('the short link records the visit and sends the visitor to the channel with the referrer’s source; a newcomer becomes the referrer’s invitee, a known contact or the owner does not', async () => {
    const ws = await referralWorkspace(t, 'RC link');
    const program = await ws.program();
    const code = await ws.code(program.id, { memberId: ws.memberId });
    const visit = await t.app.inject({ method: 'GET', url: `/r/${code.slug}`, headers: { 'user-agent': 'Phone/1.0' }, remoteAddress: '198.51.100.9' });
    expect(visit.statusCode).toBe(302);
    expect(visit.headers.location).toBe(`https://t.me/acme_test_bot?start=r_${code.slug}`);
    expect(visit.headers['cache-control']).toBe('no-store');
    expect((await t.app.inject({ method: 'GET', url: '/r/zzzzzzzzzzzz' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/r/NOT-A-SLUG' })).statusCode).toBe(404);

    const friend = await ws.telegram(8101, 'Chen', `/start r_${code.slug}`);
    const known = await ws.telegram(8102, 'Zhou', 'hello');
    await ws.telegram(8102, 'Zhou', `/start r_${code.slug}`);
    // The same arrival again (a second /start) counts once.
    await ws.telegram(8101, 'Chen', `/start r_${code.slug}`);
    const edges = await withOurs(t.database.db).selectFrom('invite_edges').selectAll().where('workspace_id', '=', ws.workspace.id).execute();
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ invitee_contact_id: friend, inviter_member_id: ws.memberId, root_member_id: ws.memberId, depth: 1, scope_depth: 1, source: 'referral', scope_id: program.id, status: 'counted' });
    expect(edges.some((e) => e.invitee_contact_id === known)).toBe(false);
    const stats = (await ws.client.get(`/api/v1/referrals/codes/${code.id}`)).json().code.stats;
    expect(stats).toEqual({ visits: 1, arrivals: 2, newContacts: 1, validNewContacts: 1 });

    // The friend's own code: using it themselves is no invite.
    const own = await ws.code(program.id, { contactId: friend });
    await ws.telegram(8101, 'Chen', `/start r_${own.slug}`);
    expect((await ws.client.get(`/api/v1/referrals/codes/${own.id}`)).json().code.stats).toMatchObject({ arrivals: 1, newContacts: 0 });

    // A disabled programme's link is a 404 page and its arrivals add nothing.
    expect((await ws.client.patch(`/api/v1/referrals/programs/${program.id}`, { enabled: false })).json().program.enabled).toBe(false);
    expect((await t.app.inject({ method: 'GET', url: `/r/${code.slug}` })).statusCode).toBe(404);
    await ws.telegram(8103, 'Liu', `/start r_${code.slug}`);
    expect(await withOurs(t.database.db).selectFrom('invite_edges').select('invitee_contact_id').where('workspace_id', '=', ws.workspace.id).execute()).toHaveLength(1);
  });

  it('an invitee counts for one referrer only, also when two referrers race for the same newcomers', async () => {
    const ws = await referralWorkspace(t, 'RC race');
    const program = await ws.program();
    const x = await ws.code(program.id, { contactId: await ws.contact('X') });
    const y = await ws.code(program.id, { memberId: ws.memberId });
    const newcomers = await Promise.all(Array.from({ length: 10 }, (_, i) => ws.contact(`N${i}`)));
    const created = await t.database.db.selectFrom('contacts').select(['id', 'created_at']).where('workspace_id', '=', ws.workspace.id).where('id', 'in', newcomers).execute();
    const outcomes = await Promise.all(
      created.flatMap((c) => [x, y].map((code) => inTransaction(t.database.db, (tx) => arrive(tx, ws.workspace.id, { contactId: c.id, source: code.source, at: c.created_at })))),
    );
    expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'already_invited')).toHaveLength(10);
    const edges = await withOurs(t.database.db).selectFrom('invite_edges').select(['invitee_contact_id']).where('workspace_id', '=', ws.workspace.id).execute();
    expect(edges.map((e) => e.invitee_contact_id).sort()).toEqual([...newcomers].sort());
    const stats = await Promise.all([x, y].map(async (c) => (await ws.client.get(`/api/v1/referrals/codes/${c.id}`)).json().code.stats.newContacts as number));
    expect(stats[0]! + stats[1]!).toBe(10);
  });
});

describe('the invite tree', () => {
  it('spans fission invites and referral edges: upline to the root, downline level by level and page by page, generations across both', async () => {
    const ws = await referralWorkspace(t, 'RC tree');
    const program = await ws.program();
    const campaign = await ws.campaign();
    const byMember = await ws.code(program.id, { memberId: ws.memberId });
    // member → A (referral) → B (fission) → C (fission); A → D (referral).
    const a = await ws.telegram(8201, 'A', `/start r_${byMember.slug}`);
    const pa = await fissionParticipant(ws, campaign.id, a);
    const b = await ws.telegram(8202, 'B', `/start f_${pa.token}`);
    const pb = await fissionParticipant(ws, campaign.id, b);
    const c = await ws.telegram(8203, 'C', `/start f_${pb.token}`);
    const byA = await ws.code(program.id, { contactId: a });
    const d = await ws.telegram(8204, 'D', `/start r_${byA.slug}`);

    const up = (await ws.client.get(`/api/v1/invite-tree/contacts/${c}/upline`)).json();
    expect(up.contact).toMatchObject({ kind: 'contact', id: c, name: 'C', depth: 3, reach: 0 });
    expect(up.items.map((n: TreeNode) => [n.contactId, n.parent.id, n.level, n.depth, n.source])).toEqual([
      [c, b, 1, 3, 'fission'],
      [b, a, 2, 2, 'fission'],
      [a, ws.memberId, 3, 1, 'referral'],
    ]);
    expect(up.root).toMatchObject({ kind: 'member', id: ws.memberId });
    const edges = await withOurs(t.database.db).selectFrom('invite_edges').select(['invitee_contact_id', 'scope_depth', 'scope_id']).where('workspace_id', '=', ws.workspace.id).execute();
    const scopeDepth = Object.fromEntries(edges.map((e) => [e.invitee_contact_id, [e.scope_id, e.scope_depth]]));
    expect(scopeDepth).toEqual({ [a]: [program.id, 1], [b]: [campaign.id, 1], [c]: [campaign.id, 2], [d]: [program.id, 2] });

    const all = (await ws.client.get(`/api/v1/invite-tree/members/${ws.memberId}/downline`)).json();
    expect(all.items.map((n: TreeNode) => [n.contactId, n.parent.id, n.level, n.children])).toEqual([
      [a, ws.memberId, 1, 2],
      [b, a, 2, 1],
      [d, a, 2, 0],
      [c, b, 3, 0],
    ]);
    expect(all.nextCursor).toBeNull();
    const two = (await ws.client.get(`/api/v1/invite-tree/members/${ws.memberId}/downline?maxDepth=2`)).json();
    expect(two.items.map((n: TreeNode) => n.contactId)).toEqual([a, b, d]);
    const page1 = (await ws.client.get(`/api/v1/invite-tree/contacts/${a}/downline?limit=2`)).json();
    const page2 = (await ws.client.get(`/api/v1/invite-tree/contacts/${a}/downline?limit=2&cursor=${page1.nextCursor}`)).json();
    expect([...page1.items, ...page2.items].map((n: TreeNode) => [n.contactId, n.level])).toEqual([[b, 1], [d, 1], [c, 2]]);
    expect(page2.nextCursor).toBeNull();
    expect((await ws.client.get(`/api/v1/invite-tree/contacts/${a}/downline?cursor=bogus`)).json().code).toBe('validation_failed');

    // The campaign's report: two fission invites, the second of the campaign's second generation.
    const report = (await ws.client.get(`/api/v1/invite-tree/report?campaignId=${campaign.id}`)).json();
    expect(report).toMatchObject({ scope: { kind: 'campaign', id: campaign.id }, invites: 2, validInvites: 2, inviters: 2, kFactor: 0.5, maxDepth: 2, generations: [{ depth: 1, invites: 1 }, { depth: 2, invites: 1 }] });
    // A voided fission invite stays in the tree but is no longer valid.
    await ws.leave(c);
    await ws.settle();
    const after = (await ws.client.get(`/api/v1/invite-tree/report?campaignId=${campaign.id}`)).json();
    expect(after).toMatchObject({ invites: 2, validInvites: 1, kFactor: 0 });
    expect((await ws.client.get(`/api/v1/invite-tree/contacts/${c}/upline`)).json().items[0].status).toBe('voided');
  });
});

describe('the report', () => {
  it('K-factor, generations, top spreaders and reach of a hand-built forest match figures computed from its edge list', async () => {
    const ws = await referralWorkspace(t, 'RC report');
    const p1 = await ws.program('老带新');
    const p2 = await ws.program('全员营销');
    const names = ['R1', 'R2', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'] as const;
    const id: Record<string, string> = { M: ws.memberId };
    for (const n of names) id[n] = await ws.contact(n, n === 'R1' ? 80 : n === 'A' ? 12 : undefined);
    // parent, child, programme, valid — in insertion order; C → E comes before A → C (a late parent re-roots).
    const forest: Array<[string, string, 'p1' | 'p2', boolean]> = [
      ['R1', 'A', 'p1', true],
      ['R1', 'B', 'p1', true],
      ['C', 'E', 'p1', true],
      ['A', 'C', 'p1', true],
      ['A', 'D', 'p1', true],
      ['B', 'F', 'p1', false],
      ['R2', 'G', 'p1', true],
      ['M', 'H', 'p2', true],
      ['H', 'I', 'p2', true],
      ['D', 'J', 'p2', true],
    ];
    const programs = { p1: p1.id, p2: p2.id };
    for (const [parent, child, p, valid] of forest) {
      const owner = parent === 'M' ? { memberId: id.M! } : { contactId: id[parent]! };
      const existing = await ws.client.post(`/api/v1/referrals/programs/${programs[p]}/codes`, owner);
      const outcome = await inTransaction(t.database.db, (tx) =>
        recordEdge(tx, ws.workspace.id, { inviteeContactId: id[child]!, inviter: owner, source: 'referral', scopeId: programs[p], referralCodeId: existing.json().code.id, status: valid ? 'counted' : 'voided' }),
      );
      expect(outcome).toBe('recorded');
    }
    // A second parent and a cycle are refused.
    const cCode = (await ws.client.post(`/api/v1/referrals/programs/${p1.id}/codes`, { contactId: id.C })).json().code.id;
    expect(await inTransaction(t.database.db, (tx) => recordEdge(tx, ws.workspace.id, { inviteeContactId: id.J!, inviter: { contactId: id.C! }, source: 'referral', scopeId: p1.id, referralCodeId: cCode }))).toBe('already_invited');
    const eCode = (await ws.client.post(`/api/v1/referrals/programs/${p1.id}/codes`, { contactId: id.E })).json().code.id;
    expect(await inTransaction(t.database.db, (tx) => recordEdge(tx, ws.workspace.id, { inviteeContactId: id.R1!, inviter: { contactId: id.E! }, source: 'referral', scopeId: p1.id, referralCodeId: eCode }))).toBe('cycle');

    // The expected figures, from the edge list alone.
    const parentOf = new Map(forest.map(([parent, child, p]) => [child, { parent, p }]));
    const depthOf = (n: string): number => (parentOf.has(n) ? depthOf(parentOf.get(n)!.parent) + 1 : 0);
    const scopeDepthOf = (n: string): number => {
      const up = parentOf.get(n)!;
      const grand = parentOf.get(up.parent);
      return grand && grand.p === up.p ? scopeDepthOf(up.parent) + 1 : 1;
    };
    const reachOf = (n: string): number => forest.filter(([parent]) => parent === n).reduce((sum, [, child]) => sum + 1 + reachOf(child), 0);
    const expected = (scope: 'p1' | 'p2' | 'all') => {
      const edges = forest.filter(([, , p]) => scope === 'all' || p === scope).map(([parent, child, , valid]) => ({ parent, child, valid, g: scope === 'all' ? depthOf(child) : scopeDepthOf(child) }));
      const valid = edges.filter((e) => e.valid);
      const later = valid.filter((e) => e.g >= 2);
      const byGeneration = new Map<number, { invites: number; validInvites: number }>();
      for (const e of edges) {
        const g = byGeneration.get(e.g) ?? { invites: 0, validInvites: 0 };
        byGeneration.set(e.g, { invites: g.invites + 1, validInvites: g.validInvites + (e.valid ? 1 : 0) });
      }
      const spreaders = new Map<string, number>();
      for (const e of valid) spreaders.set(e.parent, (spreaders.get(e.parent) ?? 0) + 1);
      return {
        invites: edges.length,
        validInvites: valid.length,
        inviters: spreaders.size,
        invitesPerInviter: valid.length / spreaders.size,
        reinviterShare: new Set(later.map((e) => e.parent)).size / valid.length,
        kFactor: later.length / valid.length,
        generations: [...byGeneration].sort(([x], [y]) => x - y).map(([depth, g]) => ({ depth, ...g })),
        spreaders: Object.fromEntries([...spreaders].map(([n, v]) => [id[n], { validInvites: v, reach: reachOf(n) }])),
      };
    };

    for (const [scope, query] of [['all', ''], ['p1', `?programId=${p1.id}`], ['p2', `?programId=${p2.id}`]] as const) {
      const want = expected(scope);
      const got = (await ws.client.get(`/api/v1/invite-tree/report${query}${query ? '&' : '?'}top=100`)).json();
      expect({ invites: got.invites, validInvites: got.validInvites, inviters: got.inviters, generations: got.generations }, scope).toEqual({ invites: want.invites, validInvites: want.validInvites, inviters: want.inviters, generations: want.generations });
      expect(got.kFactor, scope).toBeCloseTo(want.kFactor, 4);
      expect(got.invitesPerInviter, scope).toBeCloseTo(want.invitesPerInviter, 4);
      expect(got.reinviterShare, scope).toBeCloseTo(want.reinviterShare, 4);
      expect(got.maxDepth).toBe(want.generations.at(-1)!.depth);
      const spreaders = Object.fromEntries(got.topSpreaders.map((s: { id: string; validInvites: number; reach: number }) => [s.id, { validInvites: s.validInvites, reach: s.reach }]));
      expect(spreaders, scope).toEqual(want.spreaders);
      const counts = got.topSpreaders.map((s: { validInvites: number }) => s.validInvites);
      expect(counts, scope).toEqual([...counts].sort((x: number, y: number) => y - x));
    }
    const whole = (await ws.client.get('/api/v1/invite-tree/report?top=2')).json();
    expect(whole.topSpreaders.map((s: Node) => [s.id, s.influence])).toEqual(expect.arrayContaining([[id.R1, 80], [id.A, 12]]));
    expect(whole.topSpreaders).toHaveLength(2);
    // The late parent re-rooted E: generation 3 under R1.
    const e = (await ws.client.get(`/api/v1/invite-tree/contacts/${id.E}/upline`)).json();
    expect([e.contact.depth, e.root.id, e.items.length]).toEqual([3, id.R1, 3]);
    expect((await ws.client.get(`/api/v1/invite-tree/contacts/${id.R1}/upline`)).json()).toMatchObject({ contact: { depth: 0, reach: reachOf('R1'), influence: 80 }, items: [], root: { id: id.R1 } });
  });
});

describe('isolation and permissions', () => {
  it('another workspace’s programmes, codes, contacts and members are 404; an agent reads but does not write', async () => {
    const a = await referralWorkspace(t, 'RC iso A');
    const b = await referralWorkspace(t, 'RC iso B');
    const program = await b.program();
    const contactId = await b.contact('B person');
    const code = await b.code(program.id, { contactId });
    const campaign = await b.campaign();
    for (const [method, url, body] of [
      ['GET', `/api/v1/referrals/programs/${program.id}`, undefined],
      ['PATCH', `/api/v1/referrals/programs/${program.id}`, { name: 'mine' }],
      ['GET', `/api/v1/referrals/programs/${program.id}/codes`, undefined],
      ['POST', `/api/v1/referrals/programs/${program.id}/codes`, { memberId: a.memberId }],
      ['POST', `/api/v1/referrals/programs/${program.id}/member-codes`, undefined],
      ['GET', `/api/v1/referrals/codes/${code.id}`, undefined],
      ['GET', `/api/v1/referrals/codes/${code.id}/qr.png`, undefined],
      ['GET', `/api/v1/invite-tree/contacts/${contactId}/upline`, undefined],
      ['GET', `/api/v1/invite-tree/contacts/${contactId}/downline`, undefined],
      ['GET', `/api/v1/invite-tree/members/${b.memberId}/downline`, undefined],
      ['GET', `/api/v1/invite-tree/report?programId=${program.id}`, undefined],
      ['GET', `/api/v1/invite-tree/report?campaignId=${campaign.id}`, undefined],
    ] as const) {
      const res = await a.client.request(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    // A's own programme with B's contact.
    const mine = await a.program();
    expect((await a.client.post(`/api/v1/referrals/programs/${mine.id}/codes`, { contactId })).json().errors[0].path).toBe('contactId');
    expect((await a.client.get('/api/v1/referrals/programs')).json().items.map((p: { id: string }) => p.id)).toEqual([mine.id]);
    // The routes and their schemas are in the OpenAPI document.
    const doc = (await t.app.inject('/api/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/referrals/programs/{id}/codes', '/api/v1/invite-tree/contacts/{id}/upline', '/api/v1/invite-tree/report']));
    expect(doc.paths['/api/v1/invite-tree/report'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['campaignId', 'programId', 'top']));
    const agent = await addMember(t, b.workspace.id, 'agent');
    const client = await agent.login();
    expect((await client.get(`/api/v1/invite-tree/report?programId=${program.id}`)).statusCode).toBe(200);
    expect((await client.post('/api/v1/referrals/programs', { name: 'x', channelId: b.channelId })).json().code).toBe('forbidden');
  });
});
