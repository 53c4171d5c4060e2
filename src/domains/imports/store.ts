// SQL for the imports tables only; every function takes the workspace first.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { afterNewestFirst } from '../../platform/http/pagination.js';
import type { DedupePolicy, FileEncoding, FileKind, ImportStatus } from './tables.js';

const columns = [
  'i.id', 'i.created_by', 'i.file_name', 'i.file_path', 'i.file_size', 'i.headers', 'i.mapping', 'i.policy', 'i.tag_ids',
  'i.status', 'i.job_id', 'i.rows_total', 'i.rows_created', 'i.rows_updated', 'i.rows_skipped', 'i.rows_failed',
  'i.created_at', 'i.finished_at', 'i.file_kind', 'i.encoding', 'i.delimiter', 'i.error',
] as const;

const withProgress = (db: Db, workspaceId: string) =>
  db
    .selectFrom('imports as i')
    .leftJoin('jobs as j', (join) => join.onRef('j.workspace_id', '=', 'i.workspace_id').onRef('j.id', '=', 'i.job_id'))
    .select([...columns, 'j.progress_done', 'j.progress_total'])
    .where('i.workspace_id', '=', workspaceId);

export type ImportRow = NonNullable<Awaited<ReturnType<typeof findImport>>>;

export const findImport = (db: Db, workspaceId: string, id: string) => withProgress(db, workspaceId).where('i.id', '=', id).executeTakeFirst();

export const listImports = (db: Db, workspaceId: string, cursor: string | undefined, limit: number) => {
  const after = afterNewestFirst('i.created_at', 'i.id', cursor);
  return withProgress(db, workspaceId)
    .$if(after !== undefined, (q) => q.where(after!))
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(limit + 1)
    .execute();
};

export async function insertImport(
  db: Db,
  workspaceId: string,
  v: { id: string; createdBy: string; fileName: string; filePath: string; fileSize: number; headers: string[]; fileKind: FileKind; encoding: FileEncoding; delimiter: string },
) {
  await db
    .insertInto('imports')
    .values({
      workspace_id: workspaceId,
      id: v.id,
      created_by: v.createdBy,
      file_name: v.fileName,
      file_path: v.filePath,
      file_size: v.fileSize,
      headers: v.headers,
      file_kind: v.fileKind,
      encoding: v.encoding,
      delimiter: v.delimiter,
    })
    .execute();
}

