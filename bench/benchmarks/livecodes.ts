// Live code scans: GET /c/<slug> through the real server on PostgreSQL — the staff choice with
// rotation and daily caps, the recorded scan and the redirect — then a check that the caps held
// exactly: no member picked beyond their cap, and every pick counted is a recorded scan.
import { sql } from 'kysely';
import { postgresVersion } from '../lib/databases.js';
import { signedInOwner } from '../lib/console-session.js';
import { measureGet } from '../lib/load.js';
import { startBenchServer, type BenchServer } from '../lib/server.js';
import type { BenchOptions, BenchResult, Cell } from '../lib/types.js';

export const name = 'livecodes';
export const describe =
  'Live code scans/s and p50/p99 (autocannon, real server in-process, PostgreSQL): one hot code, and --size codes scanned in turn; each code has 10 staff with daily caps and 2 backups, and the caps are checked exact afterwards';

const STAFF = 10;
const BACKUPS = 2;
const CAP = 2_000;
const BACKUP_CAP = 1_000;

/** `count` active agents of the workspace, set-based. */
async function addStaff(server: BenchServer, workspaceId: string, count: number) {
  const { rows } = await sql<{ id: string }>`
    with u as (
      insert into users (email, name, password_hash)
      select 'bench-staff-' || g || '-' || ${workspaceId} || '@example.test', '客服 ' || g, 'not-a-login' from generate_series(1, ${count}) g
      returning id
    )
    insert into members (workspace_id, user_id, role_id)
    select ${workspaceId}::uuid, u.id, (select id from roles where workspace_id = ${workspaceId}::uuid and key = 'agent') from u
    returning id`.execute(server.db);
  return rows.map((r) => r.id);
}

/** Whether the caps held: picks per member within caps, and equal to the scans that chose them. */
async function capsExact(server: BenchServer, workspaceId: string) {
  const { rows } = await sql<{ violations: number; mismatched: number; scans: number }>`
    with counted as (
      select p.code_id, p.member_id, sum(p.picks)::int as picks, max(s.daily_cap) as cap
      from live_code_picks p join live_code_staff s using (workspace_id, code_id, member_id)
      where p.workspace_id = ${workspaceId} group by p.code_id, p.member_id
    ), recorded as (
      select code_id, member_id, count(*)::int as scans from live_code_scans
      where workspace_id = ${workspaceId} and member_id is not null group by code_id, member_id
    )
    select
      (select count(*)::int from counted where picks > cap) as violations,
      (select count(*)::int from counted c full join recorded r using (code_id, member_id) where c.picks is distinct from r.scans) as mismatched,
      (select count(*)::int from live_code_scans where workspace_id = ${workspaceId}) as scans`.execute(server.db);
  return rows[0]!;
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  if (options.db === 'pglite') throw new Error('livecodes runs on PostgreSQL (--db postgres): the target is for a server');
  const version = await postgresVersion(options.postgresUrl);
  if (!version) throw new Error(`No PostgreSQL server answers at ${options.postgresUrl}`);
  const server = await startBenchServer('postgres', options.postgresUrl);
  try {
    const owner = await signedInOwner(server, '活码 Bench');
    const staff = await addStaff(server, owner.workspaceId, STAFF + BACKUPS);
    const code = () =>
      owner.post<{ liveCode: { slug: string } }>('/api/v1/live-codes', {
        name: 'Bench code',
        landingUrl: 'https://shop.example/welcome',
        strategy: 'round_robin',
        staff: staff.slice(0, STAFF).map((memberId) => ({ memberId, dailyCap: CAP })),
        backupStaff: staff.slice(STAFF).map((memberId) => ({ memberId, dailyCap: BACKUP_CAP })),
      });
    options.log(`creating ${options.size} codes`);
    const slugs: string[] = [];
    for (let i = 0; i < Math.max(1, options.size); i++) slugs.push((await code()).liveCode.slug);
    const rows: Array<Record<string, Cell>> = [];
    const scenarios = [
      { label: 'one hot code', paths: [`/c/${slugs[0]}`] },
      ...(slugs.length > 1 ? [{ label: `${slugs.length} codes in turn`, paths: slugs.map((s) => `/c/${s}`) }] : []),
    ];
    for (const scenario of scenarios) {
      options.log(`${scenario.label}: ${options.duration} s, ${options.connections} connections`);
      const figures = await measureGet({
        url: `${server.url}${scenario.paths[0]}`,
        headers: {},
        duration: options.duration,
        connections: options.connections,
        status: 302,
        paths: scenario.paths,
      });
      rows.push({ scenario: scenario.label, 'scans/s': figures['req/s'], 'p50 ms': figures['p50 ms'], 'p99 ms': figures['p99 ms'], 'max ms': figures['max ms'], scans: figures.requests });
    }
    // Let the last requests' groups commit before counting.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const check = await capsExact(server, owner.workspaceId);
    if (check.violations || check.mismatched) throw new Error(`caps not exact: ${check.violations} members over their cap, ${check.mismatched} counters not matching the scans`);
    return {
      rows,
      notes: [
        `PostgreSQL ${version}`,
        `${STAFF} staff (cap ${CAP}/day) and ${BACKUPS} backups (cap ${BACKUP_CAP}/day) per code, round robin; answers 302 to the landing page`,
        `caps exact after ${check.scans} recorded scans (warm-ups included): no member over their cap, every counter equal to the scans that chose the member`,
      ],
    };
  } finally {
    await server.stop();
  }
}
