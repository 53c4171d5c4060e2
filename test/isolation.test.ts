// Workspace isolation across the whole API: every route that takes an id, called by a member and
// by an API key of workspace A with each id workspace B owns, answers 404 and changes nothing.
// The route list comes from the OpenAPI document, so a route added later is covered (or this
// test asks for a request body for it).
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPermissions } from '../src/platform/auth/permissions.js';
import { defineJob } from '../src/platform/queue/define.js';
import { enqueue } from '../src/platform/queue/enqueue.js';
import { addMember, apiClient, Client, createOwner, createTestApp, type TestApp } from './support/app.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

const probeJob = defineJob({ name: 'test.probe', queue: 'bulk', maxAttempts: 1, payload: z.object({ workspaceId: z.string() }), handler: async () => undefined });

/** A workspace with one of every kind of resource; returns the ids by kind. */
async function populate(name: string) {
  const o = await createOwner(t, name);
  const c = await Client.login(t, o.user.email, o.user.password);
  const agent = await addMember(t, o.workspace.id, 'agent');
  const role = (await c.post('/api/v1/roles', { name: `${name} role`, permissions: ['teams:read'], scope: 'own' })).json().role.id;
  const team = (await c.post('/api/v1/teams', { name: `${name} team` })).json().team.id;
  const agentRole = (await c.get('/api/v1/roles')).json().items.find((r: { key: string }) => r.key === 'agent').id;
  const invitation = (await c.post('/api/v1/invitations', { email: `${name}-x@example.com`, roleId: agentRole })).json().invitation.id;
  const apiKey = (await c.post('/api/v1/api-keys', { name: `${name} key`, scopes: ['audit:read'] })).json().apiKey.id;
  const tagGroup = (await c.post('/api/v1/tag-groups', { name: `${name} group` })).json().group.id;
  const tag = (await c.post('/api/v1/tags', { groupId: tagGroup, name: `${name} tag` })).json().tag.id;
  const contact = (
    await t.database.db.insertInto('contacts').values({ workspace_id: o.workspace.id, name: `${name} contact`, owner_member_id: o.memberId, custom: '{}' }).returning('id').executeTakeFirstOrThrow()
  ).id;
  const timelineEvent = (await c.post(`/api/v1/contacts/${contact}/notes`, { body: `${name} note` })).json().event.id;
  const task = (await c.post(`/api/v1/contacts/${contact}/tasks`, { title: `${name} task` })).json().task.id;
  const notification = (
    await t.database.db.insertInto('notifications').values({ workspace_id: o.workspace.id, member_id: o.memberId, kind: 'task_reminder', title: name }).returning('id').executeTakeFirstOrThrow()
  ).id;
  const imported = (
    await t.database.db
      .insertInto('imports')
      .values({ workspace_id: o.workspace.id, file_name: `${name}.csv`, file_path: `/nonexistent/${name}.csv`, file_size: 1, headers: ['phone'] })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const stage = (await c.post('/api/v1/stages', { name: `${name} stage` })).json().stage.id;
  const field = (await c.post('/api/v1/custom-fields', { key: 'level', label: `${name} field`, type: 'text' })).json().field.id;
  const view = (await c.post('/api/v1/contact-views', { name: `${name} view`, filter: {}, shared: true })).json().view.id;
  const segment = (await c.post('/api/v1/segments', { name: `${name} segment`, definition: { kind: 'group', op: 'and', conditions: [] } })).json().segment.id;
  const rfmRule = (await c.post('/api/v1/rfm/rules', { name: `${name} rule` })).json().rule.id;
  const tagRule = (await c.post('/api/v1/tag-rules', { name: `${name} tag rule`, trigger: { kind: 'event', type: 'note' }, actions: { addTagIds: [tag] } })).json().rule.id;
  const channel = (await c.post('/api/v1/channels', { type: 'api', name: `${name} channel`, settings: { url: 'https://example.com/hook' }, secrets: { secret: `${name} secret, long enough` } })).json().channel.id;
  const conversation = (
    await t.database.db.insertInto('conversations').values({ workspace_id: o.workspace.id, channel_id: channel, contact_id: contact, thread_key: name, recipient_id: name }).returning('id').executeTakeFirstOrThrow()
  ).id;
  const message = (
    await t.database.db
      .insertInto('messages')
      .values({ workspace_id: o.workspace.id, conversation_id: conversation, channel_id: channel, direction: 'out', kind: 'text', body: name, content: '{}', author_member_id: o.memberId, status: 'failed', failed_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const attachment = (
    await t.database.db
      .insertInto('attachments')
      .values({ workspace_id: o.workspace.id, message_id: message, file_name: `${name}.txt`, mime_type: 'text/plain', size_bytes: 1, sha256: '0'.repeat(64) })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const job = await enqueue(t.database.db, probeJob, { workspaceId: o.workspace.id });
  await t.database.db.updateTable('jobs').set({ status: 'dead' }).where('id', '=', job).execute();
  return { owner: o, client: c, ids: { member: agent.memberId, role, team, invitation, apiKey, job, tagGroup, tag, contact, timelineEvent, task, notification, import: imported, stage, field, view, rfmRule, segment, tagRule, channel, conversation, message, attachment }, agentRole };
}

type World = Awaited<ReturnType<typeof populate>>;

/** Automatic replies' resources (src/domains/autoreplies), added to the world's ids. */
async function populateAutoreplies(w: World) {
  const c = w.client;
  const keywordRule = (await c.post('/api/v1/inbox/keyword-rules', { channelId: w.ids.channel, matchKind: 'contains', pattern: 'hi', reply: 'hello' })).json().rule.id;
  const cannedResponse = (await c.post('/api/v1/inbox/canned-responses', { shortcut: 'hi', title: 'Hi', body: 'Hi {{contact.name}}', scope: 'workspace' })).json().cannedResponse.id;
  await c.put(`/api/v1/inbox/business-hours/${w.ids.team}`, { timezone: 'UTC', weekly: [], awayMessage: 'closed' });
  await c.put(`/api/v1/inbox/channel-settings/${w.ids.channel}`, { welcomeMessage: 'welcome', csatEnabled: true });
  Object.assign(w.ids, { keywordRule, cannedResponse });
}
/** Live codes (src/domains/livecodes), added to the world's ids. */
async function populateLiveCodes(w: World) {
  const liveCode = (await w.client.post('/api/v1/live-codes', { name: 'Isolation', channelId: w.ids.channel, staff: [{ memberId: w.ids.member }], tagIds: [w.ids.tag] })).json().liveCode.id;
  Object.assign(w.ids, { liveCode });
}
/** A fission campaign with a participant (src/domains/fission), added to the world's ids. */
async function populateFission(w: World) {
  const fissionCampaign = (
    await w.client.post('/api/v1/fission/campaigns', {
      name: 'Isolation',
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      channelId: w.ids.channel,
      tiers: [{ goal: 1, rewardKind: 'coupon', rewardName: 'Coupon' }],
    })
  ).json().campaign.id;
  const fissionParticipant = (await w.client.post(`/api/v1/fission/campaigns/${fissionCampaign}/participants`, { contactId: w.ids.contact })).json().participant.id;
  Object.assign(w.ids, { fissionCampaign, fissionParticipant });
}
/** A group code with a group (src/domains/groupcodes) and a referral programme with a code (src/domains/referrals), added to the world's ids. */
async function populateGrowth(w: World) {
  const groupCode = (await w.client.post('/api/v1/group-codes', { name: 'Isolation', tagIds: [w.ids.tag] })).json().groupCode.id;
  const codeGroup = (await w.client.post(`/api/v1/group-codes/${groupCode}/groups`, { name: 'G', capacity: 10, joinUrl: 'https://t.me/+isolation' })).json().groupCode.groups[0].id;
  const referralProgram = (await w.client.post('/api/v1/referrals/programs', { name: 'Isolation', channelId: w.ids.channel })).json().program.id;
  const referralCode = (await w.client.post(`/api/v1/referrals/programs/${referralProgram}/codes`, { contactId: w.ids.contact })).json().code.id;
  Object.assign(w.ids, { groupCode, codeGroup, referralProgram, referralCode });
}
let a: World;
let b: World;

// What B looks like through every list; compared before and after the attack.
const listPaths = ['/members', '/invitations', '/teams', '/roles', '/api-keys', '/jobs', '/audit-log', '/tag-groups', '/imports', '/contacts', '/stages', '/custom-fields', '/contact-views', '/tasks', '/notifications', '/rfm/rules', '/segments', '/tag-rules', '/channels', '/conversations', '/dead-letters'];
listPaths.push('/inbox/keyword-rules', '/inbox/business-hours', '/inbox/channel-settings', '/inbox/canned-responses');
listPaths.push('/live-codes');
listPaths.push('/fission/campaigns');
listPaths.push('/group-codes', '/referrals/programs');
const snapshot = async (w: World) => Promise.all(listPaths.map(async (p) => (await w.client.get(`/api/v1${p}?limit=200`)).body));

// A valid body for each route that needs one, so that the only reason left to refuse is the id.
const bodies: Record<string, () => unknown> = {
  'PATCH /api/v1/members/{id}': () => ({ roleId: a.agentRole }),
  'PATCH /api/v1/teams/{id}': () => ({ name: 'renamed' }),
  'PUT /api/v1/teams/{id}/members': () => ({ memberIds: [] }),
  'PATCH /api/v1/roles/{id}': () => ({ name: 'renamed' }),
  'PATCH /api/v1/tag-groups/{id}': () => ({ name: 'renamed' }),
  'PATCH /api/v1/tags/{id}': () => ({ name: 'renamed' }),
  'POST /api/v1/contacts/{id}/tags': () => ({ tagIds: [b.ids.tag] }),
  'POST /api/v1/contacts/{id}/notes': () => ({ body: 'x' }),
  'POST /api/v1/contacts/{id}/calls': () => ({ direction: 'in' }),
  'POST /api/v1/contacts/{id}/timeline': () => ({ type: 'meeting', props: {} }),
  'POST /api/v1/contacts/{id}/tasks': () => ({ title: 'x' }),
  'PATCH /api/v1/tasks/{id}': () => ({ title: 'renamed' }),
  'POST /api/v1/imports/{id}/preview': () => ({ mapping: { phone: 'phone' } }),
  'POST /api/v1/imports/{id}/start': () => ({ mapping: { phone: 'phone' }, policy: 'skip' }),
  'PATCH /api/v1/contacts/{id}': () => ({ name: 'renamed', stageId: b.ids.stage }),
  'POST /api/v1/contacts/{id}/identities': () => ({ channelType: 'sms', externalId: 'isolation' }),
  'PUT /api/v1/contacts/{id}/consents/{channelType}': () => ({ status: 'opt_in', how: 'isolation test' }),
  'PATCH /api/v1/stages/{id}': () => ({ name: 'renamed' }),
  'PATCH /api/v1/custom-fields/{id}': () => ({ label: 'renamed' }),
  'PATCH /api/v1/contact-views/{id}': () => ({ name: 'renamed' }),
  'PATCH /api/v1/segments/{id}': () => ({ name: 'renamed' }),
  'PATCH /api/v1/rfm/rules/{id}': () => ({ name: 'renamed' }),
  'PATCH /api/v1/tag-rules/{id}': () => ({ name: 'renamed' }),
  'PATCH /api/v1/channels/{id}': () => ({ name: 'renamed' }),
  'POST /api/v1/conversations/{id}/status': () => ({ status: 'resolved' }),
  'PUT /api/v1/conversations/{id}/assignee': () => ({ memberId: null }),
  'PUT /api/v1/conversations/{id}/labels': () => ({ labels: ['x'] }),
  'POST /api/v1/conversations/{id}/messages': () => ({ text: 'x' }),
  'POST /api/v1/conversations/{id}/notes': () => ({ text: 'x' }),
  'PATCH /api/v1/inbox/keyword-rules/{id}': () => ({ reply: 'changed' }),
  'PUT /api/v1/inbox/business-hours/{id}': () => ({ timezone: 'UTC', weekly: [], awayMessage: 'changed' }),
  'PUT /api/v1/inbox/channel-settings/{id}': () => ({ welcomeMessage: 'changed' }),
  'PATCH /api/v1/inbox/canned-responses/{id}': () => ({ title: 'changed' }),
  'POST /api/v1/inbox/canned-responses/{id}/render': () => ({ conversationId: a.ids.conversation }),
  'PATCH /api/v1/live-codes/{id}': () => ({ name: 'renamed' }),
  'PATCH /api/v1/fission/campaigns/{id}': () => ({ name: 'renamed' }),
  'POST /api/v1/fission/campaigns/{id}/coupons': () => ({ tier: 1, codes: ['X'] }),
  'POST /api/v1/fission/campaigns/{id}/participants': () => ({ contactId: a.ids.contact }),
  'POST /api/v1/fission/campaigns/{id}/review/{inviteId}': () => ({ decision: 'approve' }),
  'PATCH /api/v1/group-codes/{id}': () => ({ name: 'renamed' }),
  'POST /api/v1/group-codes/{id}/groups': () => ({ name: 'G', capacity: 10, joinUrl: 'https://t.me/+x' }),
  'PATCH /api/v1/group-codes/{id}/groups/{groupId}': () => ({ name: 'renamed' }),
  'PATCH /api/v1/referrals/programs/{id}': () => ({ name: 'renamed' }),
  'POST /api/v1/referrals/programs/{id}/codes': () => ({ contactId: a.ids.contact }),
};

// Path parameters that are not ids.
const pathValues: Record<string, string> = { channelType: 'email' };

beforeAll(async () => {
  a = await populate('alpha');
  b = await populate('beta');
  await populateAutoreplies(a);
  await populateAutoreplies(b);
  await populateLiveCodes(a);
  await populateLiveCodes(b);
  await populateFission(a);
  await populateFission(b);
  await populateGrowth(a);
  await populateGrowth(b);
});

describe.each([
  ['a member of A', () => Promise.resolve(a.client)],
  ['an API key of A', async () => apiClient(t, (await a.client.post('/api/v1/api-keys', { name: 'all', scopes: allPermissions })).json().secret)],
])('%s', (_who, make) => {
  it('gets 404 from every id route for every id of B, and B is unchanged', async () => {
    const caller = await make();
    const before = await snapshot(b);
    const doc = (await t.app.inject('/api/openapi.json')).json();
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.includes('{id}'))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
    expect(routes.length).toBeGreaterThanOrEqual(12);

    for (const { method, path } of routes) {
      for (const [kind, id] of Object.entries(b.ids)) {
        const body = bodies[`${method} ${path}`]?.() ?? (method === 'POST' ? {} : undefined);
        // A second id in the path (`{tagId}`) gets the same foreign id; other parameters a valid value.
        const res = await caller.request(method, path.replace(/\{(\w+)\}/g, (_, param: string) => pathValues[param] ?? id), body);
        expect(res.statusCode, `${method} ${path} with B's ${kind}: ${res.body}`).toBe(404);
      }
    }
    expect(await snapshot(b)).toEqual(before);
    // Every id route times every kind of id: a few thousand requests, which a loaded machine takes a while over.
  }, 120_000);

  it('never sees B’s ids in any list', async () => {
    const caller = await make();
    for (const path of listPaths) {
      const res = await caller.get(`/api/v1${path}?limit=200`);
      expect(res.statusCode, path).toBe(200);
      for (const id of [...Object.values(b.ids), b.owner.memberId, b.owner.workspace.id]) expect(res.body, `${path} shows ${id}`).not.toContain(id);
    }
  });

  it('cannot switch into B', async () => {
    const res = await a.client.post('/api/v1/auth/switch-workspace', { workspaceId: b.owner.workspace.id });
    expect(res.statusCode).toBe(404);
  });
});
