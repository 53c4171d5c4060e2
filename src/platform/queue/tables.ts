import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export type JobStatus = 'queued' | 'running' | 'done' | 'dead' | 'cancelled';

export interface JobsTable {
  workspace_id: string;
  id: Generated<string>;
  queue: Generated<string>;
  name: string;
  payload: JSONColumnType<Record<string, unknown>, string, string>;
  dedupe_key: string | null;
  status: Generated<JobStatus>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: Generated<Date>;
  locked_by: string | null;
  locked_until: Date | null;
  /** The last checkpoint of a resumable job (JSON). */
  state: ColumnType<unknown, string | null, string | null>;
  progress_done: Generated<number>;
  progress_total: number | null;
  result: ColumnType<unknown, string | null, string | null>;
  last_error: string | null;
  created_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface QueueTables {
  jobs: JobsTable;
}
