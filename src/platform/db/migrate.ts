// Migration runner. Each domain keeps its SQL in `<folder>/migrations/<timestamp>_<name>.sql`;
// all of them run in one global order (by file name), each recorded with a checksum so an edited
// migration is refused rather than silently diverging from the databases it already ran on.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './connect.js';

export interface Migration {
  name: string;
  checksum: string;
  sql: string;
}

const SRC_DIR = fileURLToPath(new URL('../../', import.meta.url));
const NAME = /^\d{12}_[a-z0-9_]+\.sql$/;

let cached: Migration[] | undefined;

export function loadMigrations(root = SRC_DIR): Migration[] {
  if (cached && root === SRC_DIR) return cached;
  const files = (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.includes('migrations') && f.endsWith('.sql'))
    .map((f) => join(root, f));
  const migrations = files
    .map((path) => {
      const name = basename(path);
      if (!NAME.test(name)) throw new Error(`Migration file name must be YYYYMMDDHHMM_name.sql: ${path}`);
      const text = readFileSync(path, 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.name === migrations[i - 1]!.name) throw new Error(`Duplicate migration ${migrations[i]!.name}`);
  }
  if (root === SRC_DIR) cached = migrations;
  return migrations;
}

export class MigrationError extends Error {}

async function ensureTable(db: Db) {
  await sql`create table if not exists schema_migrations (
    name text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`.execute(db);
}

async function applied(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('schema_migrations').select(['name', 'checksum']).execute();
  return new Map(rows.map((r) => [r.name, r.checksum]));
}

function verify(done: Map<string, string>, migrations: Migration[]) {
  const known = new Map(migrations.map((m) => [m.name, m]));
  for (const [name, checksum] of done) {
    const m = known.get(name);
    if (!m) throw new MigrationError(`Applied migration ${name} is missing from the code; refusing to run.`);
    if (m.checksum !== checksum) {
      throw new MigrationError(`Applied migration ${name} was edited after it ran (checksum differs); refusing to run. Add a new migration instead.`);
    }
  }
}

/** Applies pending migrations; returns their names. Safe to call from several processes at once. */
export async function migrate(db: Db, migrations = loadMigrations()): Promise<string[]> {
  await ensureTable(db);
  return db.transaction().execute(async (tx) => {
    // One migrator at a time across processes; the lock ends with the transaction.
    await sql`select pg_advisory_xact_lock(7245001)`.execute(tx);
    const done = await applied(tx as unknown as Db);
    verify(done, migrations);
    const pending = migrations.filter((m) => !done.has(m.name));
    for (const m of pending) {
      await sql.raw(m.sql).execute(tx);
      await tx.insertInto('schema_migrations').values({ name: m.name, checksum: m.checksum }).execute();
    }
    return pending.map((m) => m.name);
  });
}

/** Names of migrations not yet applied (for /readyz); throws if an applied one was edited. */
export async function pendingMigrations(db: Db, migrations = loadMigrations()): Promise<string[]> {
  await ensureTable(db);
  const done = await applied(db);
  verify(done, migrations);
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}
