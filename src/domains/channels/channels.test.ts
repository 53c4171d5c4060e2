// Channels over the API: settings checked by the adapter, credentials write-only and encrypted at
// rest (bound to their channel), health, and delete vs disable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInOwner } from '../../../test/support/app.js';
import { sign } from '../../channels/api/adapter.js';
import { deliver, inboxWorld, runJobs, SECRET, textEvent, workspaceWithChannel, type InboxWorld } from '../../../test/support/channel-world.js';
import { bindingOf, keyringOf } from './secrets.js';

let w: InboxWorld;
beforeAll(async () => (w = await inboxWorld()));
afterAll(() => w.close());

describe('channels', () => {
  it('never shows or logs the credentials, and stores them encrypted to their own row', async () => {
    const ws = await workspaceWithChannel(w, 'Secret');
    const shown = [(await ws.client.get(`/api/v1/channels/${ws.channelId}`)).body, (await ws.client.get('/api/v1/channels')).body, (await ws.client.get('/api/v1/audit-log')).body];
    for (const body of shown) expect(body).not.toContain(SECRET);
    const channel = (await ws.client.get(`/api/v1/channels/${ws.channelId}`)).json().channel;
    expect(channel).toMatchObject({ type: 'api', settings: { url: w.provider.url, identityType: 'web_visitor' }, enabled: true, hookUrl: expect.stringMatching(new RegExp(`/hooks/${ws.channelId}$`)) });
    expect(channel).not.toHaveProperty('secrets');
    const row = await w.t.database.db.selectFrom('channels').select(['secrets', 'workspace_id']).where('id', '=', ws.channelId).executeTakeFirstOrThrow();
    expect(row.secrets.includes(Buffer.from(SECRET))).toBe(false);
    const keyring = keyringOf(w.t.config);
    expect(keyring.open(row.secrets, bindingOf(row.workspace_id, ws.channelId))).toEqual({ secret: SECRET });
    // Copied onto another channel's row, the ciphertext does not open.
    expect(() => keyring.open(row.secrets, bindingOf(row.workspace_id, '00000000-0000-4000-8000-000000000000'))).toThrow();
  });

  it('checks settings and secrets with the adapter, names per workspace, and replaces secrets whole', async () => {
    const ws = await signedInOwner(w.t, 'Checks');
    const bad = await ws.client.post('/api/v1/channels', { type: 'api', name: 'x', settings: { url: 'ftp://nope', identityType: 'fax' }, secrets: { secret: 'short' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['secrets.secret', 'settings.identityType', 'settings.url']);
    expect(bad.body).not.toContain('short');
    expect((await ws.client.post('/api/v1/channels', { type: 'carrier-pigeon', name: 'x', secrets: {} })).statusCode).toBe(400);
    const ok = { type: 'api', name: 'App', settings: { url: w.provider.url }, secrets: { secret: SECRET } };
    const id = (await ws.client.post('/api/v1/channels', ok)).json().channel.id;
    expect((await ws.client.post('/api/v1/channels', { ...ok, name: 'app' })).statusCode).toBe(409);
    const renamed = await ws.client.patch(`/api/v1/channels/${id}`, { name: 'App 2', settings: { identityType: 'phone' }, secrets: { secret: 'another secret of enough length' }, ratePerSecond: 5 });
    expect(renamed.json().channel).toMatchObject({ name: 'App 2', settings: { url: w.provider.url, identityType: 'phone' }, rate: { perSecond: 5, burst: 40 } });
    // The old secret no longer verifies.
    expect((await deliver(w.t, id, [textEvent('u', 'x')])).statusCode).toBe(401);
    expect((await deliver(w.t, id, [textEvent('u', 'x')], 'another secret of enough length')).statusCode).toBe(200);
  });

  it('deletes a channel without conversations; one with conversations is disabled instead (409)', async () => {
    const ws = await workspaceWithChannel(w, 'Delete');
    const spare = (await ws.client.post('/api/v1/channels', { type: 'api', name: 'Spare', settings: { url: w.provider.url }, secrets: { secret: SECRET } })).json().channel.id;
    expect((await ws.client.delete(`/api/v1/channels/${spare}`)).statusCode).toBe(204);
    await deliver(w.t, ws.channelId, [textEvent('u1', 'hi')]);
    await runJobs(w.t);
    const refused = await ws.client.delete(`/api/v1/channels/${ws.channelId}`);
    expect(refused.statusCode).toBe(409);
    expect((await ws.client.get(`/api/v1/channels/${ws.channelId}`)).statusCode).toBe(200);
  });

  it('answers the GET verification handshake when signed, and counts a refused one', async () => {
    const ws = await workspaceWithChannel(w, 'Handshake');
    const ok = await w.t.app.inject({ method: 'GET', url: `/hooks/${ws.channelId}?challenge=xyz`, headers: { 'x-renmai-signature': sign(SECRET, 'xyz') } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('xyz');
    expect((await w.t.app.inject({ method: 'GET', url: `/hooks/${ws.channelId}?challenge=xyz` })).statusCode).toBe(403);
    expect((await ws.client.get(`/api/v1/channels/${ws.channelId}`)).json().channel.health.refusedCount).toBe(1);
  });
});
