// What the console builds its channel forms from: each type's settings and credentials as JSON
// Schema, whether it takes hooks; and credentials on a channel as names only, merged on replace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp({ CHANNEL_SECRETS_KEY: Buffer.alloc(32, 9).toString('base64') })));
afterAll(() => t.close());

const SMTP = 'an smtp password';
const IMAP = 'an imap password';

describe('channel types', () => {
  it('describes each type\'s settings and credentials as JSON Schema, defaults optional', async () => {
    const ws = await signedInOwner(t, 'Types');
    const res = await ws.client.get('/api/v1/channel-types');
    expect(res.statusCode).toBe(200);
    const byType = Object.fromEntries(res.json().items.map((i: { type: string }) => [i.type, i]));
    expect(byType.api).toMatchObject({
      hooks: true,
      settings: { type: 'object', required: ['url'], properties: { url: { type: 'string', format: 'uri' }, identityType: { default: 'web_visitor', enum: expect.arrayContaining(['phone']) } } },
      secrets: { type: 'object', required: ['secret'], properties: { secret: { type: 'string', minLength: 16 } } },
    });
    expect(byType.email).toMatchObject({
      hooks: false,
      settings: { required: ['address', 'smtp'], properties: { smtp: { required: ['host'], properties: { port: { type: 'integer', default: 587 } } }, inbound: { oneOf: [{ properties: { mode: { const: 'listener' } } }, { properties: { mode: { const: 'imap' } } }] } } },
      secrets: { properties: { smtpPassword: { type: 'string' }, imapPassword: { type: 'string' } } },
    });
    expect(byType.email.secrets.required).toBeUndefined();
    // Arrays, colours and lists of objects come through for the console to draw (the widget's).
    expect(byType.widget).toMatchObject({
      hooks: false,
      settings: { required: ['allowedOrigins'], properties: { allowedOrigins: { type: 'array', items: { type: 'string' } }, colors: { properties: { primary: { pattern: '^#[0-9a-f]{6}$' } } }, prechat: { properties: { fields: { type: 'array', items: { type: 'object' } } } } } },
    });
  });

  it('is for members who read the inbox or manage channels', async () => {
    const ws = await signedInOwner(t, 'Types access');
    const agent = await addMember(t, ws.workspace.id, 'agent');
    expect((await (await agent.login()).get('/api/v1/channel-types')).statusCode).toBe(200);
    const none = await addMember(t, ws.workspace.id, { name: 'Contacts only', permissions: ['contacts:read'], scope: 'all' });
    expect((await (await none.login()).get('/api/v1/channel-types')).statusCode).toBe(403);
  });
});

describe('credentials on a channel', () => {
  it('names the ones set, never their values, and merges a replacement over them (null removes one)', async () => {
    const ws = await signedInOwner(t, 'Secrets set');
    const settings = { address: 'support@example.com', smtp: { host: 'smtp.example.com', user: 'support' }, inbound: { mode: 'imap', host: 'imap.example.com', user: 'support' } };
    const created = await ws.client.post('/api/v1/channels', { type: 'email', name: 'Mail', settings, secrets: { smtpPassword: SMTP } });
    expect(created.statusCode).toBe(201);
    const id = created.json().channel.id;
    expect(created.json().channel.secretsSet).toEqual(['smtpPassword']);

    const added = await ws.client.patch(`/api/v1/channels/${id}`, { secrets: { imapPassword: IMAP } });
    expect(added.json().channel.secretsSet).toEqual(['imapPassword', 'smtpPassword']);
    const list = await ws.client.get('/api/v1/channels');
    expect(list.json().items[0].secretsSet).toEqual(['imapPassword', 'smtpPassword']);
    for (const body of [created.body, added.body, list.body]) {
      expect(body).not.toContain(SMTP);
      expect(body).not.toContain(IMAP);
    }

    const removed = await ws.client.patch(`/api/v1/channels/${id}`, { secrets: { smtpPassword: null } });
    expect(removed.json().channel.secretsSet).toEqual(['imapPassword']);
  });

  it('drops a setting sent as null, keeps the ones not sent', async () => {
    const ws = await signedInOwner(t, 'Settings cleared');
    const settings = { address: 'help@example.com', displayName: 'Help desk', smtp: { host: 'smtp.example.com' } };
    const id = (await ws.client.post('/api/v1/channels', { type: 'email', name: 'Mail', settings, secrets: {} })).json().channel.id;
    const cleared = await ws.client.patch(`/api/v1/channels/${id}`, { settings: { displayName: null } });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().channel.settings).not.toHaveProperty('displayName');
    expect(cleared.json().channel.settings).toMatchObject({ address: 'help@example.com', smtp: { host: 'smtp.example.com' } });
  });
});
