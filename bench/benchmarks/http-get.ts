// Authenticated GET throughput and latency against the real server, on PGlite and PostgreSQL.
import { sql } from 'kysely';
import { createAdmin, createWorkspace, operatorActor } from '../../src/domains/workspaces/index.js';
import { createApiKey } from '../../src/platform/auth/api-keys.js';
import { allPermissions } from '../../src/platform/auth/permissions.js';
import type { Db } from '../../src/platform/db/connect.js';
import { postgresVersion } from '../lib/databases.js';
import { measureGet } from '../lib/load.js';
import { startBenchServer, type BenchServer } from '../lib/server.js';
import type { BenchOptions, BenchResult, Cell } from '../lib/types.js';

export const name = 'http-get';
export const describe =
  'Authenticated GET req/s and p50/p99 latency (autocannon, real server in-process) for the API-key list, the audit log and /auth/me, on PGlite and PostgreSQL; --size = API keys and audit rows seeded';

const PAGE = 50;
const BATCH = 50_000;

interface Caller {
  bearer: string;
  cookie: string;
}

/** Workspace, owner, an all-scopes key and a console session, through the same code the CLI and API use. */
async function setUpCaller(server: BenchServer): Promise<Caller & { workspaceId: string; memberId: string }> {
  const { db, config } = server;
  const email = 'bench-owner@example.test';
  const password = `bench-${Math.random().toString(36).slice(2)}-password`;
  const { workspace } = await createWorkspace(db, null, '基准测试 Bench');
  const { memberId } = await createAdmin(db, config.PASSWORD_SCRYPT_LOG_N, { workspace: workspace.id, email, password, name: '王芳' });
  const { secret } = await createApiKey(db, await operatorActor(db, workspace.id), { name: 'bench', scopes: [...allPermissions] });
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { bearer: secret, cookie, workspaceId: workspace.id, memberId };
}

/** `size` revocable keys and audit entries, set-based (INSERT … SELECT generate_series) in batches. */
async function seed(db: Db, workspaceId: string, memberId: string, size: number): Promise<void> {
  for (let from = 1; from <= size; from += BATCH) {
    const to = Math.min(size, from + BATCH - 1);
    await sql`
      insert into api_keys (workspace_id, owner_member_id, name, prefix, key_hash, scopes, created_at, revoked_at)
      select ${workspaceId}::uuid, ${memberId}::uuid, '集成 key ' || g, 'rmk_' || lpad(g::text, 8, '0'), 'bench-seed-' || g,
             array['api-keys:read'], now() - make_interval(secs => g), case when g % 10 = 0 then now() end
      from generate_series(${from}::int, ${to}::int) g`.execute(db);
    await sql`
      insert into audit_log (workspace_id, at, actor_member_id, action, entity_type, entity_id, after)
      select ${workspaceId}::uuid, now() - make_interval(secs => g), ${memberId}::uuid,
             (array['contact.created', 'contact.updated', 'tag.added', 'api_key.created'])[1 + g % 4], 'contact', g::text,
             jsonb_build_object('name', '联系人 ' || g, 'phone', '+86138' || lpad(g::text, 8, '0'))
      from generate_series(${from}::int, ${to}::int) g`.execute(db);
  }
  // PostgreSQL's autovacuum would analyze soon after a bulk load; PGlite has no autovacuum.
  // Analyze on both so each is measured in its steady state, not with empty-table statistics.
  await sql`analyze api_keys, audit_log`.execute(db);
}

interface Route {
  label: string;
  path: string;
  headers(c: Caller): Record<string, string>;
  /** A check of the body before load, so a wrong answer cannot pass as a fast one. */
  check(body: unknown): boolean;
}

const itemsCount = (body: unknown) => ((body as { items?: unknown[] }).items ?? []).length;

const routes: Route[] = [
  { label: `GET /api/v1/api-keys?limit=${PAGE}`, path: `/api/v1/api-keys?limit=${PAGE}`, headers: (c) => ({ authorization: `Bearer ${c.bearer}` }), check: (b) => itemsCount(b) >= 1 },
  { label: `GET /api/v1/audit-log?limit=${PAGE}`, path: `/api/v1/audit-log?limit=${PAGE}`, headers: (c) => ({ authorization: `Bearer ${c.bearer}` }), check: (b) => itemsCount(b) >= 1 },
  { label: 'GET /api/v1/auth/me (session)', path: '/api/v1/auth/me', headers: (c) => ({ cookie: c.cookie }), check: (b) => Boolean((b as { member?: unknown }).member) },
];

/**
 * When autocannon stops it drops its sockets, but the server is still running the handlers of the
 * requests in flight. Wait for those before the next scenario (or before stopping the server,
 * which would close the database under them): a request sent now queues behind them.
 */
async function settle(url: string, headers: Record<string, string>): Promise<void> {
  await fetch(url, { headers }).then((r) => r.arrayBuffer());
  await new Promise((resolve) => setTimeout(resolve, 500));
}

async function benchOne(kind: 'pglite' | 'postgres', options: BenchOptions): Promise<Array<Record<string, Cell>>> {
  options.log(`[${kind}] starting the server`);
  const server = await startBenchServer(kind, options.postgresUrl);
  try {
    if (server.databaseName) options.log(`[${kind}] throwaway database ${server.databaseName}`);
    const caller = await setUpCaller(server);
    options.log(`[${kind}] seeding ${options.size} API keys and ${options.size} audit entries`);
    const seeded = Date.now();
    await seed(server.db, caller.workspaceId, caller.memberId, options.size);
    options.log(`[${kind}] seeded in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
    const rows: Array<Record<string, Cell>> = [];
    for (const route of routes) {
      const url = server.url + route.path;
      const probe = await fetch(url, { headers: route.headers(caller) });
      const body: unknown = await probe.json();
      if (probe.status !== 200 || !route.check(body)) throw new Error(`${route.label} answered ${probe.status}: ${JSON.stringify(body).slice(0, 300)}`);
      options.log(`[${kind}] ${route.label}: ${options.duration} s, ${options.connections} connections`);
      const figures = await measureGet({ url, headers: route.headers(caller), duration: options.duration, connections: options.connections });
      rows.push({ db: kind, route: route.label, size: options.size, ...figures });
      await settle(url, route.headers(caller));
    }
    return rows;
  } finally {
    options.log(`[${kind}] stopping the server`);
    await server.stop();
  }
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const notes: string[] = [];
  const version = options.db === 'pglite' ? null : await postgresVersion(options.postgresUrl);
  if (options.db === 'postgres' && !version) throw new Error(`No PostgreSQL server answers at ${options.postgresUrl}`);
  const kinds: Array<'pglite' | 'postgres'> = options.db === 'postgres' ? ['postgres'] : version ? ['pglite', 'postgres'] : ['pglite'];
  if (options.db === 'both' && !version) notes.push(`PostgreSQL skipped: nothing answers at ${options.postgresUrl}`);
  if (version) notes.push(`PostgreSQL ${version}`);
  notes.push(`size = ${options.size} API keys + ${options.size} audit entries in one workspace; pages of ${PAGE}`);
  const rows: Array<Record<string, Cell>> = [];
  for (const kind of kinds) rows.push(...(await benchOne(kind, options)));
  return { rows, notes };
}
