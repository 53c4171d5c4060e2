// `renmai import contacts FILE`: the same upload → start → job path as the console, run in this
// process so the operator sees the progress; the job row makes it resumable if the process dies.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError, invalid } from '../../platform/http/errors.js';
import { getJob, runJobNow } from '../../platform/queue/index.js';
import { importContactsJob } from './job.js';
import type { Mapping } from './mapping.js';
import { resolveTags } from './queries/contacts-bulk.js';
import { getImport, startImport, uploadImport, type ImportView } from './service.js';
import type { DedupePolicy } from './tables.js';

export interface CliImportOptions {
  file: string;
  mapping: Mapping;
  policy: DedupePolicy;
  /** Tag names for every imported contact; missing ones are created in the "导入 Imported" group. */
  tags: string[];
  batchSize?: number;
  onProgress?: (done: number, total: number | null) => void;
}

export async function importContactsFromFile(db: Db, config: Config, logger: Logger, actor: Actor, o: CliImportOptions): Promise<ImportView> {
  const info = await stat(o.file).catch(() => undefined);
  if (!info?.isFile()) throw invalid([{ path: 'file', message: `No such file: ${o.file}` }], `No such file: ${o.file}`);
  const stream = createReadStream(o.file);
  const uploaded = await uploadImport(db, config, actor, { fileName: basename(o.file), stream, truncated: () => false });
  const unknown = Object.keys(o.mapping).filter((h) => !uploaded.headers.includes(h));
  if (unknown.length) throw invalid(unknown.map((h) => ({ path: `mapping.${h}`, message: 'No such column in the file' })), `The mapping names columns the file does not have: ${unknown.join(', ')}`);
  const tagIds = o.tags.length ? [...(await inTransaction(db, (tx) => resolveTags(tx, actor.workspaceId, o.tags))).values()] : [];
  const { jobId } = await startImport(db, actor, uploaded.id, { mapping: o.mapping, policy: o.policy, tagIds }, { batchSize: o.batchSize });

  let running = true;
  const watch = (async () => {
    while (running) {
      const job = await getJob(db, actor.workspaceId, jobId);
      if (job) o.onProgress?.(job.progress.done, job.progress.total);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  try {
    await runJobNow(db, logger, importContactsJob, actor.workspaceId, jobId);
  } finally {
    running = false;
    await watch;
  }
  const job = await getJob(db, actor.workspaceId, jobId);
  if (job) o.onProgress?.(job.progress.done, job.progress.total);
  const result = await getImport(db, actor, uploaded.id);
  if (result.status !== 'done') {
    const retry = job?.status === 'queued' ? ' (the job will be retried by a worker from its last checkpoint)' : '';
    throw new AppError('internal', `Import ${result.id} did not finish: ${job?.lastError ?? result.error ?? result.status}${retry}`);
  }
  return result;
}
