// What a benchmark module exports and what it hands back to bench/run.ts.

export type DbChoice = 'pglite' | 'postgres' | 'both';

export interface BenchOptions {
  /** Rows of seed data (meaning depends on the benchmark). */
  size: number;
  db: DbChoice;
  /** Seconds of measured load per scenario. */
  duration: number;
  connections: number;
  /** Admin connection string of the PostgreSQL server used for throwaway databases. */
  postgresUrl: string;
  /** Progress lines (stderr), so stdout stays the table and the JSON line. */
  log(message: string): void;
}

export type Cell = string | number;

export interface BenchResult {
  /** One row per measured scenario; keys are the table's columns, in order. */
  rows: Array<Record<string, Cell>>;
  /** Context worth keeping with the figures (data size, versions, skipped parts). */
  notes?: string[];
}

export interface Benchmark {
  name: string;
  describe: string;
  run(options: BenchOptions): Promise<BenchResult>;
}
