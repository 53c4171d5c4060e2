// A bench server on a database that already holds the generated workspace.
//
// Loading 10^6 contacts and 10^7 events takes 4–12 minutes of a 2-core machine, and every
// benchmark on that workspace used to pay it. On PostgreSQL the first run now keeps what it
// loaded as a template database, `renmai_tpl_<size>_<key>`, and later runs start from a file
// copy of it (seconds). The key hashes everything that decides the loaded bytes — every
// migration, the loader and the generator — with the size and seed, so a changed schema or
// generator makes a new template (and the old ones of that size are dropped). PGlite, and
// BENCH_TEMPLATES=off, load every time.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/connect.js';
import { databaseExists, dropDatabasesLike, renameDatabase } from './databases.js';
import { loadContacts, type LoadedWorkspace } from './load-contacts.js';
import { startBenchServer, type BenchServer } from './server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DEFAULT_SEED = 20261124;

export interface LoadedServer {
  server: BenchServer;
  w: LoadedWorkspace;
  /** Seconds this run spent loading (or copying the template). */
  loadSeconds: number;
  /** The template the database was copied from, when it was. */
  template?: string;
}

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter(keep)
    .sort();
}

/** The template's name for this size and seed, from the bytes of every input of the load. */
function templateName(size: number, seed: number): string {
  const hash = createHash('sha256').update(`${size}:${seed}\n`);
  const inputs = [
    ...filesUnder(join(root, 'src'), (f) => /\/migrations\/[^/]+\.sql$/.test(f)),
    ...filesUnder(join(root, 'bench/generate'), (f) => f.endsWith('.ts') && !f.endsWith('.test.ts')),
    join(root, 'bench/lib/load-contacts.ts'),
  ];
  for (const file of inputs) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return `renmai_tpl_${size}_${hash.digest('hex').slice(0, 12)}`;
}

const saveWorkspace = async (db: Db, w: LoadedWorkspace) => {
  await sql`create table bench_loaded_workspace (workspace jsonb not null)`.execute(db);
  await sql`insert into bench_loaded_workspace values (${JSON.stringify(w)}::jsonb)`.execute(db);
};

const readWorkspace = async (db: Db) =>
  (await sql<{ workspace: LoadedWorkspace }>`select workspace from bench_loaded_workspace`.execute(db)).rows[0]!.workspace;

/**
 * Starts a bench server (`settings` as for startBenchServer) on a database holding a workspace of
 * `size` generated contacts: copied from the cached template when there is one, else loaded —
 * and, on PostgreSQL, kept as the template for the next run.
 */
export async function startLoadedServer(
  kind: 'pglite' | 'postgres',
  postgresUrl: string,
  settings: Record<string, string>,
  load: { size: number; seed?: number; log(message: string): void },
): Promise<LoadedServer> {
  const seed = load.seed ?? DEFAULT_SEED;
  const loadHere = async (server: BenchServer) => loadContacts(server.db, { size: load.size, seed, hashCost: server.config.PASSWORD_SCRYPT_LOG_N, log: load.log });
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;

  if (kind === 'pglite' || process.env.BENCH_TEMPLATES === 'off') {
    const server = await startBenchServer(kind, postgresUrl, settings);
    return { server, w: await loadHere(server), loadSeconds: elapsed() };
  }

  const template = templateName(load.size, seed);
  if (!(await databaseExists(postgresUrl, template))) {
    load.log(`[${kind}] no template ${template}: loading, then keeping the result as that template`);
    const building = await startBenchServer(kind, postgresUrl, { ...settings, WORKER: 'false' });
    try {
      await saveWorkspace(building.db, await loadHere(building));
    } catch (err) {
      await building.stop();
      throw err;
    }
    await building.stop({ keepDatabase: true });
    // Another run may have made the same template meanwhile: then this copy is not needed.
    if (await renameDatabase(postgresUrl, building.databaseName!, template)) {
      const dropped = await dropDatabasesLike(postgresUrl, `renmai_tpl_${load.size}_`, template);
      if (dropped.length) load.log(`[${kind}] dropped outdated templates ${dropped.join(', ')}`);
    } else {
      await dropDatabasesLike(postgresUrl, building.databaseName!, '');
    }
  }
  load.log(`[${kind}] copying template ${template}`);
  const server = await startBenchServer(kind, postgresUrl, settings, { template });
  return { server, w: await readWorkspace(server.db), loadSeconds: elapsed(), template };
}
