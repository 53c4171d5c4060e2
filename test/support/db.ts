// A fresh, migrated database for one test file: in-memory PGlite by default, or a new database
// on the PostgreSQL server named by TEST_DATABASE_URL when the suite runs in its `postgres` project.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/connect.js';
import { loadMigrations, migrate } from '../../src/platform/db/migrate.js';

export const testDbKind = process.env.RENMAI_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

export interface TestDatabase extends DatabaseHandle {
  /** The connection string when on a server (for a second process or pool). */
  url?: string;
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrate !== false;
  if (testDbKind === 'postgres') {
    const handle = await createServerDatabase();
    if (migrated) await migrate(handle.db);
    return handle;
  }
  return openDatabase({ memory: true, ...(migrated ? { from: await migratedTemplate() } : {}) });
}

/**
 * A migrated PGlite, dumped once per set of migrations and shared by every test file: starting
 * from the dump skips initdb and the migrations, the slow part of a fresh embedded database.
 */
async function migratedTemplate(): Promise<Blob> {
  const key = createHash('sha256').update(loadMigrations().map((m) => m.checksum).join()).digest('hex').slice(0, 16);
  const path = join(tmpdir(), `renmai-test-pglite-${key}.tar`);
  if (existsSync(path)) return new Blob([readFileSync(path)]);
  const handle = await openDatabase({ memory: true });
  try {
    await migrate(handle.db);
    const dump = await handle.dumpDataDir!();
    // Written aside and renamed, so a concurrent test file never reads half a file.
    const partial = `${path}.${process.pid}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, path);
    return dump;
  } finally {
    await handle.close();
  }
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
