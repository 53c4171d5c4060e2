// Contact imports: upload a CSV or an .xlsx, preview the mapping, start the job, follow it, read the report.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Config } from '../../config.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError, conflict, invalid, notFound } from '../../platform/http/errors.js';
import { toPage } from '../../platform/http/pagination.js';
import { enqueue } from '../../platform/queue/index.js';
import { detectDelimiter, saveUpload } from './csv.js';
import { importContactsJob } from './job.js';
import { checkMapping, headersKey, suggestMapping, type Mapping } from './mapping.js';
import { normaliseRow } from './normalise-row.js';
import { formatOf, readHead, type FileFormat } from './rows.js';
import { existingTagIds, loadLookup } from './queries/contacts-bulk.js';
import * as store from './store.js';
import type { DedupePolicy } from './tables.js';
import { sniff } from './xlsx.js';

export const SAMPLE_ROWS = 10;
export const PREVIEW_ROWS = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const toImport = (r: store.ImportRow) => ({
  id: r.id,
  fileName: r.file_name,
  fileSize: r.file_size,
  fileKind: r.file_kind,
  headers: r.headers,
  mapping: r.mapping,
  policy: r.policy,
  tagIds: r.tag_ids,
  status: r.status,
  jobId: r.job_id,
  rowsTotal: r.rows_total ?? r.progress_total ?? null,
  rowsDone: r.progress_done ?? 0,
  rowsCreated: r.rows_created,
  rowsUpdated: r.rows_updated,
  rowsSkipped: r.rows_skipped,
  rowsFailed: r.rows_failed,
  error: r.error,
  createdBy: r.created_by,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});
export type ImportView = ReturnType<typeof toImport>;

async function existing(db: Db, actor: Actor, id: string) {
  if (!UUID.test(id)) throw notFound('Import');
  const row = await store.findImport(db, actor.workspaceId, id);
  if (!row) throw notFound('Import');
  return row;
}

/** A file that cannot be imported: 400 with the file's problem; `reason` says which, for clients. */
const badFile = (message: string, reason?: 'xlsx_encrypted' | 'xlsx_invalid') =>
  new AppError('validation_failed', message, { details: { errors: [{ path: 'file', message }], ...(reason ? { reason } : {}) } });

/** Header cells trimmed; an empty one is named by its position; a repeated one is refused. */
function cleanHeaders(cells: string[]): string[] {
  const headers = cells.map((c, i) => c.trim() || `column ${i + 1}`);
  const seen = new Set<string>();
  for (const h of headers) {
    if (seen.has(h)) throw badFile(`The column "${h}" appears twice in the header row`);
    seen.add(h);
  }
  return headers;
}

export interface Upload {
  fileName: string;
  stream: Readable;
  /** True once the stream ended because the size limit was reached. */
  truncated(): boolean;
}

/** Stores the file under DATA_DIR/uploads/<workspace>/<import id>, reads its header and sample rows. */
export async function uploadImport(db: Db, config: Config, actor: Actor, upload: Upload) {
  requireAccess(actor, 'contacts:import');
  const id = randomUUID();
  const dir = resolve(config.DATA_DIR, 'uploads', actor.workspaceId);
  const path = join(dir, id);
  await mkdir(dir, { recursive: true });
  try {
    const saved = await saveUpload(upload.stream, path);
    if (upload.truncated()) throw new AppError('payload_too_large', `The file is larger than ${config.IMPORT_MAX_BYTES} bytes`);
    if (saved.size === 0) throw badFile('The file is empty');
    const kind = sniff(saved.head, upload.fileName);
    if (kind === 'encrypted_or_xls') {
      throw badFile('This workbook is password-protected or in the old .xls format: save it as .xlsx without a password, or as CSV (UTF-8)', 'xlsx_encrypted');
    }
    if (kind === 'not_xlsx') throw badFile('This file is named .xlsx but is not an Excel workbook', 'xlsx_invalid');
    if (kind === 'text' && saved.head.includes(0)) throw badFile('This is not a text (CSV) file or an Excel (.xlsx) workbook');
    const format: FileFormat = kind === 'xlsx' ? { kind: 'xlsx' } : { kind: 'csv', encoding: saved.encoding, delimiter: detectDelimiter(saved.head, saved.encoding) };
    const head = await readHead(path, format, SAMPLE_ROWS).catch((error: unknown) => {
      const why = error instanceof Error ? error.message : String(error);
      throw format.kind === 'xlsx' ? badFile(`The file could not be read as an Excel workbook: ${why}`, 'xlsx_invalid') : badFile(`The file could not be read as CSV: ${why}`);
    });
    if (!head.headers.length) throw badFile('The file has no header row');
    const headers = cleanHeaders(head.headers);
    const [remembered, lookup] = await Promise.all([store.findMapping(db, actor.workspaceId, headersKey(headers)), loadLookup(db, actor.workspaceId)]);
    const suggestedMapping = remembered && Object.keys(remembered).every((h) => headers.includes(h)) ? remembered : suggestMapping(headers, lookup.fields);
    await inTransaction(db, async (tx) => {
      await store.insertImport(tx, actor.workspaceId, {
        id, createdBy: actor.memberId, fileName: upload.fileName, filePath: path, fileSize: saved.size, headers,
        ...(format.kind === 'csv' ? { fileKind: 'csv', encoding: format.encoding, delimiter: format.delimiter } : { fileKind: 'xlsx', encoding: 'utf-8', delimiter: ',' }),
      });
      await recordAudit(tx, actor, { action: 'import.uploaded', entityType: 'import', entityId: id, after: { fileName: upload.fileName, size: saved.size, kind: format.kind, ...(format.kind === 'csv' ? { encoding: format.encoding } : {}) } });
    });
    const row = (await store.findImport(db, actor.workspaceId, id))!;
    return {
      ...toImport(row),
      sampleRows: head.records.map((r) => headers.map((_, i) => r.cells[i] ?? '')),
      suggestedMapping,
      encoding: format.kind === 'csv' ? format.encoding : 'xlsx',
    };
  } catch (error) {
    await rm(path, { force: true });
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('payload_too_large', `The file is larger than ${config.IMPORT_MAX_BYTES} bytes`);
    }
    throw error;
  }
}

