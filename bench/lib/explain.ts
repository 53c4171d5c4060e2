// The SQL behind an HTTP request, and its plan. The server runs in this process, so on
// PostgreSQL every statement it sends goes through node-postgres's Client#query: recording
// (text, values) there while one request is in flight gives the exact statements and
// parameters, which are then run again under EXPLAIN (ANALYZE, BUFFERS) on a separate
// connection. Read-only statements only: writes are never re-run.
import pg from 'pg';
import { onCleanup } from './cleanup.js';

export interface CapturedQuery {
  text: string;
  values: unknown[];
}

type Query = (this: pg.Client, ...args: unknown[]) => unknown;

/** Starts recording; the returned function stops and hands back what was sent meanwhile. */
export function recordQueries(): () => CapturedQuery[] {
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  const captured: CapturedQuery[] = [];
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === 'string') captured.push({ text: first, values: Array.isArray(second) ? second : [] });
    else if (first && typeof first === 'object' && 'text' in first) {
      const q = first as { text: string; values?: unknown[] };
      captured.push({ text: q.text, values: q.values ?? (Array.isArray(second) ? second : []) });
    }
    return original.apply(this, args);
  };
  const restore = onCleanup('restore pg.Client#query', () => {
    proto.query = original;
  });
  return () => {
    void restore();
    return captured;
  };
}

const READ_ONLY = /^\s*(select|with)\b/i;
/** Statements of the request's own work (not the key or session lookup, not BEGIN/COMMIT). */
export const isDataQuery = (q: CapturedQuery, tables: RegExp) => READ_ONLY.test(q.text) && tables.test(q.text) && !/\b(api_keys|sessions)\b/.test(q.text);

export interface PlanSummary {
  sql: string;
  plan: string;
  executionMs: number;
  planningMs: number;
  jitMs: number | null;
  /** Index names used, scans on whole tables, sorts: the lines worth reading first. */
  facts: string[];
}

/** EXPLAIN (ANALYZE, BUFFERS) of a captured read-only statement with its own parameters. */
export async function explain(url: string, query: CapturedQuery): Promise<PlanSummary> {
  const client = new pg.Client({ connectionString: url, query_timeout: 120_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${query.text}`, query.values);
    const lines = rows.map((r) => r['QUERY PLAN']);
    const number = (re: RegExp) => Number(lines.map((l) => re.exec(l)?.[1]).find(Boolean) ?? NaN);
    const jit = lines.some((l) => /^JIT:/.test(l.trim())) ? number(/Timing:.*Total ([\d.]+) ms/) : null;
    const facts = lines
      .map((l) => l.trim().replace(/^->\s*/, ''))
      .filter((l) => /^(Index Scan|Index Only Scan|Bitmap Index Scan|Seq Scan|Parallel Seq Scan|Sort Method|Hash Join|Nested Loop|Merge Join|Limit|Aggregate|Finalize Aggregate|Partial Aggregate|Gather|Rows Removed|Heap Fetches|Incremental Sort|Bitmap Heap Scan|Hash Anti Join|Hash Semi Join|Hash Right Semi Join)/.test(l))
      .map((l) => l.replace(/\(cost=[^)]*\)\s*/, ''));
    return {
      sql: query.text.replace(/\s+/g, ' ').trim(),
      plan: lines.join('\n'),
      executionMs: number(/^Execution Time: ([\d.]+) ms/),
      planningMs: number(/^Planning Time: ([\d.]+) ms/),
      jitMs: jit,
      facts,
    };
  } finally {
    await client.end();
  }
}
