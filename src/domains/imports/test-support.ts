// Helpers for the import tests: a multipart upload through the real HTTP stack, and a worker
// that runs the import job to its end.
import { createWorker, createJobRegistry, type AnyJobDefinition } from '../../platform/queue/index.js';
import { getJob } from '../../platform/queue/index.js';
import { silentLogger, waitFor } from '../../platform/queue/test-support.js';
import type { Db } from '../../platform/db/connect.js';
import type { Client } from '../../../test/support/app.js';

export function multipart(fileName: string, content: string | Buffer, field = 'file') {
  const boundary = `----renmai${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function upload(client: Client, fileName: string, content: string | Buffer) {
  const { body, headers } = multipart(fileName, content);
  return client.request('POST', '/api/v1/imports', body, headers);
}

/** Runs queued jobs of these definitions until the job is done or dead. */
export async function runToEnd(db: Db, workspaceId: string, jobId: string, defs: AnyJobDefinition[]) {
  const worker = createWorker({ db, logger: silentLogger, registry: createJobRegistry(defs), concurrency: 1, pollMs: 50, backoff: { baseMs: 1, capMs: 2 } });
  return waitFor(async () => {
    await worker.runOnce();
    const job = await getJob(db, workspaceId, jobId);
    return job && (job.status === 'done' || job.status === 'dead') ? job : undefined;
  }, `import job ${jobId} to finish`);
}