/** Moves an uploaded import to queued with its settings; false if it was not waiting to start. */
export async function queueImport(db: Db, workspaceId: string, id: string, v: { mapping: Record<string, string>; policy: DedupePolicy; tagIds: string[]; jobId: string }) {
  const r = await db
    .updateTable('imports')
    .set({ mapping: JSON.stringify(v.mapping), policy: v.policy, tag_ids: v.tagIds, job_id: v.jobId, status: 'queued' })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'uploaded')
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function setStatus(db: Db, workspaceId: string, id: string, status: ImportStatus, error: string | null = null) {
  await db
    .updateTable('imports')
    .set({ status, error, ...(status === 'done' || status === 'failed' ? { finished_at: sql<Date>`now()` } : {}) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function addCounts(db: Db, workspaceId: string, id: string, c: { created: number; updated: number; skipped: number; failed: number }) {
  await db
    .updateTable('imports')
    .set((eb) => ({
      rows_created: eb('rows_created', '+', c.created),
      rows_updated: eb('rows_updated', '+', c.updated),
      rows_skipped: eb('rows_skipped', '+', c.skipped),
      rows_failed: eb('rows_failed', '+', c.failed),
    }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Whether the member is active in the workspace (new contacts' default owner). */
export async function isActiveMember(db: Db, workspaceId: string, memberId: string) {
  const row = await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).where('id', '=', memberId).where('status', '=', 'active').executeTakeFirst();
  return row !== undefined;
}

export async function finishImport(db: Db, workspaceId: string, id: string, rowsTotal: number) {
  await db
    .updateTable('imports')
    .set({ status: 'done', rows_total: rowsTotal, finished_at: sql<Date>`now()`, error: null })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
  await db.deleteFrom('import_row_keys').where('workspace_id', '=', workspaceId).where('import_id', '=', id).execute();
}

export async function insertErrors(db: Db, workspaceId: string, importId: string, errors: Array<{ line: number; column: string; reason: string }>) {
  if (!errors.length) return;
  await sql`
    insert into import_errors (workspace_id, import_id, line, column_name, reason)
    select ${workspaceId}, ${importId}, e.line, e.column_name, e.reason
    from unnest(${errors.map((e) => e.line)}::int[], ${errors.map((e) => e.column)}::text[], ${errors.map((e) => e.reason)}::text[]) as e(line, column_name, reason)
    on conflict do nothing`.execute(db);
}

/** One page of the error report in file order, after (line, column). */
export const errorPage = (db: Db, workspaceId: string, importId: string, after: { line: number; column: string } | null, limit: number) =>
  db
    .selectFrom('import_errors')
    .select(['line', 'column_name', 'reason'])
    .where('workspace_id', '=', workspaceId)
    .where('import_id', '=', importId)
    .$if(after !== null, (q) => q.where(sql<boolean>`(line, column_name) > (${after!.line}, ${after!.column})`))
    .orderBy('line')
    .orderBy('column_name')
    .limit(limit)
    .execute();

/** Whether an earlier run of the import recorded keys (a resumed run starts from what committed). */
export async function hasRowKeys(db: Db, workspaceId: string, importId: string) {
  const row = await db.selectFrom('import_row_keys').select('key').where('workspace_id', '=', workspaceId).where('import_id', '=', importId).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function insertRowKeys(db: Db, workspaceId: string, importId: string, keys: Array<{ key: string; line: number }>) {
  if (!keys.length) return;
  await sql`
    insert into import_row_keys (workspace_id, import_id, key, line)
    select ${workspaceId}, ${importId}, k.key, k.line
    from unnest(${keys.map((k) => k.key)}::text[], ${keys.map((k) => k.line)}::int[]) as k(key, line)
    on conflict do nothing`.execute(db);
}

export const findMapping = async (db: Db, workspaceId: string, headersKey: string) =>
  (await db.selectFrom('import_mappings').select('mapping').where('workspace_id', '=', workspaceId).where('headers_key', '=', headersKey).executeTakeFirst())?.mapping;

export async function saveMapping(db: Db, workspaceId: string, headersKey: string, mapping: Record<string, string>) {
  await db
    .insertInto('import_mappings')
    .values({ workspace_id: workspaceId, headers_key: headersKey, mapping: JSON.stringify(mapping) })
    .onConflict((oc) => oc.columns(['workspace_id', 'headers_key']).doUpdateSet({ mapping: JSON.stringify(mapping), updated_at: sql<Date>`now()` }))
    .execute();
}

/**
 * Makes `importId` the import that writes contacts in the workspace, for this transaction
 * (import_turns). While it already is, the row is only share-locked, so the import's batches run
 * side by side; otherwise the row is taken over, which waits until the other import's batches in
 * flight have committed. A share lock is taken only on a row naming this import, never upgraded.
 */
export async function takeImportTurn(tx: Db, workspaceId: string, importId: string) {
  const share = async () =>
    (await sql`select 1 from import_turns where workspace_id = ${workspaceId} and import_id = ${importId} for share`.execute(tx)).rows.length > 0;
  if (await share()) return;
  // The workspace's first import makes the row (waiting for a concurrent first insert to settle).
  await sql`insert into import_turns (workspace_id, import_id) values (${workspaceId}, ${importId}) on conflict (workspace_id) do nothing`.execute(tx);
  if (await share()) return;
  await sql`update import_turns set import_id = ${importId} where workspace_id = ${workspaceId}`.execute(tx);
}
