// The real Renmai server, in this process, on 127.0.0.1 and a free port, with a fresh database:
// PGlite in a temp data dir, or a throwaway database on the PostgreSQL server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { serve } from '../../src/main.js';
import type { Db } from '../../src/platform/db/connect.js';
import { onCleanup, withTimeout } from './cleanup.js';
import { createThrowawayDatabase } from './databases.js';

export interface BenchServer {
  kind: 'pglite' | 'postgres';
  /** Base URL on 127.0.0.1 (the server's own `url` says localhost, which may resolve to ::1). */
  url: string;
  db: Db;
  config: Config;
  /** The throwaway database, on PostgreSQL. */
  databaseName?: string;
  /** Its connection string, on PostgreSQL. */
  databaseUrl?: string;
  /** Stops the server and drops its database, unless `keepDatabase` (the caller then owns it). */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface BenchServerOptions {
  /** On PostgreSQL: the database starts as a copy of this one (see loaded-server.ts). */
  template?: string;
}

/** `settings` override the defaults below (e.g. `{ WORKER: 'true' }` for benchmarks that run jobs). */
export async function startBenchServer(
  kind: 'pglite' | 'postgres',
  postgresUrl: string,
  settings: Record<string, string> = {},
  options: BenchServerOptions = {},
): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'renmai-bench-'));
  const removeDir = onCleanup(`remove ${dataDir}`, () => rmSync(dataDir, { recursive: true, force: true }));
  const database = kind === 'postgres' ? await createThrowawayDatabase(postgresUrl, options.template) : undefined;
  try {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: database?.url,
      LOG_LEVEL: 'warn',
      DEMO: 'false',
      WORKER: 'false',
      ...settings,
    });
    const running = await withTimeout(serve(config), 120_000, `starting the server on ${kind}`);
    const app = running.app!;
    const port = (app.server.address() as { port: number }).port;
    const stopServer = onCleanup(`stop the ${kind} server`, () => withTimeout(running.stop(), 30_000, 'stopping the server'));
    return {
      kind,
      url: `http://127.0.0.1:${port}`,
      db: app.ctx.db,
      config,
      databaseName: database?.name,
      databaseUrl: database?.url,
      async stop({ keepDatabase = false } = {}) {
        await stopServer();
        if (!keepDatabase) await database?.drop();
        await removeDir();
      },
    };
  } catch (err) {
    await database?.drop();
    await removeDir();
    throw err;
  }
}
