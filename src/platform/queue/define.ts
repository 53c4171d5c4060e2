// Typed job definitions: a name, a Zod payload that always carries the workspace, a handler and
// a retry policy. Queues are named by latency budget, not by feature (STYLE.md §11).
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Db } from '../db/connect.js';
import type { Tx } from '../db/transaction.js';

export const queueNames = ['realtime', 'within-5s', 'bulk'] as const;
export type QueueName = (typeof queueNames)[number];

export type JobPayloadSchema = z.ZodType<{ workspaceId: string }>;

export interface JobInfo {
  id: string;
  workspaceId: string;
  name: string;
  queue: QueueName;
  /** 1 on the first run; a run after a lapsed lease or a failure counts again. */
  attempt: number;
  maxAttempts: number;
}

export interface JobContext<State = unknown> {
  /** The job's transaction for `transactional` jobs, the plain database otherwise. */
  db: Db;
  logger: Logger;
  job: JobInfo;
  /** The last checkpointed state when this run resumes an interrupted one. */
  state: State | undefined;
  /** Aborted when this worker has lost the job (its lease lapsed and another worker took it). */
  signal: AbortSignal;
  progress(done: number, total?: number): Promise<void>;
  /**
   * Persists `state` and `done`. Pass the transaction that wrote a batch's effects so the batch and
   * its checkpoint commit together: a resumed run then never repeats a committed batch.
   * Throws LeaseLostError (rolling back that transaction) if another worker owns the job now.
   */
  checkpoint(state: State, done: number, tx?: Tx): Promise<void>;
}

export interface JobDefinition<S extends JobPayloadSchema = JobPayloadSchema, State = unknown> {
  name: string;
  queue: QueueName;
  payload: S;
  maxAttempts: number;
  /** Run the handler and the job's completion in one transaction (its database effect happens once). */
  transactional?: boolean;
  handler(ctx: JobContext<State>, payload: z.output<S>): Promise<unknown>;
}

// The registry holds definitions of every payload type; `any` here is only the erased generic.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any, any>;

export function defineJob<S extends JobPayloadSchema, State = unknown>(def: JobDefinition<S, State>): JobDefinition<S, State> {
  if (!Number.isInteger(def.maxAttempts) || def.maxAttempts < 1) throw new Error(`Job ${def.name}: maxAttempts must be a positive integer`);
  return def;
}

export type JobRegistry = ReadonlyMap<string, AnyJobDefinition>;

export function createJobRegistry(defs: readonly AnyJobDefinition[]): JobRegistry {
  const registry = new Map<string, AnyJobDefinition>();
  for (const def of defs) {
    if (registry.has(def.name)) throw new Error(`Job ${def.name} is defined twice`);
    registry.set(def.name, def);
  }
  return registry;
}
