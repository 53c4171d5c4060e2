// CSV export of every contact a filter matches, as a job: rows are read in id order in chunks
// and streamed to a file (memory stays flat), then downloaded once the job is done. A retried
// job rewrites the file from the start, so a crash never leaves a half file behind as "done".
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import { actorForMember } from '../../platform/auth/sessions.js';
import type { Db } from '../../platform/db/connect.js';
import { AppError, invalid, notFound } from '../../platform/http/errors.js';
import { defineJob, enqueue, getJob } from '../../platform/queue/index.js';
import type { FieldDefinition } from './custom-values.js';
import { listFieldDefinitions } from './custom-fields-store.js';
import { compileContactFilter, contactFilterSchema, type ContactFilter } from './filter.js';

const CHUNK = 5000;

/** The standard columns, in order; custom fields follow, by their position. */
const STANDARD = ['id', 'name', 'phone', 'email', 'company', 'title', 'city', 'region', 'gender', 'birthday', 'stage', 'owner', 'tags', 'created_at', 'last_active_at'] as const;

interface ExportRow {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  company: string | null;
  title: string | null;
  city: string | null;
  region: string | null;
  gender: string;
  birthday: string | null;
  stage: string | null;
  owner: string | null;
  tags: string | null;
  created_at: Date;
  last_active_at: Date | null;
  custom: Record<string, unknown>;
}

function chunk(db: Db, workspaceId: string, where: ReturnType<typeof sql>, after: string | null) {
  return sql<ExportRow>`
    select c.id, c.name, c.phone, c.email, c.company, c.title, c.city, c.region, c.gender, c.birthday,
           s.name as stage, u.name as owner, c.created_at, c.last_active_at, c.custom,
           (select string_agg(t.name, ';' order by t.name) from contact_tags ct
              join tags t on t.workspace_id = ct.workspace_id and t.id = ct.tag_id
              where ct.workspace_id = c.workspace_id and ct.contact_id = c.id) as tags
    from contacts c
    left join stages s on s.workspace_id = c.workspace_id and s.id = c.stage_id
    left join members m on m.workspace_id = c.workspace_id and m.id = c.owner_member_id
    left join users u on u.id = m.user_id
    where c.workspace_id = ${workspaceId} and ${where} ${after ? sql`and c.id > ${after}` : sql``}
    order by c.id limit ${CHUNK}`.execute(db).then((r) => r.rows);
}

const cell = (v: unknown) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.join(';') : String(v));

type Standard = (typeof STANDARD)[number];
const isStandard = (column: string): column is Standard => (STANDARD as readonly string[]).includes(column);

/** The columns asked for (all by default), each known: a standard column or `custom.<key>`. */
function chooseColumns(asked: readonly string[] | undefined, fields: readonly FieldDefinition[]) {
  const all = [...STANDARD, ...fields.map((f) => `custom.${f.key}`)];
  if (!asked?.length) return all;
  const unknown = asked.filter((c) => !all.includes(c));
  if (unknown.length) throw invalid(unknown.map((c) => ({ path: 'columns', message: `Unknown column ${c}` })));
  return [...asked];
}

const valueOf = (row: ExportRow, column: string) => cell(isStandard(column) ? row[column] : row.custom[column.slice('custom.'.length)]);

async function writeCsv(db: Db, actor: Actor, filter: ContactFilter, columns: string[], path: string, progress: (done: number) => Promise<void>) {
  const where = await compileContactFilter(db, actor, filter);
  await mkdir(join(path, '..'), { recursive: true });
  const file = createWriteStream(path);
  const csv = stringify({ bom: true });
  csv.pipe(file);
  csv.write(columns);
  let after: string | null = null;
  let rows = 0;
  for (;;) {
    const batch = await chunk(db, actor.workspaceId, where as ReturnType<typeof sql>, after);
    for (const row of batch) {
      if (!csv.write(columns.map((column) => valueOf(row, column)))) await new Promise((resolve) => csv.once('drain', resolve));
    }
    rows += batch.length;
    await progress(rows);
    if (batch.length < CHUNK) break;
    after = batch.at(-1)!.id;
  }
  csv.end();
  await finished(file);
  return rows;
}

const payload = z.object({ workspaceId: z.uuid(), memberId: z.uuid(), filter: contactFilterSchema, columns: z.array(z.string()), path: z.string() });

export const exportJob = defineJob({
  name: 'contacts.export',
  queue: 'bulk',
  maxAttempts: 3,
  payload,
  async handler(ctx, p) {
    const actor = await actorForMember(ctx.db, p.workspaceId, p.memberId);
    if (!actor) throw new Error('The member who asked for this export is no longer active');
    requireAccess(actor, 'contacts:export');
    const rows = await writeCsv(ctx.db, actor, p.filter, p.columns, p.path, (done) => ctx.progress(done));
    await recordAudit(ctx.db, actor, { action: 'contacts.exported', entityType: 'contact', after: { rows, jobId: ctx.job.id } });
    return { rows };
  },
});

/** Starts an export; the file lands under `exportDir` and is fetched with `exportFile`. */
export async function startExport(db: Db, actor: Actor, input: { filter: ContactFilter; columns?: string[] }, exportDir: string) {
  requireAccess(actor, 'contacts:export');
  const { filter } = input;
  const columns = chooseColumns(input.columns, await listFieldDefinitions(db, actor.workspaceId));
  const where = await compileContactFilter(db, actor, filter);
  const total = Number((await sql<{ n: number }>`select count(*) as n from contacts c where c.workspace_id = ${actor.workspaceId} and ${where}`.execute(db)).rows[0]!.n);
  const path = join(exportDir, actor.workspaceId, `${randomUUID()}.csv`);
  const jobId = await enqueue(db, exportJob, { workspaceId: actor.workspaceId, memberId: actor.memberId, filter, columns, path }, { total });
  return { jobId };
}

/** The finished export's file path, for a caller allowed to export in that workspace. */
export async function exportFile(db: Db, actor: Actor, jobId: string) {
  requireAccess(actor, 'contacts:export');
  const job = await getJob(db, actor.workspaceId, jobId);
  if (!job || job.name !== exportJob.name) throw notFound('Export');
  if (job.status !== 'done') throw new AppError('conflict', 'The export is not ready yet');
  return payload.parse(job.payload).path;
}
