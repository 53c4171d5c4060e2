// Throwaway PostgreSQL databases for a run: created empty, dropped after (even on Ctrl-C).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { onCleanup } from './cleanup.js';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Benchmarks only ever talk to this machine. */
export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!LOOPBACK.has(host)) throw new Error(`Benchmarks run against 127.0.0.1 only; ${host} is not loopback`);
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000, query_timeout: 60_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The server's version string, or null when nothing answers at `url`. */
export async function postgresVersion(url: string): Promise<string | null> {
  try {
    assertLoopback(url);
    return await withClient(url, async (c) => (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v);
  } catch {
    return null;
  }
}

export interface ThrowawayDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new empty database, or a copy of `template` (which nobody may be connected to). */
export async function createThrowawayDatabase(adminUrl: string, template?: string): Promise<ThrowawayDatabase> {
  assertLoopback(adminUrl);
  const name = `renmai_bench_${randomBytes(5).toString('hex')}`;
  // file_copy copies the template's files after a checkpoint: seconds for gigabytes, where the
  // default (wal_log) would write every page through the WAL.
  await withClient(adminUrl, (c) => c.query(template ? `create database ${name} template ${template} strategy file_copy` : `create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // `with (force)` ends connections a stopped server may have left behind (PostgreSQL 13+).
  const drop = onCleanup(`drop database ${name}`, () => withClient(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined));
  return { name, url: url.toString(), drop };
}

export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withClient(adminUrl, async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
}

/** Renames `from` to `to` (nobody connected to `from`); false when `to` already exists. */
export async function renameDatabase(adminUrl: string, from: string, to: string): Promise<boolean> {
  return withClient(adminUrl, async (c) => {
    if ((await c.query('select 1 from pg_database where datname = $1', [to])).rowCount) return false;
    await c.query(`alter database ${from} rename to ${to}`);
    return true;
  });
}

/** Drops the databases whose names start with `prefix`, except `keep`. */
export async function dropDatabasesLike(adminUrl: string, prefix: string, keep: string): Promise<string[]> {
  return withClient(adminUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>("select datname from pg_database where starts_with(datname, $1) and datname <> $2", [prefix, keep]);
    for (const r of rows) await c.query(`drop database if exists ${r.datname} with (force)`);
    return rows.map((r) => r.datname);
  });
}
