// Sign-in security: throttling, lock-out, logout and password change ending sessions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createOwner, createTestApp, createUser, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp({ LOGIN_RATE_PER_MINUTE: '100', LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '15' })));
afterAll(() => t.close());

const loginFrom = (ip: string, email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email, password } });

describe('login', () => {
  it('accepts the right password and answers the same way for a wrong password and an unknown e-mail', async () => {
    const user = await createUser(t);
    expect((await loginFrom('10.0.0.1', user.email.toUpperCase(), user.password)).statusCode).toBe(200);
    const wrong = await loginFrom('10.0.0.1', user.email, 'not it at all');
    const unknown = await loginFrom('10.0.0.1', 'nobody@example.com', 'whatever');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('locks the account after repeated failures, even for the right password, and says so', async () => {
    const user = await createUser(t);
    expect((await loginFrom('10.0.0.2', user.email, 'bad-1')).statusCode).toBe(401);
    expect((await loginFrom('10.0.0.2', user.email, 'bad-2')).statusCode).toBe(401);
    const third = await loginFrom('10.0.0.2', user.email, 'bad-3');
    expect(third.statusCode).toBe(423);
    expect(third.json().code).toBe('account_locked');
    const right = await loginFrom('10.0.0.3', user.email, user.password);
    expect(right.statusCode).toBe(423);
    expect(right.json().lockedUntil).toBeTruthy();
  });

  it('a success resets the failure count', async () => {
    const user = await createUser(t);
    await loginFrom('10.0.0.4', user.email, 'bad-1');
    await loginFrom('10.0.0.4', user.email, 'bad-2');
    expect((await loginFrom('10.0.0.4', user.email, user.password)).statusCode).toBe(200);
    await loginFrom('10.0.0.4', user.email, 'bad-3');
    expect((await loginFrom('10.0.0.4', user.email, user.password)).statusCode).toBe(200);
  });
});

describe('throttling per client address', () => {
  it('refuses with 429 rate_limited past the per-minute budget, other addresses unaffected', async () => {
    const limited = await createTestApp({ LOGIN_RATE_PER_MINUTE: '3' });
    try {
      const user = await createUser(limited);
      const attempt = (ip: string) => limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email: user.email, password: 'nope-nope' } });
      for (let i = 0; i < 3; i++) expect((await attempt('10.1.0.1')).statusCode).toBe(401);
      const refused = await attempt('10.1.0.1');
      expect(refused.statusCode).toBe(429);
      expect(refused.json().code).toBe('rate_limited');
      expect((await attempt('10.1.0.2')).statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});

describe('sessions end', () => {
  it('logout invalidates the session server-side (the old cookie no longer works)', async () => {
    const { user } = await createOwner(t);
    const c = await Client.login(t, user.email, user.password);
    const cookieHeader = `renmai_session=${(await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password } })).cookies.find((k) => k.name === 'renmai_session')!.value}`;
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: cookieHeader } })).statusCode).toBe(200);
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
    // another session of the same person is untouched by this logout
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie: cookieHeader } })).statusCode).toBe(200);
  });

  it('a stolen session cookie stops working after logout', async () => {
    const { user } = await createOwner(t);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password } });
    const session = res.cookies.find((k) => k.name === 'renmai_session')!.value;
    const csrf = res.cookies.find((k) => k.name === 'renmai_csrf')!.value;
    const cookie = `renmai_session=${session}; renmai_csrf=${csrf}`;
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': csrf } })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('changing the password ends every session of the person; the new password works, the old does not', async () => {
    const { user } = await createOwner(t);
    const a = await Client.login(t, user.email, user.password);
    const b = await Client.login(t, user.email, user.password);
    const refused = await a.post('/api/v1/auth/password', { currentPassword: 'wrong password', newPassword: 'a brand new secret' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].path).toBe('currentPassword');
    const tooShort = await a.post('/api/v1/auth/password', { currentPassword: user.password, newPassword: 'short' });
    expect(tooShort.json().errors[0].path).toBe('newPassword');
    expect((await a.get('/api/v1/auth/me')).statusCode).toBe(200);

    expect((await a.post('/api/v1/auth/password', { currentPassword: user.password, newPassword: 'a brand new secret' })).statusCode).toBe(204);
    expect((await a.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await b.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await loginFrom('10.9.0.1', user.email, user.password)).statusCode).toBe(401);
    expect((await loginFrom('10.9.0.1', user.email, 'a brand new secret')).statusCode).toBe(200);
  });
});

describe('secrets stay secret', () => {
  it('no response carries a password hash or session token', async () => {
    const { user } = await createOwner(t);
    const c = await Client.login(t, user.email, user.password);
    const me = await c.get('/api/v1/auth/me');
    expect(me.body).not.toMatch(/scrypt\$|password/i);
  });
});
