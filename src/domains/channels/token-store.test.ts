// The shared token store on a real database: a second process (cache) reuses the first one's
// token without fetching, the row holds no plaintext token, and a refused token is dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenCache } from '../../channels/access-token.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { createKeyring } from './secrets.js';
import { databaseTokenStore } from './token-store.js';

let handle: TestDatabase;
beforeAll(async () => (handle = await createTestDatabase()));
afterAll(() => handle.close());

describe('database token store', () => {
  it('shares a token between caches, sealed, and drops the one the provider refused', async () => {
    const store = databaseTokenStore(handle.db, createKeyring(Buffer.alloc(32, 3)));
    let fetched = 0;
    const issue = async () => ({ token: `provider-token-${++fetched}`, expiresInSeconds: 7200 });
    const a = new AccessTokenCache({ store });
    const b = new AccessTokenCache({ store });
    expect(await a.get('wecom:ww1:abc', issue)).toBe('provider-token-1');
    expect(await b.get('wecom:ww1:abc', issue)).toBe('provider-token-1');
    expect(fetched).toBe(1);
    const row = await handle.db.selectFrom('channel_access_tokens').selectAll().where('key', '=', 'wecom:ww1:abc').executeTakeFirstOrThrow();
    expect(row.token.toString('latin1')).not.toContain('provider-token-1');
    expect(row.refresh_at.getTime()).toBeGreaterThan(Date.now() + 7200 * 1000 * 0.85);
    // b is told the token expired: it is dropped for everyone, and the next caller fetches a new one.
    await b.invalidate('wecom:ww1:abc', 'provider-token-1');
    expect(await b.get('wecom:ww1:abc', issue)).toBe('provider-token-2');
    expect(await new AccessTokenCache({ store }).get('wecom:ww1:abc', issue)).toBe('provider-token-2');
    // A stale drop (the old token) keeps the new one.
    await store.drop('wecom:ww1:abc', 'provider-token-1');
    expect(await store.get('wecom:ww1:abc')).toMatchObject({ token: 'provider-token-2' });
    expect(fetched).toBe(2);
  });
});
