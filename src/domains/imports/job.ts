// The import job: streams the file in batches; each batch's writes and the checkpoint (the file
// line reached) commit in one transaction, so a run that dies resumes after the last committed
// batch — nothing half-imported, nothing twice.
import { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { defineJob, type JobContext } from '../../platform/queue/index.js';
import { applyBatch, type ImportSettings } from './batch.js';
import { countRows, formatOf, readRecordChunks } from './rows.js';
import { rowNormaliser, type NormalisedRow } from './normalise-row.js';
import { analyzeContactTables, loadLookup, statisticsOutgrown } from './queries/contacts-bulk.js';
import * as store from './store.js';
import { lap } from './timing.js';

export const BATCH_SIZE = 10_000;
/** Batches in flight at once, each on its own connection. */
const LANES = 2;

const payload = z.object({
  workspaceId: z.uuid(),
  importId: z.uuid(),
  /** Rows per transaction; tests use small batches to cut a run between checkpoints. */
  batchSize: z.number().int().min(1).max(20_000).optional(),
});
export type ImportPayload = z.output<typeof payload>;

export interface ImportState {
  /** The last file line whose batch committed. */
  line: number;
  /** Data rows read so far (the progress bar's done). */
  done: number;
  /** Batches committed (numbers the imports.contacts.created events). */
  batches?: number;
  finished?: boolean;
}

export interface ImportSummary {
  importId: string;
  rowsTotal: number;
  rowsCreated: number;
  rowsUpdated: number;
  rowsSkipped: number;
  rowsFailed: number;
}

async function summary(db: Db, workspaceId: string, importId: string): Promise<ImportSummary> {
  const row = (await store.findImport(db, workspaceId, importId))!;
  return {
    importId,
    rowsTotal: row.rows_total ?? 0,
    rowsCreated: row.rows_created,
    rowsUpdated: row.rows_updated,
    rowsSkipped: row.rows_skipped,
    rowsFailed: row.rows_failed,
  };
}

export async function runImport(ctx: JobContext<ImportState>, p: ImportPayload): Promise<ImportSummary> {
  const { db } = ctx;
  const imp = await store.findImport(db, p.workspaceId, p.importId);
  if (!imp) throw new Error(`Import ${p.importId} not found`);
  if (ctx.state?.finished || imp.status === 'done') return summary(db, p.workspaceId, p.importId);
  if (!imp.mapping) throw new Error(`Import ${p.importId} has no mapping`);

  const settings: ImportSettings = {
    workspaceId: p.workspaceId,
    importId: p.importId,
    headers: imp.headers,
    mapping: imp.mapping,
    policy: imp.policy,
    tagIds: imp.tag_ids,
    createdBy: imp.created_by,
    defaultOwner: imp.created_by && (await store.isActiveMember(db, p.workspaceId, imp.created_by)) ? imp.created_by : null,
    rememberedKeys: await store.hasRowKeys(db, p.workspaceId, p.importId),
  };
  const lookup = await loadLookup(db, p.workspaceId);
  const normalise = rowNormaliser(imp.headers, imp.mapping, lookup);
  await store.setStatus(db, p.workspaceId, p.importId, 'running');
  const format = formatOf(imp);
  const total = await countRows(imp.file_path, format);
  let { line: committedLine, done, batches = 0 } = ctx.state ?? { line: 1, done: 0 };
  await ctx.progress(done, Math.max(total, done));

  // Batches are read and normalised while up to LANES earlier ones run, each in its own
  // transaction on its own connection (on PGlite, one connection, they run one after the other).
  // A batch's transaction commits only after the one before it (batch.ts, BatchOrder), so
  // checkpoints stay in file order and a failure stops every later batch from committing.
  const size = p.batchSize ?? BATCH_SIZE;
  let read = done;
  let previous: { decided: Promise<ReadonlyMap<string, number> | undefined>; committed: Promise<unknown> } = {
    decided: Promise.resolve(undefined),
    committed: Promise.resolve(),
  };
  const running: Array<Promise<void>> = [];
  let started = batches;
  let created = 0; // by this run, committed
  let inFlight = 0; // rows of batches not committed yet
  const start = (rows: NormalisedRow[]) => {
    const last = rows.at(-1)!.line;
    read += rows.length;
    const upTo = read;
    const n = ++started;
    const before = previous;
    inFlight += rows.length;
    let decided!: (used: ReadonlyMap<string, number>) => void;
    const decision = new Promise<ReadonlyMap<string, number>>((resolve) => (decided = resolve));
    const committed = (async () => {
      let t = 0;
      await inTransaction(db, async (tx) => {
        const counts = await applyBatch(tx, settings, rows, n, { previousDecided: before.decided, previousCommitted: before.committed, decided });
        created += counts.created;
        t = performance.now();
        await store.addCounts(tx, p.workspaceId, p.importId, counts);
        await ctx.checkpoint({ line: last, done: upTo, batches: n }, upTo, tx);
      });
      lap('checkpoint', t); // with the commit
      inFlight -= rows.length;
      committedLine = last;
      done = upTo;
      batches = n;
    })();
    // A batch that fails before deciding its rows fails the next one too (it awaits `decided`).
    previous = { decided: Promise.race([decision, committed.then(() => decision)]), committed };
    previous.decided.catch(() => undefined);
    committed.catch(() => undefined); // awaited in `running` order; no unhandled rejection meanwhile
    running.push(committed);
  };
  const settle = async (lanes: number) => {
    const t = performance.now();
    while (running.length > lanes) await running.shift();
    lap('wait', t);
  };
  // Statistics first when the rows this run may have created outgrow them, with no batch in
  // flight: a batch's key probes are planned on them, and rows in flight are not counted by them.
  const next = async (rows: NormalisedRow[]) => {
    if (await statisticsOutgrown(db, created + inFlight + rows.length)) {
      await settle(0);
      const t = performance.now();
      await analyzeContactTables(db);
      lap('analyze', t);
    }
    await settle(LANES - 1);
    start(rows);
  };

  let batch: NormalisedRow[] = [];
  try {
    let reading = performance.now();
    let header = true;
    for await (const chunk of readRecordChunks(imp.file_path, format, { signal: ctx.signal })) {
      let t = lap('parse', reading);
      for (const record of chunk) {
        // The header is the first non-blank record, not always line 1 (a sheet may start lower).
        if (header) {
          header = false;
          continue;
        }
        if (record.line <= committedLine) continue; // batches a previous run committed
        batch.push(normalise(record.line, record.cells));
        if (batch.length >= size) {
          lap('normalise', t);
          await next(batch);
          batch = [];
          t = performance.now();
        }
      }
      reading = lap('normalise', t);
    }
    lap('parse', reading);
    if (batch.length) await next(batch);
    await settle(0);
  } catch (error) {
    await Promise.allSettled(running);
    throw error;
  }

  await inTransaction(db, async (tx) => {
    await store.finishImport(tx, p.workspaceId, p.importId, done);
    const result = await summary(tx, p.workspaceId, p.importId);
    await recordAudit(tx, { workspaceId: p.workspaceId, memberId: imp.created_by, apiKeyId: null }, {
      action: 'import.completed',
      entityType: 'import',
      entityId: p.importId,
      after: { fileName: imp.file_name, policy: imp.policy, ...result },
    });
    await emit(tx, p.workspaceId, 'imports.import.completed', { ...result, fileName: imp.file_name, policy: imp.policy });
    await ctx.checkpoint({ line: committedLine, done, batches, finished: true }, done, tx);
  });
  await ctx.progress(done, done);
  return summary(db, p.workspaceId, p.importId);
}

export const importContactsJob = defineJob<typeof payload, ImportState>({
  name: 'imports.contacts',
  queue: 'bulk',
  payload,
  maxAttempts: 5,
  async handler(ctx, p) {
    try {
      return await runImport(ctx, p);
    } catch (error) {
      // The last attempt: the import will not be retried, so say why on the import itself.
      if (ctx.job.attempt >= ctx.job.maxAttempts) {
        await store.setStatus(ctx.db, p.workspaceId, p.importId, 'failed', error instanceof Error ? error.message : String(error));
      }
      throw error;
    }
  },
});
