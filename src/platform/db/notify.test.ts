// Notices go out after their transaction commits, never for one that rolls back, once per
// transaction for repeats, and in the order they were committed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { noticesSent, notifyOnCommit } from './notify.js';
import { inTransaction } from './transaction.js';

const CHANNEL = 'renmai_notify_test';
let database: TestDatabase;
const heard: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  await database.listen(CHANNEL, (payload) => heard.push(payload));
});
afterAll(() => database.close());

/** Everything sent so far has been delivered back to our LISTEN. */
async function settled(expected: number) {
  await noticesSent(database.db);
  for (let i = 0; i < 100 && heard.length < expected; i++) await new Promise((r) => setTimeout(r, 20));
}

it('sends a transaction’s notices once it commits, repeats once, and nothing for a rollback', async () => {
  heard.length = 0;
  await inTransaction(database.db, async (tx) => {
    await notifyOnCommit(tx, CHANNEL, 'a');
    await notifyOnCommit(tx, CHANNEL, 'a');
    await notifyOnCommit(tx, CHANNEL, 'b');
    expect(heard).toEqual([]);
  });
  await expect(
    inTransaction(database.db, async (tx) => {
      await notifyOnCommit(tx, CHANNEL, 'rolled back');
      throw new Error('rollback');
    }),
  ).rejects.toThrow('rollback');
  await settled(2);
  expect(heard).toEqual(['a', 'b']);
});

it('keeps the order of many transactions committing one after another, and sends at once outside a transaction', async () => {
  heard.length = 0;
  for (let i = 0; i < 20; i++) await inTransaction(database.db, (tx) => notifyOnCommit(tx, CHANNEL, `t${i}`));
  await notifyOnCommit(database.db, CHANNEL, 'outside');
  await settled(21);
  expect(heard).toEqual([...Array.from({ length: 20 }, (_, i) => `t${i}`), 'outside']);
});
