// The job queue: a lean `FOR UPDATE SKIP LOCKED` queue in the application's own database.
// pg-boss and graphile-worker both need a PostgreSQL server they can hold extra connections and
// LISTEN on; the embedded PGlite is one in-process connection, and one code path must serve both.
export { defineJob, createJobRegistry, queueNames } from './define.js';
export type { AnyJobDefinition, JobContext, JobDefinition, JobInfo, JobRegistry, QueueName } from './define.js';
export { enqueue, enqueueMany, JOBS_CHANNEL } from './enqueue.js';
export type { EnqueueOptions } from './enqueue.js';
export { createWorker } from './worker.js';
export type { Listen, Worker, WorkerOptions } from './worker.js';
export { LeaseLostError } from './run-job.js';
export { runJobNow } from './run-now.js';
export { defaultBackoff, retryDelayMs } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export { getJob, listJobs, retryJob } from './read.js';
export type { JobListFilter, JobView } from './read.js';
export type { JobStatus } from './tables.js';
