// The invite report at scale: K-factor, generation distribution and top spreaders with their
// reach, over --size invites (default 1,000,000) in one workspace on PostgreSQL. The forest is
// seeded set-based (generate_series; each invitee's parent drawn among the earlier nodes — a
// random recursive tree, with a tenth of the invites going to 1,000 hub "KOL" nodes), its
// generations and roots computed once by a recursive CTE as the inserts would have stored them.
// Target: K-factor and depth report ≤ 2 s with 1,000,000 invites.
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { inTransaction } from '../../src/platform/db/transaction.js';
import { reportMemory, summary as reportSummary, type Scope } from '../../src/domains/referrals/report-store.js';
import { reachOf } from '../../src/domains/referrals/tree-store.js';
import { postgresVersion } from '../lib/databases.js';
import { signedInOwner } from '../lib/console-session.js';
import { percentile } from '../lib/loaded-workspace.js';
import { startBenchServer, type BenchServer } from '../lib/server.js';
import type { BenchOptions, BenchResult, Cell } from '../lib/types.js';

export const name = 'invite-tree';
export const describe =
  'Invite report (K-factor, generations, top 10 spreaders and their reach) over --size invites (default 1,000,000; a size under 10,000 means the default) on PostgreSQL: the query parts and GET /api/v1/invite-tree/report, p50/max of 7 runs';

