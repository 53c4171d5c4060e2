// Inbound messages through the real server: how many a second /hooks takes into the database and
// the worker turns into conversations, and, at a steady rate, the time from a webhook's POST to
// the agent's websocket event. The load runs in a worker thread (bench/lib/hook-load-worker.mjs).
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/connect.js';
import { signedInOwner } from '../lib/console-session.js';
import { postgresVersion } from '../lib/databases.js';
import { startBenchServer, type BenchServer } from '../lib/server.js';
import type { BenchOptions, BenchResult, Cell } from '../lib/types.js';

export const name = 'inbox';
export const describe =
  'Inbound messages: events/s /hooks stores (an HTTP process alone, then with its worker in-process) and the worker processes (closed loop, --connections, 1 and 20 events per request), and p50/p99 from webhook POST to the agent websocket at a steady 500 messages/s; --size = distinct senders, --duration = seconds per scenario';

const SECRET = 'bench hook secret, long enough';
const STEADY_RATE = 500;

interface Figures {
  events?: number;
  seconds?: number;
  failedRequests: number;
  request?: Record<string, number>;
  sent?: number;
  achievedRate?: number;
  delivery?: Record<string, number>;
}

function load(data: Record<string, unknown>): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('../lib/hook-load-worker.mjs', import.meta.url), { workerData: data });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
  });
}

/** A workspace, its owner's console session and an api channel, through the API as a user would. */
async function setUp(server: BenchServer) {
  const owner = await signedInOwner(server, '收件箱 Bench');
  const { channel } = await owner.post<{ channel: { id: string } }>('/api/v1/channels', { type: 'api', name: 'Bench app', settings: { url: 'http://127.0.0.1:9/replies' }, secrets: { secret: SECRET } });
  return { workspaceId: owner.workspaceId, cookie: owner.cookie, hookUrl: `${server.url}/hooks/${channel.id}` };
}

const pending = async (db: Db) => Number((await sql<{ n: string }>`select count(*) as n from inbound_events where processed_at is null`.execute(db)).rows[0]!.n);

/** Waits until the worker has processed every stored event; answers the seconds it took after `since`. */
async function drained(db: Db, since: number, log: (m: string) => void): Promise<number> {
  for (;;) {
    const left = await pending(db);
    if (left === 0) return (performance.now() - since) / 1000;
    log(`  ${left} events still to process`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** `withWorker` false: an HTTP process alone (a deployment with separate `renmai worker` processes); nothing is processed. */
async function throughput(server: BenchServer, hookUrl: string, eventsPerRequest: number, withWorker: boolean, options: BenchOptions): Promise<Record<string, Cell>> {
  options.log(`[${server.kind}] closed loop: ${options.connections} connections × ${eventsPerRequest} events/request, ${options.duration} s${withWorker ? '' : ', no worker'}`);
  const started = performance.now();
  const r = await load({ url: hookUrl, secret: SECRET, mode: 'closed', duration: options.duration, connections: options.connections, eventsPerRequest, senders: options.size, tag: `c${eventsPerRequest}-${Date.now()}` });
  const processedIn = withWorker ? await drained(server.db, started, options.log) : 0;
  const stored = r.events ?? 0;
  return {
    db: server.kind,
    scenario: `/hooks, ${eventsPerRequest} event(s)/request, ${options.connections} connections${withWorker ? '' : ', HTTP process without worker'}`,
    'stored events/s': Math.round(stored / r.seconds!),
    'processed events/s': withWorker ? Math.round(stored / processedIn) : '',
    'request p50 ms': Number(r.request!.p50!.toFixed(1)),
    'request p99 ms': Number(r.request!.p99!.toFixed(1)),
    'delivery p50 ms': '',
    'delivery p99 ms': '',
    events: stored,
    'failed requests': r.failedRequests,
  };
}

async function steady(server: BenchServer, setup: Awaited<ReturnType<typeof setUp>>, options: BenchOptions): Promise<Record<string, Cell>> {
  options.log(`[${server.kind}] open loop: ${STEADY_RATE} messages/s for ${options.duration} s, one agent socket`);
  const origin = server.url;
  const r = await load({
    url: setup.hookUrl,
    secret: SECRET,
    mode: 'open',
    duration: options.duration,
    rate: STEADY_RATE,
    senders: options.size,
    tag: `o-${Date.now()}`,
    socket: { url: `${server.url.replace('http', 'ws')}/api/v1/realtime`, cookie: setup.cookie, origin },
  });
  return {
    db: server.kind,
    scenario: `webhook → agent socket at ${STEADY_RATE}/s (achieved ${Math.round(r.achievedRate!)}/s)`,
    'stored events/s': '',
    'processed events/s': '',
    'request p50 ms': '',
    'request p99 ms': '',
    'delivery p50 ms': Number(r.delivery!.p50!.toFixed(1)),
    'delivery p99 ms': Number(r.delivery!.p99!.toFixed(1)),
    events: `${r.delivery!.count} of ${r.sent} delivered`,
    'failed requests': r.failedRequests,
  };
}

const start = (kind: 'pglite' | 'postgres', options: BenchOptions, worker: boolean) =>
  startBenchServer(kind, options.postgresUrl, {
    WORKER: String(worker),
    WORKER_POLL_MS: '50',
    CHANNEL_ALLOW_PRIVATE_TARGETS: 'true',
    CHANNEL_SECRETS_KEY: Buffer.alloc(32, 3).toString('base64'),
  });

async function benchOne(kind: 'pglite' | 'postgres', options: BenchOptions): Promise<Array<Record<string, Cell>>> {
  const rows: Array<Record<string, Cell>> = [];
  options.log(`[${kind}] intake alone: a server without its worker`);
  const intake = await start(kind, options, false);
  try {
    const setup = await setUp(intake);
    for (const perRequest of [1, 20]) rows.push(await throughput(intake, setup.hookUrl, perRequest, false, options));
  } finally {
    await intake.stop();
  }
  options.log(`[${kind}] starting the server with its worker`);
  const server = await start(kind, options, true);
  try {
    const setup = await setUp(server);
    for (const perRequest of [1, 20]) rows.push(await throughput(server, setup.hookUrl, perRequest, true, options));
    rows.push(await steady(server, setup, options));
    return rows;
  } finally {
    await server.stop();
  }
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const version = options.db === 'pglite' ? null : await postgresVersion(options.postgresUrl);
  if (options.db === 'postgres' && !version) throw new Error(`No PostgreSQL server answers at ${options.postgresUrl}`);
  const kinds: Array<'pglite' | 'postgres'> = options.db === 'pglite' ? ['pglite'] : options.db === 'postgres' ? ['postgres'] : version ? ['pglite', 'postgres'] : ['pglite'];
  const notes = [
    `${options.size} distinct senders (contacts and conversations created as they first write); the server runs its worker in the same process (npm start's topology)`,
    `${cpus().length} CPU cores shared by the server, PostgreSQL and the load generator`,
    ...(version ? [`PostgreSQL ${version}`] : []),
  ];
  const rows: Array<Record<string, Cell>> = [];
  for (const kind of kinds) rows.push(...(await benchOne(kind, options)));
  return { rows, notes };
}
