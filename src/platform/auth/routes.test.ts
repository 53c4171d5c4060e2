import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createOwner, createTestApp, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

describe('sign-in and session', () => {
  it('logs in, reads /auth/me, creates an API key usable as bearer', async () => {
    const { user, workspace } = await createOwner(t);
    const c = await Client.login(t, user.email, user.password);
    const me = await c.get('/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().workspace.id).toBe(workspace.id);
    const created = await c.post('/api/v1/api-keys', { name: 'zapier', scopes: ['audit:read'] });
    expect(created.statusCode).toBe(201);
    const { secret, apiKey } = created.json();
    expect(secret).toMatch(/^rmk_/);
    expect(JSON.stringify(apiKey)).not.toContain(secret);
  });
});
