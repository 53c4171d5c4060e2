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
  if (testDbKind === 'postgres') return createServerDatabase(migrated);
  return openDatabase({ memory: true, ...(migrated ? { from: await migratedTemplate() } : {}) });
}

/** The migrations' identity: a template made from other migrations is never used. */
const migrationsKey = () => createHash('sha256').update(loadMigrations().map((m) => m.checksum).join()).digest('hex').slice(0, 16);

/**
 * A migrated PGlite, dumped once per set of migrations and shared by every test file: starting
 * from the dump skips initdb and the migrations, the slow part of a fresh embedded database.
 */
async function migratedTemplate(): Promise<Blob> {
  const path = join(tmpdir(), `renmai-test-pglite-${migrationsKey()}.tar`);
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

const withAdmin = async <T>(adminUrl: string, use: (admin: pg.Client) => Promise<T>) => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.end();
  }
};

/**
 * A migrated database on the server, made once per set of migrations and copied by each test
 * file (CREATE DATABASE … TEMPLATE takes a fraction of running every migration). Built under an
 * advisory lock and renamed into place when complete, so concurrent test files wait for one
 * build and never copy half of one; templates of earlier migrations are dropped.
 */
async function serverTemplate(adminUrl: string): Promise<string> {
  const name = `renmai_tpl_${migrationsKey()}`;
  return withAdmin(adminUrl, async (admin) => {
    await admin.query('select pg_advisory_lock(7262716)');
    try {
      if ((await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount) return name;
      const building = `${name}_building`;
      await admin.query(`drop database if exists ${building} with (force)`);
      await admin.query(`create database ${building}`);
      const url = new URL(adminUrl);
      url.pathname = `/${building}`;
      const handle = await openDatabase({ url: url.toString(), poolSize: 1 });
      try {
        await migrate(handle.db);
      } finally {
        await handle.close();
      }
      await admin.query(`alter database ${building} rename to ${name}`);
      const stale = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'renmai\\_tpl\\_%' and datname <> $1", [name]);
      // Without force: a template another run is copying right now stays (and is dropped next time).
      for (const { datname } of stale.rows) await admin.query(`drop database if exists ${datname}`).catch(() => undefined);
      return name;
    } finally {
      await admin.query('select pg_advisory_unlock(7262716)');
    }
  });
}

async function createServerDatabase(migrated: boolean): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('RENMAI_TEST_DB=postgres needs TEST_DATABASE_URL');
  const name = `renmai_t_${randomBytes(6).toString('hex')}`;
  const template = migrated ? await serverTemplate(adminUrl) : undefined;
  await withAdmin(adminUrl, (admin) => admin.query(`create database ${name}${template ? ` template ${template}` : ''}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolSize: 5 });
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}
