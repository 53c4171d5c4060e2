// CSV contact import end to end: a generated file of --size people through the production path
// (upload → start → the import job, as `renmai import contacts` runs it), on PGlite and PostgreSQL.
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'kysely';
import pino from 'pino';
import { createCustomField } from '../../src/domains/contacts/index.js';
import { importContactsFromFile, importPhases, phaseTimes, resetPhaseTimes } from '../../src/domains/imports/index.js';
import { createAdmin, createWorkspace, operatorActor } from '../../src/domains/workspaces/index.js';
import { generatePeople } from '../generate/index.js';
import { watchBackendCpu } from '../lib/backend-cpu.js';
import { onCleanup } from '../lib/cleanup.js';
import { postgresVersion } from '../lib/databases.js';
import { startBenchServer } from '../lib/server.js';
import type { BenchOptions, BenchResult, Cell } from '../lib/types.js';

export const name = 'import';
export const describe =
  'CSV import of --size generated people (default 100000) through upload + the import job: rows/s end to end, time per phase, peak RSS, created/failed; PGlite at small sizes, PostgreSQL';

const SEED = 20261124;
const DEFAULT_SIZE = 100_000;
const HEADERS = ['姓名', '手机', '邮箱', '公司', '城市', '标签', '微信号', '员工人数', '年度预算', '来源', '兴趣', '生日'];
const MAPPING = {
  姓名: 'name', 手机: 'phone', 邮箱: 'email', 公司: 'company', 城市: 'city', 标签: 'tags',
  微信号: 'custom.wechat_id', 员工人数: 'custom.employees', 年度预算: 'custom.budget', 来源: 'custom.source', 兴趣: 'custom.interests', 生日: 'birthday',
};
const FIELDS = [
  { key: 'wechat_id', label: '微信号', type: 'text' },
  { key: 'employees', label: '员工人数', type: 'number' },
  { key: 'budget', label: '年度预算', type: 'money' },
  { key: 'source', label: '来源', type: 'single_select', options: ['wechat', 'website', 'referral', 'trade_show', 'douyin', 'xiaohongshu', 'cold_call'] },
  { key: 'interests', label: '兴趣', type: 'multi_select', options: ['crm', 'marketing', 'ecommerce', 'analytics', 'ai', 'support', 'payments', 'logistics'] },
] as const;

