// npm run bench -- <name> [--size N] [--db pglite|postgres|both] [--duration S] [--connections C]
// Runs one benchmark from bench/benchmarks/, prints its figures as a table and as one JSON line.
import { readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { cleanupAll } from './lib/cleanup.js';
import { DEFAULT_POSTGRES_URL, assertLoopback } from './lib/databases.js';
import { formatTable } from './lib/table.js';
import type { Benchmark, BenchOptions, DbChoice } from './lib/types.js';

const benchmarksDir = new URL('./benchmarks/', import.meta.url);
const log = (message: string) => process.stderr.write(`${message}\n`);

const usage = `Usage: npm run bench -- <name> [options]

Options:
  --size N          rows of seed data (default 1000)
  --db KIND         pglite, postgres or both (default both; PostgreSQL only when reachable)
  --duration S      seconds of measured load per scenario (default 10)
  --connections C   concurrent connections (default 10)
  --timeout S       abort the whole run after S seconds (default 900)

PostgreSQL: BENCH_DATABASE_URL (default ${DEFAULT_POSTGRES_URL}); each run uses a throwaway database.`;

function benchmarkNames(): string[] {
  return readdirSync(benchmarksDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function load(name: string): Promise<Benchmark> {
  const mod = (await import(new URL(`${name}.ts`, benchmarksDir).href)) as Partial<Benchmark>;
  if (typeof mod.run !== 'function' || typeof mod.name !== 'string' || typeof mod.describe !== 'string') {
    throw new Error(`bench/benchmarks/${name}.ts must export name, describe and run(options)`);
  }
  return mod as Benchmark;
}

async function listBenchmarks(): Promise<void> {
  console.log(`${usage}\n\nBenchmarks:`);
  for (const name of benchmarkNames()) console.log(`  ${name.padEnd(16)} ${(await load(name)).describe}`);
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

function parseDb(value: string): DbChoice {
  if (value === 'pglite' || value === 'postgres' || value === 'both') return value;
  throw new Error(`--db must be pglite, postgres or both, got "${value}"`);
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      size: { type: 'string', default: '1000' },
      db: { type: 'string', default: 'both' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      timeout: { type: 'string', default: '900' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const name = positionals[0];
  if (values.help || !name || !benchmarkNames().includes(name)) {
    if (name && !values.help) log(`Unknown benchmark "${name}".\n`);
    await listBenchmarks();
    return values.help ? 0 : 2;
  }

  const postgresUrl = process.env.BENCH_DATABASE_URL || DEFAULT_POSTGRES_URL;
  assertLoopback(postgresUrl);
  const options: BenchOptions = {
    size: positiveInt(values.size, '--size'),
    db: parseDb(values.db),
    duration: positiveInt(values.duration, '--duration'),
    connections: positiveInt(values.connections, '--connections'),
    postgresUrl,
    log,
  };
  const timeoutSeconds = positiveInt(values.timeout, '--timeout');
  const bench = await load(name);

  // Bound the whole run: on timeout or Ctrl-C, stop servers and drop databases before exiting.
  const abort = (why: string, code: number) => {
    log(`\n${why}: cleaning up`);
    void cleanupAll(log).finally(() => process.exit(code));
  };
  const timer = setTimeout(() => abort(`Timed out after ${timeoutSeconds} s`, 1), timeoutSeconds * 1000);
  process.once('SIGINT', () => abort('Interrupted', 130));
  process.once('SIGTERM', () => abort('Terminated', 143));

  const started = new Date();
  try {
    const result = await bench.run(options);
    const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
    console.log(`\n${bench.name} — ${started.toISOString()} — ${machine.cpus} cores (${machine.cpu}), Node ${machine.node}\n`);
    console.log(formatTable(result.rows));
    for (const note of result.notes ?? []) console.log(`* ${note}`);
    const { log: _log, postgresUrl: _url, ...shown } = options;
    console.log(`\n${JSON.stringify({ bench: bench.name, at: started.toISOString(), options: shown, machine, rows: result.rows, notes: result.notes ?? [] })}`);
    return 0;
  } catch (err) {
    log(`\n${bench.name} FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  } finally {
    clearTimeout(timer);
    await cleanupAll(log);
  }
}

// Exit explicitly: load-generator workers or pools left by a failed run must not keep us alive.
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(err instanceof Error ? err.message : String(err));
    void cleanupAll(log).finally(() => process.exit(1));
  },
);