const DEFAULT_SIZE = 1_000_000;
const ROOTS = 1_000;
const RUNS = 7;
const round = (ms: number) => Math.round(ms * 10) / 10;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function seed(server: BenchServer, workspaceId: string, programId: string, codeId: string, size: number, log: (m: string) => void) {
  const db = server.db;
  const started = performance.now();
  await sql`create unlogged table bench_nodes (n int primary key, id uuid not null default gen_random_uuid(), parent int)`.execute(db);
  // Nodes 1..ROOTS are roots; every later node n has a parent among the nodes before it.
  await sql`
    insert into bench_nodes (n, parent)
    select n, case when n <= ${ROOTS} then null
                   when random() < 0.1 then 1 + floor(random() * ${ROOTS})::int
                   else 1 + floor(random() * (n - 1))::int end
    from generate_series(1, ${size + ROOTS}) n`.execute(db);
  await sql`insert into contacts (workspace_id, id, name) select ${workspaceId}::uuid, id, '客户 ' || n from bench_nodes`.execute(db);
  log(`[invite-tree] ${size + ROOTS} contacts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await sql`analyze bench_nodes`.execute(db);
  // What recordEdge stores at each insert (parent before child), here for all at once.
  await sql`
    insert into invite_edges (workspace_id, invitee_contact_id, inviter_contact_id, root_contact_id, depth, source, scope_id, scope_depth, referral_code_id, status, created_at)
    with recursive walk(n, id, parent_id, root_id, depth) as (
      select c.n, c.id, r.id, r.id, 1 from bench_nodes c join bench_nodes r on r.n = c.parent where r.parent is null
      union all
      select c.n, c.id, w.id, w.root_id, w.depth + 1 from bench_nodes c join walk w on c.parent = w.n
    )
    select ${workspaceId}::uuid, id, parent_id, root_id, depth, 'referral', ${programId}::uuid, depth, ${codeId}::uuid,
      case when random() < 0.05 then 'voided' else 'counted' end, now() - make_interval(secs => ${size} - n)
    from walk`.execute(db);
  await sql`drop table bench_nodes`.execute(db);
  await sql`vacuum (analyze) invite_edges`.execute(db);
  await sql`analyze contacts`.execute(db);
  const { rows } = await sql<{ n: number; max: number }>`select count(*)::int as n, max(depth)::int as max from invite_edges where workspace_id = ${workspaceId}`.execute(db);
  log(`[invite-tree] ${rows[0]!.n} edges (max depth ${rows[0]!.max}) seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return rows[0]!;
}

async function timed(runs: number, fn: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  const sorted = times.sort((a, b) => a - b);
  return { runs, 'p50 ms': round(percentile(sorted, 50)), 'max ms': round(sorted.at(-1)!) };
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  if (options.db === 'pglite') throw new Error('invite-tree runs on PostgreSQL (--db postgres): the target is for a server');
  const version = await postgresVersion(options.postgresUrl);
  if (!version) throw new Error(`No PostgreSQL server answers at ${options.postgresUrl}`);
  const size = options.size < 10_000 ? DEFAULT_SIZE : options.size;
  const server = await startBenchServer('postgres', options.postgresUrl, { CHANNEL_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') });
  try {
    const owner = await signedInOwner(server, '裂变 Bench');
    const { channel } = await owner.post<{ channel: { id: string } }>('/api/v1/channels', { type: 'api', name: 'Bench', settings: { url: 'https://example.com/hook' }, secrets: { secret: 'a bench channel secret, long enough' } });
    const { program } = await owner.post<{ program: { id: string } }>('/api/v1/referrals/programs', { name: '全员营销', channelId: channel.id });
    const admin = await server.db.selectFrom('members').select('id').where('workspace_id', '=', owner.workspaceId).executeTakeFirstOrThrow();
    const { code } = await owner.post<{ code: { id: string } }>(`/api/v1/referrals/programs/${program.id}/codes`, { memberId: admin.id });
    const seeded = await seed(server, owner.workspaceId, program.id, code.id, size, options.log);
    const rows: Array<Record<string, Cell>> = [];
    const row = (scenario: string, figures: Record<string, Cell>, target = '') => rows.push({ db: 'postgres', invites: seeded.n, scenario, ...figures, target });
    const { db } = server;
    const ws = owner.workspaceId;
    const scopes: Array<[Scope, string]> = [[{ kind: 'workspace' }, 'workspace'], [{ kind: 'program', id: program.id }, 'programme']];
    for (const [scope, label] of scopes) {
      options.log(`[invite-tree] ${label}: K-factor, generations and top 10 (load ${load()})`);
      // As the report runs them: in one transaction with its work_mem.
      const summary = () =>
        inTransaction(db, async (tx) => {
          await reportMemory(tx);
          return reportSummary(tx, ws, scope, 10);
        });
      row(`${label}: K-factor + generations + top 10 (SQL)`, await timed(RUNS, summary), '≤ 2000 ms');
      const top = (await summary()).flatMap((t) => (t.inviter_contact_id ? [{ contactId: t.inviter_contact_id }] : []));
      options.log(`[invite-tree] ${label}: reach of the top 10 (load ${load()})`);
      row(`${label}: reach of the top 10 (SQL)`, await timed(RUNS, () => reachOf(db, ws, top)));
    }
    const report = async (query: string) => {
      const res = await fetch(`${server.url}/api/v1/invite-tree/report${query}`, { headers: { cookie: owner.cookie } });
      if (res.status !== 200) throw new Error(`report: ${res.status} ${await res.text()}`);
      return res.json() as Promise<{ kFactor: number; maxDepth: number; topSpreaders: Array<{ reach: number }> }>;
    };
    options.log(`[invite-tree] whole report over HTTP (load ${load()})`);
    row('GET /invite-tree/report (workspace, all parts)', await timed(RUNS, () => report('')));
    const sample = await report('');
    return {
      rows,
      notes: [
        `PostgreSQL ${version}; ${seeded.n.toLocaleString('en')} invites under ${ROOTS} roots, max depth ${seeded.max}, 5% voided; K-factor ${sample.kFactor}, report max depth ${sample.maxDepth}, top spreader's reach ${sample.topSpreaders[0]?.reach}; load average at the end ${load()}`,
        'The SQL rows are the report\'s statements as it runs them; the HTTP run adds the scope check, the reach, the spreaders\' names, auth and JSON.',
      ],
    };
  } finally {
    await server.stop();
  }
}
