// `renmai serve` as a newcomer runs it: a fresh data dir, a demo login printed once, the console
// and API answering over real HTTP, and a clean stop on SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => (server = await startTestServer()));
afterAll(() => server?.close());

describe('renmai serve on an empty data dir', () => {
  it('prints a working demo login, serves the console and the API', async () => {
    expect(server.output()).toContain(server.url.replace('127.0.0.1', 'localhost'));
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(server.login),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const me = await (await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie } })).json();
    expect(me.workspace.name).toContain('Demo');
    expect(me.member.role.key).toBe('owner');

    const page = await fetch(`${server.url}/settings/members`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
