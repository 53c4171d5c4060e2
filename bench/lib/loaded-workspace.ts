// The frame of the benchmarks that measure on one generated workspace (bench/lib/load-contacts.ts:
// --size contacts, 10 × size timeline events): the server on each database asked for, the load,
// the measurements, the load average around them, and BENCH_HOLD_SECONDS to keep the loaded
// database for psql experiments before it is dropped.
import { loadavg } from 'node:os';
import { operatorActor } from '../../src/domains/workspaces/index.js';
import type { Actor } from '../../src/platform/auth/actor.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { postgresVersion } from './databases.js';
import { loadContacts, type LoadedWorkspace } from './load-contacts.js';
import { startBenchServer, type BenchServer } from './server.js';
import type { BenchOptions, BenchResult, Cell } from './types.js';

export type Row = Record<string, Cell>;
export type DbKind = 'pglite' | 'postgres';

/** The 1, 5 and 15 minute load averages, as every figure is reported with. */
export const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ');
export const quietLogger = createLogger('silent');
export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
/** The p-th percentile (nearest rank) of ascending `sorted`. */
export const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

export interface LoadedBench {
  kind: DbKind;
  server: BenchServer;
  w: LoadedWorkspace;
  /** The workspace's operator (owner), for service calls. */
  actor: Actor;
  size: number;
  log(message: string): void;
  /** Lines printed under the table. */
  notes: string[];
}

/** Loads the workspace on a fresh server of `kind`, measures, holds if asked, and stops the server (dropping its database). */
async function onLoadedWorkspace(kind: DbKind, size: number, options: BenchOptions, notes: string[], measure: (b: LoadedBench) => Promise<Row[]>): Promise<Row[]> {
  const server = await startBenchServer(kind, options.postgresUrl);
  try {
    if (server.databaseName) options.log(`[${kind}] throwaway database ${server.databaseName}`);
    options.log(`[${kind}] loading ${size.toLocaleString('en')} contacts and ${(10 * size).toLocaleString('en')} timeline events (load ${loadAverage()})`);
    const started = Date.now();
    const w = await loadContacts(server.db, { size, hashCost: server.config.PASSWORD_SCRYPT_LOG_N, log: options.log });
    notes.push(`${kind}: loaded ${w.counts.contacts.toLocaleString('en')} contacts and ${w.counts.events.toLocaleString('en')} timeline events in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const before = loadAverage();
    const rows = await measure({ kind, server, w, actor: await operatorActor(server.db, w.workspaceId), size, log: options.log, notes });
    notes.push(`${kind}: load average (1/5/15 min) ${before} before the measurements, ${loadAverage()} after`);
    const hold = Number(process.env.BENCH_HOLD_SECONDS ?? 0);
    if (hold > 0) {
      options.log(`[${kind}] holding ${server.databaseUrl ?? server.config.DATA_DIR} (workspace ${w.workspaceId}) for ${hold} s (BENCH_HOLD_SECONDS)`);
      await new Promise((resolve) => setTimeout(resolve, hold * 1000));
    }
    return rows;
  } finally {
    options.log(`[${kind}] stopping the server`);
    await server.stop();
  }
}

/**
 * Runs `measure` on each database `--db` asks for (PostgreSQL when asked, or when it answers and
 * both are asked), each on its own loaded workspace. `--size` left at the runner's default of
 * 1000 means `defaultSize`; `note` says how the figures were taken.
 */
export async function onEachDatabase(options: BenchOptions, defaultSize: number, note: string, measure: (b: LoadedBench) => Promise<Row[]>): Promise<BenchResult> {
  const size = options.size === 1000 ? defaultSize : options.size;
  const notes: string[] = [];
  const version = options.db === 'pglite' ? null : await postgresVersion(options.postgresUrl);
  if (options.db === 'postgres' && !version) throw new Error(`No PostgreSQL server answers at ${options.postgresUrl}`);
  const kinds: DbKind[] = options.db === 'postgres' ? ['postgres'] : version ? ['pglite', 'postgres'] : ['pglite'];
  if (version) notes.push(`PostgreSQL ${version}`);
  notes.push(note);
  const rows: Row[] = [];
  for (const kind of kinds) rows.push(...(await onLoadedWorkspace(kind, size, options, notes, measure)));
  return { rows, notes };
}