/** The CSV, streamed to disk with back-pressure (flat memory at any size). Phones are written national for China, E.164 otherwise. */
async function writeCsv(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(stringify([HEADERS]));
  let chunk: string[][] = [];
  const flush = async () => {
    if (!out.write(stringify(chunk))) await once(out, 'drain');
    chunk = [];
  };
  for (const p of generatePeople({ seed: SEED, count: size })) {
    const c = p.customFields;
    chunk.push([
      p.name,
      p.phone ? (p.phone.startsWith('+86') ? p.phone.slice(3) : p.phone) : '',
      p.email ?? '',
      p.company ?? '',
      p.city,
      p.tags.join(','),
      c.wechat_id ?? '',
      c.employees === null ? '' : String(c.employees),
      c.budget ? (c.budget.amountMinor / 100).toFixed(2) : '',
      c.source ?? '',
      c.interests.join(';'),
      c.birthday ?? '',
    ]);
    if (chunk.length >= 5000) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
}

async function benchOne(kind: 'pglite' | 'postgres', options: BenchOptions, file: string): Promise<Record<string, Cell>> {
  options.log(`[${kind}] starting the server`);
  const server = await startBenchServer(kind, options.postgresUrl);
  try {
    const { db, config } = server;
    if (server.databaseName) options.log(`[${kind}] throwaway database ${server.databaseName}`);
    const { workspace } = await createWorkspace(db, null, '导入基准 Import bench');
    await createAdmin(db, config.PASSWORD_SCRYPT_LOG_N, { workspace: workspace.id, email: 'bench-importer@example.test', password: `bench-${Math.random().toString(36).slice(2)}-pw`, name: '王芳' });
    const actor = await operatorActor(db, workspace.id);
    // Diagnostic: what keeping contact_tag_sets in sync costs an import (the statement-level
    // triggers on contact_tags), measured by running without them on the throwaway database.
    if (process.env.BENCH_IMPORT_NO_TAG_SYNC === '1') {
      await sql`alter table contact_tags disable trigger user`.execute(db);
      options.log(`[${kind}] contact_tags triggers disabled (BENCH_IMPORT_NO_TAG_SYNC=1): figures without the tag sets sync`);
    }
    for (const f of FIELDS) await createCustomField(db, actor, { ...f, options: 'options' in f ? [...f.options] : undefined });

    resetPhaseTimes();
    const cpuBefore = process.cpuUsage();
    // Sampled through the run: the job's two connections and any the pool opens on the way.
    const pgWatch = server.databaseUrl ? await watchBackendCpu(server.databaseUrl) : undefined;
    const rssBefore = process.resourceUsage().maxRSS;
    // maxRSS is the process's peak since it started (the server's start-up included); sample the
    // resident set during the import as well, to see what the import itself adds.
    let rssPeak = process.memoryUsage.rss();
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 100);
    let lastLog = 0;
    const started = performance.now();
    const result = await importContactsFromFile(db, config, pino({ level: 'warn' }), actor, {
      file,
      mapping: MAPPING,
      policy: 'skip',
      tags: [],
      onProgress: (done, total) => {
        if (performance.now() - lastLog < 5000) return;
        lastLog = performance.now();
        options.log(`[${kind}] ${done}/${total ?? '?'} rows, ${Math.round(done / ((lastLog - started) / 1000))} rows/s, maxRSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const rowsTotal = result.rowsTotal ?? 0;
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpuBefore);
    const pgCpu = (await pgWatch?.stop()) ?? undefined;
    const phases = phaseTimes();
    const counts = await sql<{ contacts: number; tags: number; timeline: number }>`
      select (select count(*) from contacts where workspace_id = ${workspace.id})::int as contacts,
             (select count(*) from contact_tags where workspace_id = ${workspace.id})::int as tags,
             (select count(*) from timeline_events where workspace_id = ${workspace.id})::int as timeline`.execute(db);
    const c = counts.rows[0]!;
    if (c.contacts !== result.rowsCreated) throw new Error(`${result.rowsCreated} created but ${c.contacts} contacts in the workspace`);
    // The database phases overlap these three (the next batch is read while two run), and each other.
    const jobPhases = (phases.parse + phases.normalise + phases.wait + phases.analyze) / 1000;
    return {
      db: process.env.BENCH_IMPORT_NO_TAG_SYNC === '1' ? `${kind} (no tag sets sync)` : kind,
      rows: rowsTotal,
      'rows/s': Math.round(rowsTotal / seconds),
      seconds: Number(seconds.toFixed(1)),
      created: result.rowsCreated,
      failed: result.rowsFailed,
      skipped: result.rowsSkipped,
      'tag rows': c.tags,
      'timeline rows': c.timeline,
      ...Object.fromEntries(importPhases.map((p) => [`${p} s`, Number((phases[p] / 1000).toFixed(1))])),
      'upload+other s': Number((seconds - jobPhases).toFixed(1)),
      'node CPU s': Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
      'postgres CPU s': pgCpu === undefined ? '' : Number(pgCpu.toFixed(1)),
      'node µs/row': Math.round((cpu.user + cpu.system) / rowsTotal),
      'postgres µs/row': pgCpu === undefined ? '' : Math.round((pgCpu * 1e6) / rowsTotal),
      'peak RSS MB': Math.round(process.resourceUsage().maxRSS / 1024),
      'RSS during MB': Math.round(rssPeak / 2 ** 20),
      'maxRSS before MB': Math.round(rssBefore / 1024),
    };
  } finally {
    options.log(`[${kind}] stopping the server`);
    await server.stop();
  }
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  // bench/run.ts defaults --size to 1000 for every benchmark; an import of 1000 rows says little.
  const size = process.argv.includes('--size') ? options.size : DEFAULT_SIZE;
  const notes: string[] = [];
  const version = options.db === 'pglite' ? null : await postgresVersion(options.postgresUrl);
  if (options.db === 'postgres' && !version) throw new Error(`No PostgreSQL server answers at ${options.postgresUrl}`);
  const kinds: Array<'pglite' | 'postgres'> = options.db === 'postgres' ? ['postgres'] : version ? ['pglite', 'postgres'] : ['pglite'];
  if (version) notes.push(`PostgreSQL ${version}`);

  const dir = mkdtempSync(join(tmpdir(), 'renmai-import-bench-'));
  const removeDir = onCleanup(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  try {
    const file = join(dir, 'people.csv');
    const t0 = performance.now();
    await writeCsv(file, size);
    options.log(`CSV of ${size} people (${(statSync(file).size / 2 ** 20).toFixed(1)} MB) written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    notes.push(`${size} generated people (seed ${SEED}), ${(statSync(file).size / 2 ** 20).toFixed(1)} MB, ${HEADERS.length} columns: name, phone, e-mail, company, city, tags, 5 custom fields, birthday; policy skip, empty workspace`);
    notes.push('phases are wall-clock sums inside the job (database time included); two batches run at once on two connections, so the database phases overlap each other and parse/normalise/wait; order = a batch waiting for the one before it to commit; analyze runs between batches; upload+other = copying the upload, counting rows, start, finish');
    notes.push('node CPU = this process (upload, parse, normalise, the driver); postgres CPU = the backends serving the bench database (PostgreSQL on this host only): on a busy machine they say more than the wall clock');
    notes.push(`load average before the run: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
    const rows: Array<Record<string, Cell>> = [];
    for (const kind of kinds) rows.push(await benchOne(kind, options, file));
    notes.push(`load average after the run: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
    return { rows, notes };
  } finally {
    await removeDir();
  }
}
