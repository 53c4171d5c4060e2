// The customers targets of the contacts issue, over HTTP against the real server: a filtered
// list's first page and count, page 1,000 by keyset, a batch tag of a ~20% filter result, and
// the first timeline page of a contact with 10,000 events. --size = contacts (events = 10×).
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { operatorActor } from '../../src/domains/workspaces/index.js';
import { createApiKey } from '../../src/platform/auth/api-keys.js';
import { allPermissions } from '../../src/platform/auth/permissions.js';
import { withTimeout } from '../lib/cleanup.js';
import { postgresVersion } from '../lib/databases.js';
import { explain, isDataQuery, recordQueries, type CapturedQuery } from '../lib/explain.js';
import { HEAVY_CONTACT_EVENTS, type LoadedWorkspace } from '../lib/load-contacts.js';
import { startLoadedServer } from '../lib/loaded-server.js';
import type { BenchServer } from '../lib/server.js';
import type { BenchOptions, BenchResult, Cell } from '../lib/types.js';

export const name = 'contacts';
export const describe =
  'Customers at scale over HTTP: filtered list page 1 and count, keyset page 1,000, batch add_tags on ~20% of contacts, timeline page 1 of a 10k-event contact (p50/p95/max of sequential requests); --size = contacts (default 100000), events = 10 × size';

/** bench/run.ts's --size default is 1000; below this the targets mean nothing, so 100k is used. */
const DEFAULT_SIZE = 100_000;
const PAGE = 50;
const KEYSET_PAGE = 1000;
/** Sequential requests per scenario (fewer when a scenario's time budget runs out). */
const REQUESTS = { list: 200, count: 50, keyset: 100, timeline: 200 };
const SCENARIO_BUDGET_MS = 90_000;
const BATCH_BUDGET_MS = 15 * 60_000;
const WALK_BUDGET_MS = 240_000;

type Row = Record<string, Cell>;

interface Api {
  base: string;
  headers: Record<string, string>;
  /** METHOD path → present in the OpenAPI document. */
  has(method: string, path: string): boolean;
}

interface Answer {
  status: number;
  body: unknown;
  ms: number;
}

