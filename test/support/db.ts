// A fresh, migrated database for one test file: in-memory PGlite by default, or a new database
// on the PostgreSQL server named by TEST_DATABASE_URL when the suite runs in its `postgres` project.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/connect.js';
import { migrate } from '../../src/platform/db/migrate.js';

export const testDbKind = process.env.RENMAI_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

export interface TestDatabase extends DatabaseHandle {
  /** The connection string when on a server (for a second process or pool). */
  url?: string;
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const handle = testDbKind === 'postgres' ? await createServerDatabase() : await openDatabase({ memory: true });
  if (options.migrate !== false) await migrate(handle.db);
  return handle;
}

async function createServerDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('RENMAI_TEST_DB=postgres needs TEST_DATABASE_URL');
  const name = `renmai_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolSize: 5 });
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