async function checkedMapping(db: Db, actor: Actor, headers: string[], mapping: Mapping) {
  const lookup = await loadLookup(db, actor.workspaceId);
  const errors = checkMapping(mapping, headers, lookup.fields);
  if (errors.length) throw invalid(errors, 'The mapping is not valid');
  return lookup;
}

/** The first rows as the import would read them, each with its per-column problems. */
export async function previewImport(db: Db, actor: Actor, id: string, mapping: Mapping) {
  requireAccess(actor, 'contacts:import');
  const imp = await existing(db, actor, id);
  const lookup = await checkedMapping(db, actor, imp.headers, mapping);
  const head = await readHead(imp.file_path, formatOf(imp), PREVIEW_ROWS);
  return {
    rows: head.records.map((r) => {
      const row = normaliseRow(r.line, r.cells, imp.headers, mapping, lookup);
      return { line: row.line, values: row.values, errors: row.errors };
    }),
  };
}

export async function startImport(db: Db, actor: Actor, id: string, input: { mapping: Mapping; policy: DedupePolicy; tagIds?: string[] }, options: { batchSize?: number } = {}) {
  requireAccess(actor, 'contacts:import');
  const imp = await existing(db, actor, id);
  if (imp.status !== 'uploaded') throw conflict(`This import is ${imp.status}; upload the file again to run it again`);
  await checkedMapping(db, actor, imp.headers, input.mapping);
  const tagIds = [...new Set(input.tagIds ?? [])];
  const found = new Set(await existingTagIds(db, actor.workspaceId, tagIds));
  const missing = tagIds.map((t, i) => ({ t, i })).filter(({ t }) => !found.has(t));
  if (missing.length) throw invalid(missing.map(({ i }) => ({ path: `tagIds.${i}`, message: 'No such tag' })));
  // Only mapped columns are kept: the stored mapping then reads the same for any later header set.
  const mapping = Object.fromEntries(imp.headers.map((h) => [h, input.mapping[h] ?? 'ignore']));
  const jobId = await inTransaction(db, async (tx) => {
    const job = await enqueue(tx, importContactsJob, { workspaceId: actor.workspaceId, importId: id, ...(options.batchSize ? { batchSize: options.batchSize } : {}) });
    if (!(await store.queueImport(tx, actor.workspaceId, id, { mapping, policy: input.policy, tagIds, jobId: job }))) {
      throw conflict('This import has already been started');
    }
    await store.saveMapping(tx, actor.workspaceId, headersKey(imp.headers), mapping);
    await recordAudit(tx, actor, { action: 'import.started', entityType: 'import', entityId: id, after: { mapping, policy: input.policy, tagIds } });
    return job;
  });
  return { import: toImport((await store.findImport(db, actor.workspaceId, id))!), jobId };
}

export async function getImport(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'contacts:import');
  return toImport(await existing(db, actor, id));
}

export async function listImports(db: Db, actor: Actor, page: { cursor?: string; limit: number }) {
  requireAccess(actor, 'contacts:import');
  const rows = await store.listImports(db, actor.workspaceId, page.cursor, page.limit);
  return toPage(rows, page.limit, (r) => [r.created_at.toISOString(), r.id], toImport);
}

/** The error report as CSV (line, column, reason), UTF-8 with a BOM so Excel reads it right; streamed in pages. */
export async function importErrorsCsv(db: Db, actor: Actor, id: string): Promise<{ fileName: string; chunks: AsyncGenerator<string> }> {
  requireAccess(actor, 'contacts:import');
  const imp = await existing(db, actor, id);
  async function* chunks() {
    yield '\uFEFF' + stringify([['line', 'column', 'reason']]);
    let after: { line: number; column: string } | null = null;
    for (;;) {
      const page = await store.errorPage(db, actor.workspaceId, imp.id, after, 1000);
      if (!page.length) return;
      yield stringify(page.map((e) => [e.line, e.column_name, e.reason]));
      const last = page.at(-1)!;
      after = { line: last.line, column: last.column_name };
    }
  }
  return { fileName: `${imp.file_name.replace(/\.[^.]*$/, '')}-errors.csv`, chunks: chunks() };
}