async function call(api: Api, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(api.base + path, {
    method,
    headers: body === undefined ? api.headers : { ...api.headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed, ms };
}

class RequestFailed extends Error {}

function expectOk(answer: Answer, what: string): Record<string, unknown> {
  if (answer.status < 200 || answer.status > 299) throw new RequestFailed(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`);
  return answer.body as Record<string, unknown>;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

interface Timing {
  n: number;
  'p50 ms': number;
  'p95 ms': number;
  'max ms': number;
}

/** `count` sequential requests after 5 unmeasured ones (JIT, plan caches), within the budget. */
async function timeRequests(count: number, send: () => Promise<Answer>, what: string): Promise<Timing> {
  for (let i = 0; i < 5; i++) expectOk(await send(), what);
  const times: number[] = [];
  const deadline = Date.now() + SCENARIO_BUDGET_MS;
  while (times.length < count && (Date.now() < deadline || times.length < 5)) {
    const answer = await send();
    expectOk(answer, what);
    times.push(answer.ms);
  }
  times.sort((a, b) => a - b);
  return { n: times.length, 'p50 ms': round(percentile(times, 50)), 'p95 ms': round(percentile(times, 95)), 'max ms': round(times.at(-1)!) };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function openApi(server: BenchServer, bearer: string): Promise<Api> {
  const headers = { authorization: `Bearer ${bearer}` };
  const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths?: Record<string, Record<string, unknown>> };
  const paths = doc.paths ?? {};
  return {
    base: `${server.url}/api/v1`,
    headers,
    has: (method, path) => Boolean(paths[`/api/v1${path}`]?.[method.toLowerCase()]),
  };
}

/** The filters, chosen from the generator's distributions (see bench/README.md). */
function filters(w: LoadedWorkspace) {
  return {
    /** Two tags (both), a stage and a custom number range: a typical segment, ~1–2% of contacts. */
    list: {
      tags: { all: [w.tagIds['潜在客户']!, w.tagIds['微信好友']!] },
      stageIds: [w.stageIds.lead],
      custom: [
        { key: 'employees', op: 'gte', value: 10 },
        { key: 'employees', op: 'lte', value: 1000 },
      ],
    },
    /** Everything, newest first: the default list, for page 1,000. */
    all: {},
    /** One common tag: ~40% of contacts, deep pages of a tag filter. */
    broadTag: { tags: { any: [w.tagIds['潜在客户']!] } },
    /** One stage, ~20% of contacts: the batch target. */
    batch: { stageIds: [w.stageIds.subscriber] },
  };
}

interface Context {
  kind: 'pglite' | 'postgres';
  server: BenchServer;
  api: Api;
  w: LoadedWorkspace;
  size: number;
  log(message: string): void;
  notes: string[];
  plans: Map<string, CapturedQuery[]>;
}

const missing = (ctx: Context, scenario: string, endpoint: string, target: string): Row => ({
  db: ctx.kind,
  scenario,
  contacts: ctx.size,
  matches: '',
  n: 0,
  'p50 ms': '',
  'p95 ms': '',
  'max ms': '',
  target,
  result: `endpoint missing (${endpoint})`,
});

/** Runs one scenario; an HTTP failure becomes a row saying so, not a failed run. */
async function scenario(ctx: Context, label: string, target: string, work: () => Promise<Omit<Row, 'db' | 'scenario' | 'contacts' | 'target'>>): Promise<Row> {
  ctx.log(`[${ctx.kind}] ${label} (load ${load()})`);
  try {
    const { result, ...figures } = await work();
    return { db: ctx.kind, scenario: label, contacts: ctx.size, ...figures, target, result: result ?? '' };
  } catch (err) {
    if (!(err instanceof RequestFailed)) throw err;
    ctx.log(`[${ctx.kind}]   ${err.message}`);
    return { db: ctx.kind, scenario: label, contacts: ctx.size, matches: '', n: 0, 'p50 ms': '', 'p95 ms': '', 'max ms': '', target, result: err.message.slice(0, 160) };
  }
}

/** Records the statements one more request sends (PostgreSQL only), for EXPLAIN afterwards. */
async function capture(ctx: Context, key: string, send: () => Promise<Answer>): Promise<void> {
  if (ctx.kind !== 'postgres') return;
  const stop = recordQueries();
  try {
    await send();
  } finally {
    ctx.plans.set(key, stop());
  }
}

const verdict = (p50: number, limit: number) => (p50 <= limit ? `meets ≤ ${limit} ms` : `MISSES ≤ ${limit} ms`);

async function measure(ctx: Context): Promise<Row[]> {
  const { api, w } = ctx;
  const f = filters(w);
  const rows: Row[] = [];
  const search = (filter: object, cursor?: string) => call(api, 'POST', '/contacts/search', { filter, limit: PAGE, ...(cursor ? { cursor } : {}) });
  const count = (filter: object) => call(api, 'POST', '/contacts/count', { filter });

  // Exact match counts from the database, so the figures say what they were measured on.
  const truth = await exactCounts(ctx);

  if (api.has('POST', '/contacts/search')) {
    rows.push(
      await scenario(ctx, 'list: 2 tags + stage + custom range, page 1', 'p50 ≤ 50 ms', async () => {
        const first = expectOk(await search(f.list), 'list page 1');
        const items = (first.items as unknown[] | undefined)?.length ?? 0;
        if (items === 0 && truth.list > 0) throw new RequestFailed(`list page 1 returned no items; ${truth.list} match in the database`);
        const t = await timeRequests(REQUESTS.list, () => search(f.list), 'list page 1');
        await capture(ctx, 'list page 1', () => search(f.list));
        return { matches: truth.list, ...t, result: verdict(t['p50 ms'], 50) };
      }),
    );
    for (const [label, filter, matches] of [
      [`keyset page ${KEYSET_PAGE}: all contacts, newest first`, f.all, ctx.size],
      [`keyset page ${KEYSET_PAGE}: one tag (~40%), newest first`, f.broadTag, truth.broadTag],
    ] as const) {
      if (matches < KEYSET_PAGE * PAGE) {
        rows.push({ db: ctx.kind, scenario: label, contacts: ctx.size, matches, n: 0, 'p50 ms': '', 'p95 ms': '', 'max ms': '', target: 'p50 ≤ 50 ms', result: `skipped: fewer than ${KEYSET_PAGE * PAGE} matches` });
        continue;
      }
      rows.push(
        await scenario(ctx, label, 'p50 ≤ 50 ms', async () => {
          // Walk the cursors of pages 1..999, then measure the request for page 1,000. A walk
          // slower than its budget stops early and the page it reached is measured instead.
          let cursor: string | undefined;
          const walkStarted = performance.now();
          let page = 1;
          for (; page < KEYSET_PAGE && performance.now() - walkStarted < WALK_BUDGET_MS; page++) {
            const body = expectOk(await search(filter, cursor), `page ${page}`);
            cursor = (body.nextCursor as string | null) ?? undefined;
            if (!cursor) throw new RequestFailed(`no nextCursor after page ${page}`);
          }
          const walk = (performance.now() - walkStarted) / (page - 1);
          const last = cursor;
          const t = await timeRequests(REQUESTS.keyset, () => search(filter, last), `page ${page}`);
          await capture(ctx, label, () => search(filter, last));
          const reached = page === KEYSET_PAGE ? verdict(t['p50 ms'], 50) : `walk stopped by its ${WALK_BUDGET_MS / 1000} s budget: figures are for page ${page}`;
          return { matches, ...t, result: `${reached}; pages 1–${page - 1} averaged ${walk.toFixed(1)} ms` };
        }),
      );
    }
  } else {
    rows.push(missing(ctx, 'list: 2 tags + stage + custom range, page 1', 'POST /contacts/search', 'p50 ≤ 50 ms'));
    rows.push(missing(ctx, `keyset page ${KEYSET_PAGE}`, 'POST /contacts/search', 'p50 ≤ 50 ms'));
  }

  if (api.has('POST', '/contacts/count')) {
    rows.push(
      await scenario(ctx, 'count: 2 tags + stage + custom range', 'p50 ≤ 250 ms', async () => {
        const body = expectOk(await count(f.list), 'count');
        if (body.count !== truth.list) ctx.notes.push(`${ctx.kind}: POST /contacts/count said ${String(body.count)}, the database ${truth.list}`);
        const t = await timeRequests(REQUESTS.count, () => count(f.list), 'count');
        await capture(ctx, 'count', () => count(f.list));
        return { matches: truth.list, ...t, result: verdict(t['p50 ms'], 250) };
      }),
    );
    rows.push(
      await scenario(ctx, 'count: one tag (~40%)', '(no target)', async () => {
        const t = await timeRequests(Math.min(20, REQUESTS.count), () => count(f.broadTag), 'count one tag');
        await capture(ctx, 'count one tag', () => count(f.broadTag));
        return { matches: truth.broadTag, ...t, result: '' };
      }),
    );
  } else {
    rows.push(missing(ctx, 'count: 2 tags + stage + custom range', 'POST /contacts/count', 'p50 ≤ 250 ms'));
  }

  if (api.has('GET', '/contacts/{id}/timeline')) {
    rows.push(
      await scenario(ctx, `timeline page 1 of a ${HEAVY_CONTACT_EVENTS.toLocaleString('en')}-event contact`, 'p50 ≤ 20 ms', async () => {
        const path = `/contacts/${w.heavyContactId}/timeline?limit=${PAGE}`;
        const first = expectOk(await call(api, 'GET', path), 'timeline');
        if (((first.items as unknown[] | undefined)?.length ?? 0) === 0) throw new RequestFailed('timeline page 1 returned no items');
        const t = await timeRequests(REQUESTS.timeline, () => call(api, 'GET', path), 'timeline');
        await capture(ctx, 'timeline', () => call(api, 'GET', path));
        return { matches: HEAVY_CONTACT_EVENTS, ...t, result: verdict(t['p50 ms'], 20) };
      }),
    );
  } else {
    rows.push(missing(ctx, 'timeline page 1', 'GET /contacts/{id}/timeline', 'p50 ≤ 20 ms'));
  }

  // Last: it changes data (and a worker run could disturb the read measurements).
  if (api.has('POST', '/contacts/batch')) {
    rows.push(await scenario(ctx, 'batch add_tags on one stage (~20%)', '≤ 10 s', () => batchTag(ctx, f.batch, truth.batch)));
  } else {
    rows.push(missing(ctx, 'batch add_tags on one stage (~20%)', 'POST /contacts/batch', '≤ 10 s'));
  }
  return rows;
}

async function batchTag(ctx: Context, filter: object, matches: number): Promise<Omit<Row, 'db' | 'scenario' | 'contacts' | 'target'>> {
  const { api, w } = ctx;
  const started = performance.now();
  const answer = await call(api, 'POST', '/contacts/batch', { action: 'add_tags', target: { filter }, tagIds: [w.batchTagId] });
  const body = expectOk(answer, 'batch');
  let detail: string;
  if (typeof body.jobId === 'string') {
    const jobId = body.jobId;
    let job: Record<string, unknown> = {};
    const deadline = Date.now() + BATCH_BUDGET_MS;
    for (;;) {
      job = (expectOk(await call(api, 'GET', `/jobs/${jobId}`), 'job').job ?? {}) as Record<string, unknown>;
      if (job.status === 'done' || job.status === 'dead' || job.status === 'cancelled') break;
      if (Date.now() > deadline) throw new RequestFailed(`job ${jobId} still ${String(job.status)} after ${BATCH_BUDGET_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (job.status !== 'done') throw new RequestFailed(`job ${jobId} ended ${String(job.status)}: ${String(job.lastError ?? '')}`.slice(0, 300));
    detail = `202 + job; the POST answered in ${(answer.ms / 1000).toFixed(2)} s; ${timesOf(job)}`;
  } else {
    detail = `inline answer ${JSON.stringify(body).slice(0, 80)}`;
  }
  const seconds = (performance.now() - started) / 1000;
  detail += `; ${await outboxDrained(ctx, started)}`;
  const { rows } = await sql<{ n: string }>`select count(*) as n from contact_tags where workspace_id = ${w.workspaceId}::uuid and tag_id = ${w.batchTagId}::uuid`.execute(ctx.server.db);
  const tagged = Number(rows[0]!.n);
  if (tagged !== matches) ctx.notes.push(`${ctx.kind}: batch add_tags tagged ${tagged} contacts; the filter matches ${matches}`);
  return { matches, n: 1, 'p50 ms': Math.round(seconds * 1000), 'p95 ms': '', 'max ms': '', result: `${seconds <= 10 ? 'meets' : 'MISSES'} ≤ 10 s (${seconds.toFixed(2)} s); ${detail}` };
}

/** The reactions to the batch (outbox events: timeline entries, rules…) run after the job; how long until they are all dispatched. */
async function outboxDrained(ctx: Context, started: number): Promise<string> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const { rows } = await sql<{ n: string }>`select count(*) as n from outbox_events where workspace_id = ${ctx.w.workspaceId}::uuid and dispatched_at is null`.execute(ctx.server.db);
    const pending = Number(rows[0]!.n);
    if (pending === 0) return `outbox drained ${((performance.now() - started) / 1000).toFixed(1)} s after the POST`;
    if (Date.now() > deadline) return `${pending} outbox events still pending after 300 s`;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function timesOf(job: Record<string, unknown>): string {
  const at = (k: string) => (typeof job[k] === 'string' ? Date.parse(job[k]) : NaN);
  const wait = (at('startedAt') - at('createdAt')) / 1000;
  const runFor = (at('finishedAt') - at('startedAt')) / 1000;
  return Number.isFinite(wait) && Number.isFinite(runFor) ? `waited ${wait.toFixed(2)} s for the worker, ran ${runFor.toFixed(2)} s` : `job ${JSON.stringify(job).slice(0, 120)}`;
}

/** Ground truth for the filters, straight from the tables. */
async function exactCounts(ctx: Context) {
  const { w } = ctx;
  const one = async (q: ReturnType<typeof sql<{ n: string }>>) => Number((await q.execute(ctx.server.db)).rows[0]!.n);
  const ws = w.workspaceId;
  const list = await one(sql<{ n: string }>`
    select count(*) as n from contacts c
    where c.workspace_id = ${ws}::uuid and c.deleted_at is null and c.stage_id = ${w.stageIds.lead}::uuid
      and (c.custom ->> 'employees')::numeric between 10 and 1000
      and exists (select 1 from contact_tags t where t.workspace_id = c.workspace_id and t.contact_id = c.id and t.tag_id = ${w.tagIds['潜在客户']!}::uuid)
      and exists (select 1 from contact_tags t where t.workspace_id = c.workspace_id and t.contact_id = c.id and t.tag_id = ${w.tagIds['微信好友']!}::uuid)`);
  const broadTag = await one(sql<{ n: string }>`select count(*) as n from contact_tags where workspace_id = ${ws}::uuid and tag_id = ${w.tagIds['潜在客户']!}::uuid`);
  const batch = await one(sql<{ n: string }>`select count(*) as n from contacts where workspace_id = ${ws}::uuid and deleted_at is null and stage_id = ${w.stageIds.subscriber}::uuid`);
  ctx.notes.push(
    `${ctx.kind}: filters (exact counts) — list: tags all [潜在客户, 微信好友] + stage lead + custom employees 10–1000 → ${list.toLocaleString('en')} of ${ctx.size.toLocaleString('en')} (${((100 * list) / ctx.size).toFixed(2)}%); one tag 潜在客户 → ${broadTag.toLocaleString('en')}; batch: stage subscriber → ${batch.toLocaleString('en')}`,
  );
  return { list, broadTag, batch };
}

async function explainCaptured(ctx: Context): Promise<void> {
  const url = ctx.server.databaseUrl;
  if (!url) return;
  for (const [key, queries] of ctx.plans) {
    const data = queries.filter((q) => isDataQuery(q, /\b(contacts|contact_tags|timeline_events)\b/));
    if (!data.length) {
      ctx.notes.push(`${ctx.kind}: plan of "${key}": no read-only statement on the contact tables was captured`);
      continue;
    }
    for (const [i, q] of data.entries()) {
      try {
        const s = await withTimeout(explain(url, q), 180_000, `explain ${key}`);
        ctx.log(`\n===== EXPLAIN (ANALYZE, BUFFERS) — ${key}, statement ${i + 1}/${data.length} =====\n${s.sql}\n-- parameters: ${JSON.stringify(q.values).slice(0, 600)}\n${s.plan}\n`);
        ctx.notes.push(
          `${ctx.kind}: plan "${key}" #${i + 1}: exec ${s.executionMs} ms, planning ${s.planningMs} ms${s.jitMs !== null ? `, JIT ${s.jitMs} ms` : ''}; ${s.facts.slice(0, 12).join(' | ')}`,
        );
      } catch (err) {
        ctx.notes.push(`${ctx.kind}: plan of "${key}" #${i + 1} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

async function benchOne(kind: 'pglite' | 'postgres', size: number, options: BenchOptions, notes: string[]): Promise<Row[]> {
  options.log(`[${kind}] starting the server (with its worker, for batch jobs)`);
  options.log(`[${kind}] loading ${size.toLocaleString('en')} contacts and ${(10 * size).toLocaleString('en')} timeline events (load ${load()})`);
  const { server, w, loadSeconds, template } = await startLoadedServer(kind, options.postgresUrl, { WORKER: 'true' }, { size, log: options.log });
  try {
    if (server.databaseName) options.log(`[${kind}] throwaway database ${server.databaseName}`);
    if (template) notes.push(`${kind}: database copied from template ${template} in ${loadSeconds.toFixed(0)} s; the template's load:`);
    notes.push(
      `${kind}: loaded ${w.counts.contacts.toLocaleString('en')} contacts, ${w.counts.contactTags.toLocaleString('en')} contact_tags, ${w.counts.events.toLocaleString('en')} timeline events` +
        (template ? '' : ` in ${loadSeconds.toFixed(0)} s`) +
        ` (${w.steps.map((s) => `${s.step}: ${s.seconds.toFixed(1)} s, ${Math.round(s.rows / Math.max(s.seconds, 0.001)).toLocaleString('en')} rows/s`).join('; ')})` +
        (w.skippedForeignKeyChecks ? '; foreign-key triggers skipped during the load' : ''),
    );
    if (kind === 'postgres') {
      const { rows } = await sql<{ t: string; s: string }>`
        select relname as t, pg_size_pretty(pg_total_relation_size(oid)) as s from pg_class
        where relname in ('contacts', 'contact_tags', 'timeline_events') and relnamespace = current_schema()::regnamespace order by 1`.execute(server.db);
      notes.push(`${kind}: sizes with indexes: ${rows.map((r) => `${r.t} ${r.s}`).join(', ')}`);
    }
    const actor = await operatorActor(server.db, w.workspaceId);
    const { secret } = await createApiKey(server.db, actor, { name: 'bench', scopes: [...allPermissions] });
    const api = await openApi(server, secret);
    const ctx: Context = { kind, server, api, w, size, log: options.log, notes, plans: new Map() };
    const before = load();
    const rows = await measure(ctx);
    notes.push(`${kind}: load average (1/5/15 min) ${before} before the measurements, ${load()} after`);
    await explainCaptured(ctx);
    const hold = Number(process.env.BENCH_HOLD_SECONDS ?? 0);
    if (hold > 0) {
      options.log(`[${kind}] holding ${server.databaseUrl ?? server.config.DATA_DIR} for ${hold} s (BENCH_HOLD_SECONDS)`);
      await new Promise((resolve) => setTimeout(resolve, hold * 1000));
    }
    return rows;
  } finally {
    options.log(`[${kind}] stopping the server`);
    await server.stop();
  }
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const size = options.size === 1000 ? DEFAULT_SIZE : options.size;
  const notes: string[] = [];
  const version = options.db === 'pglite' ? null : await postgresVersion(options.postgresUrl);
  if (options.db === 'postgres' && !version) throw new Error(`No PostgreSQL server answers at ${options.postgresUrl}`);
  const kinds: Array<'pglite' | 'postgres'> = options.db === 'postgres' ? ['postgres'] : version ? ['pglite', 'postgres'] : ['pglite'];
  if (options.db === 'both' && !version) notes.push(`PostgreSQL skipped: nothing answers at ${options.postgresUrl}`);
  if (version) notes.push(`PostgreSQL ${version}`);
  notes.push(`requests are sequential (one at a time) with an API key, after 5 unmeasured ones; pages of ${PAGE}; latency measured by the client (fetch in the same process as the server)`);
  const rows: Row[] = [];
  for (const kind of kinds) rows.push(...(await benchOne(kind, size, options, notes)));
  return { rows, notes };
}
