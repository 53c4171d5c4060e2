// The shared access-token cache: early refresh, single flight, refresh on the expired answer,
// a shared store. Small tier: the provider is a counting function, time is a variable.
import { describe, expect, it } from 'vitest';
import { AccessTokenCache, credentialKey, type CachedToken, type TokenStore } from './access-token.js';

class Expired extends Error {}

function provider() {
  let n = 0;
  return {
    get calls() {
      return n;
    },
    issue: async () => {
      n += 1;
      await new Promise((r) => setTimeout(r, 5));
      return { token: `token-${n}`, expiresInSeconds: 7200 };
    },
  };
}

describe('access-token cache', () => {
  it('fetches once for concurrent callers and reuses the token until 90% of its lifetime', async () => {
    let now = 1_000_000;
    const cache = new AccessTokenCache({ now: () => now });
    const p = provider();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => cache.get('k', p.issue)));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(p.calls).toBe(1);
    now += 7200 * 1000 * 0.9 - 1;
    expect(await cache.get('k', p.issue)).toBe('token-1');
    now += 2;
    expect(await cache.get('k', p.issue)).toBe('token-2');
    expect(p.calls).toBe(2);
  });

  it('on the expired answer drops the token, fetches a new one once and retries the call once', async () => {
    const cache = new AccessTokenCache();
    const p = provider();
    const used: string[] = [];
    const result = await cache.withToken(
      'k',
      p.issue,
      async (token) => {
        used.push(token);
        if (token === 'token-1') throw new Expired();
        return 'sent';
      },
      (e) => e instanceof Expired,
    );
    expect(result).toBe('sent');
    expect(used).toEqual(['token-1', 'token-2']);
    // Expired twice in a row: the second failure is the caller's, no third attempt.
    await expect(cache.withToken('k2', p.issue, async () => Promise.reject(new Expired()), (e) => e instanceof Expired)).rejects.toBeInstanceOf(Expired);
    // Other errors are not a reason to refresh.
    const before = p.calls;
    await expect(cache.withToken('k', p.issue, async () => Promise.reject(new Error('boom')), (e) => e instanceof Expired)).rejects.toThrow('boom');
    expect(p.calls).toBe(before);
  });

  it('invalidating an old token keeps a newer one another caller fetched meanwhile', async () => {
    const cache = new AccessTokenCache();
    const p = provider();
    const old = await cache.get('k', p.issue);
    await cache.invalidate('k', old);
    const fresh = await cache.get('k', p.issue);
    await cache.invalidate('k', old);
    expect(await cache.get('k', p.issue)).toBe(fresh);
    expect(p.calls).toBe(2);
  });

  it('shares tokens through a store: a second process fetches none', async () => {
    const rows = new Map<string, CachedToken>();
    const store: TokenStore = {
      get: async (k) => rows.get(k),
      set: async (k, t) => void rows.set(k, t),
      drop: async (k, t) => void (rows.get(k)?.token === t && rows.delete(k)),
    };
    const p = provider();
    const a = new AccessTokenCache({ store });
    const b = new AccessTokenCache({ store });
    expect(await a.get('k', p.issue)).toBe('token-1');
    expect(await b.get('k', p.issue)).toBe('token-1');
    expect(p.calls).toBe(1);
    await b.invalidate('k', 'token-1');
    expect(rows.has('k')).toBe(false);
  });

  it('keys a credential without its secret, and a changed secret is another key', () => {
    const key = credentialKey('wecom', 'ww1', 'the secret');
    expect(key).not.toContain('the secret');
    expect(key).not.toBe(credentialKey('wecom', 'ww1', 'another secret'));
  });
});
