import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.js';
import { insertLoginAttempt, insertSession, insertUser } from './auth/store.js';
import { sweepExpired } from './housekeeping.js';

let handle: TestDatabase;
beforeAll(async () => (handle = await createTestDatabase()));
afterAll(() => handle.close());

describe('housekeeping', () => {
  it('removes expired sessions and old login attempts, keeps live ones', async () => {
    const db = handle.db;
    const user = await insertUser(db, { email: 'h@example.com', name: 'H', passwordHash: 'x' });
    await insertSession(db, { id: 'old', userId: user.id, csrfToken: 'c', activeWorkspaceId: null, expiresAt: new Date(Date.now() - 1000) });
    await insertSession(db, { id: 'live', userId: user.id, csrfToken: 'c', activeWorkspaceId: null, expiresAt: new Date(Date.now() + 60_000) });
    await insertLoginAttempt(db, { clientIp: '1.2.3.4', email: 'h@example.com', succeeded: false });
    await db.updateTable('login_attempts').set({ at: sql<Date>`now() - interval '2 days'` }).execute();
    await insertLoginAttempt(db, { clientIp: '1.2.3.4', email: 'h@example.com', succeeded: false });

    expect(await sweepExpired(db)).toEqual({ sessions: 1, idempotencyKeys: 0, loginAttempts: 1 });
    expect((await db.selectFrom('sessions').select('id').execute()).map((s) => s.id)).toEqual(['live']);
  });
});
