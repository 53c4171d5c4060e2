// Canned responses over HTTP: workspace-wide and personal, the permissions of each, search and
// pagination, and rendering for a conversation: variables filled once, as plain text, so markup or
// braces in a contact's name come out exactly as written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, Client } from '../../../test/support/app.js';
import { deliver, textEvent } from '../../../test/support/channel-world.js';
import { autoreplyWorld, workspace, type AutoreplyWorld } from './test-world.js';

let w: AutoreplyWorld;
beforeAll(async () => (w = await autoreplyWorld()));
afterAll(() => w.close());

describe('canned responses', () => {
  it('renders variables as plain text, once: markup and braces in values stay as written', async () => {
    const ws = await workspace(w, 'Canned');
    const name = '<img src=x onerror=alert(1)> {{agent.name}}';
    await deliver(w.t, ws.channelId, [textEvent({ id: 'canned-1', name }, 'hi')]);
    await w.settle();
    const conversation = (await ws.client.get('/api/v1/conversations')).json().items[0];
    expect((await ws.client.patch(`/api/v1/contacts/${conversation.contact.id}`, { company: '{{workspace.name}} & Co' })).statusCode).toBe(200);
    const created = await ws.client.post('/api/v1/inbox/canned-responses', {
      shortcut: 'Hello',
      title: 'Greeting',
      body: 'Hi {{contact.name}} of {{ contact.company }}, {{agent.name}} here.{{contact.title}} ({{workspace.name}})',
      scope: 'workspace',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().cannedResponse).toMatchObject({ shortcut: 'hello', scope: 'workspace' });
    const rendered = await ws.client.post(`/api/v1/inbox/canned-responses/${created.json().cannedResponse.id}/render`, { conversationId: conversation.id });
    expect(rendered.statusCode).toBe(200);
    expect(rendered.json().text).toBe(`Hi ${name} of {{workspace.name}} & Co, ${ws.user.name} here. (Canned)`);
  });

  it('refuses unknown variables and a taken shortcut', async () => {
    const ws = await workspace(w, 'Canned checks');
    const bad = await ws.client.post('/api/v1/inbox/canned-responses', { shortcut: 'x', title: 'x', body: 'Hi {{contact.nmae}}', scope: 'workspace' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].message).toContain('contact.nmae');
    expect((await ws.client.post('/api/v1/inbox/canned-responses', { shortcut: 'dup', title: 'a', body: 'a', scope: 'workspace' })).statusCode).toBe(201);
    const dup = await ws.client.post('/api/v1/inbox/canned-responses', { shortcut: 'dup', title: 'b', body: 'b', scope: 'workspace' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().reason).toBe('shortcut_taken');
    // The same shortcut is free in a member's own responses.
    expect((await ws.client.post('/api/v1/inbox/canned-responses', { shortcut: 'dup', title: 'c', body: 'c', scope: 'personal' })).statusCode).toBe(201);
  });

  it('agents keep their own; only managers write the workspace’s; lists search and page', async () => {
    const ws = await workspace(w, 'Canned scopes');
    const agent = await addMember(w.t, ws.workspace.id, 'agent');
    const agentClient = await Client.login(w.t, agent.user.email, agent.user.password);
    const shared = (await ws.client.post('/api/v1/inbox/canned-responses', { shortcut: 'refund', title: 'Refunds', body: 'Refunds take 3 days.', scope: 'workspace' })).json().cannedResponse;
    const ownersOwn = (await ws.client.post('/api/v1/inbox/canned-responses', { shortcut: 'mine', title: 'Owner only', body: 'x' })).json().cannedResponse;
    expect((await agentClient.post('/api/v1/inbox/canned-responses', { shortcut: 'ws', title: 'x', body: 'x', scope: 'workspace' })).statusCode).toBe(403);
    const personal = await agentClient.post('/api/v1/inbox/canned-responses', { shortcut: 'bye', title: 'Goodbye', body: 'Bye, {{contact.first_name}}!', scope: 'personal' });
    expect(personal.statusCode).toBe(201);
    expect((await agentClient.patch(`/api/v1/inbox/canned-responses/${shared.id}`, { title: 'x' })).statusCode).toBe(403);
    expect((await agentClient.patch(`/api/v1/inbox/canned-responses/${ownersOwn.id}`, { title: 'x' })).statusCode).toBe(404);
    const list = (await agentClient.get('/api/v1/inbox/canned-responses')).json();
    expect(list.items.map((i: { shortcut: string }) => i.shortcut)).toEqual(['bye', 'refund']);
    expect(Object.keys(list.items[0]).sort()).toEqual(['body', 'id', 'scope', 'shortcut', 'title']);
    expect((await agentClient.get('/api/v1/inbox/canned-responses?q=3%20days')).json().items.map((i: { id: string }) => i.id)).toEqual([shared.id]);
    expect((await agentClient.get('/api/v1/inbox/canned-responses?q=%25')).json().items).toEqual([]);
    const first = (await agentClient.get('/api/v1/inbox/canned-responses?limit=1')).json();
    expect(first.items).toHaveLength(1);
    const second = (await agentClient.get(`/api/v1/inbox/canned-responses?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ items: [{ shortcut: 'refund' }], nextCursor: null });
    expect((await agentClient.delete(`/api/v1/inbox/canned-responses/${personal.json().cannedResponse.id}`)).statusCode).toBe(204);
  });
});
