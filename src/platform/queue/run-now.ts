// Runs one job in this process right away, with the same lease, checkpoints and outcome handling
// as a worker: for CLI commands that enqueue work and show its progress (`renmai import`). The
// job is enqueued first, so if this process dies a worker resumes it from its last checkpoint.
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';
import { defaultBackoff } from './backoff.js';
import type { AnyJobDefinition } from './define.js';
import { runJob } from './run-job.js';
import { claimJob } from './store.js';

/** False when the job was not queued (another worker has it, or it already ran). */
export async function runJobNow(db: Db, logger: Logger, def: AnyJobDefinition, workspaceId: string, jobId: string, leaseMs = 30_000): Promise<boolean> {
  const workerId = `${hostname()}:${process.pid}:now`;
  const row = await claimJob(db, workspaceId, jobId, workerId, leaseMs);
  if (!row) return false;
  await runJob(row, def, { db, logger, workerId, leaseMs, heartbeatMs: Math.floor(leaseMs / 3), backoff: defaultBackoff });
  return true;
}
