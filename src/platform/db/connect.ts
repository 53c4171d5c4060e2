// Opens the one database Renmai talks to: a PostgreSQL server when a URL is given,
// otherwise the embedded PGlite (on disk, or in memory for tests). Both speak the same SQL.
import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
// The contact list's quick search indexes (contacts migration 202612070110) use trigrams.
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { noticesSent } from './notify.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The embedded database's files as a tarball (PGlite only), to start another instance from. */
  dumpDataDir?(): Promise<Blob>;
  /** Subscribes to a NOTIFY channel; returns the unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

// Counts and sums come back as int8; within 2^53 they are safe as numbers, and provider ids
// that are larger are stored as text, never int8.
const INT8 = 20;
const parseInt8 = (v: string) => Number(v);
// A calendar date (a birthday) stays 'YYYY-MM-DD': a JS Date would move it across time zones.
const DATE = 1082;
const keepText = (v: string) => v;

/** `memory` may start from a dump of another instance (`dumpDataDir`), which skips initdb. */
export type DatabaseTarget = { url: string; poolSize?: number } | { dataDir: string } | { memory: true; from?: Blob };

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  return 'url' in target ? openPostgres(target.url, target.poolSize ?? 10) : openPGlite(target);
}

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  const typeParsers = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8 ? parseInt8 : oid === DATE ? keepText : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };
  // JIT compilation costs more than it saves on the short OLTP statements Renmai sends
  // (measured: 150–670 ms of JIT on a 10^6-contact filtered list that runs in ~100 ms without).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: typeParsers, options: '-c jit=off' });
  // An idle connection dropped by the server (restart, failover) is discarded by the pool and
  // replaced on next use; without a listener the 'error' event would crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const listeners: pg.Client[] = [];
  return {
    db,
    kind: 'postgres',
    async listen(channel, onNotify) {
      const client = new pg.Client({ connectionString: url });
      // A lost LISTEN connection only delays wake-ups: the worker also polls.
      client.on('error', () => {});
      await client.connect();
      client.on('notification', (n) => n.channel === channel && onNotify(n.payload ?? ''));
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end();
      };
    },
    async close() {
      await noticesSent(db);
      await Promise.all(listeners.map((c) => c.end()));
      await db.destroy();
    },
  };
}

async function openPGlite(target: { dataDir: string } | { memory: true; from?: Blob }): Promise<DatabaseHandle> {
  let dataDir: string | undefined;
  let unlock = () => {};
  if ('dataDir' in target) {
    mkdirSync(target.dataDir, { recursive: true });
    unlock = lockDataDir(target.dataDir);
    dataDir = `${target.dataDir}/pglite`;
  }
  const from = 'memory' in target ? target.from : undefined;
  const pglite = await PGlite.create(dataDir, {
    parsers: { [pgliteTypes.INT8]: parseInt8, [pgliteTypes.DATE]: keepText },
    extensions: { pg_trgm },
    ...(from ? { loadDataDir: from } : {}),
  }).catch((err) => {
    unlock();
    throw err;
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    dumpDataDir: () => pglite.dumpDataDir('none'),
    listen: (channel, onNotify) => pglite.listen(channel, onNotify).then((unsub) => unsub),
    async close() {
      await noticesSent(db);
      await db.destroy();
      await pglite.close();
      unlock();
    },
  };
}
