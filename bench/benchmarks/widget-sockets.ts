// Many live-chat visitors on one server process: the server's memory per visitor socket, and with
// all of them connected, the time from an agent's reply (POST) to the visitor's socket event. The
// visitors run in a child process (bench/lib/widget-visitors.mjs), so their memory is not counted.
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { signedInOwner } from '../lib/console-session.js';
import { startBenchServer, type BenchServer } from '../lib/server.js';
import type { BenchOptions, BenchResult, Cell } from '../lib/types.js';

export const name = 'widget-sockets';
export const describe =
  'Live-chat visitors: --size visitor websockets on one server process (memory per connection), then agent replies to 200 of them while all are connected (POST → visitor socket p50/p99); PostgreSQL; run with NODE_OPTIONS=--expose-gc for memory after a collection';

const ORIGIN = 'http://shop.example';
const TALKERS = 200;
const REPLIES_PER_SECOND = 50;

function ask<T>(child: ChildProcess, message: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (answer: T & { error?: string }) => (answer.error ? reject(new Error(answer.error)) : resolve(answer)));
    child.send(message);
  });
}

/** The server's heap (JS and buffers) and resident size, after a collection when --expose-gc is on. */
function serverMemory() {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external, rss: m.rss };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function conversations(server: BenchServer, workspaceId: string, count: number, log: (m: string) => void) {
  for (;;) {
    const { rows } = await sql<{ id: string }>`select id from conversations where workspace_id = ${workspaceId}`.execute(server.db);
    if (rows.length >= count) return rows.map((r) => r.id);
    log(`  ${rows.length} of ${count} visitors' conversations opened`);
    await sleep(1000);
  }
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  if (options.db === 'pglite') throw new Error('widget-sockets runs on PostgreSQL (--db postgres)');
  const server = await startBenchServer('postgres', options.postgresUrl, {
    WORKER: 'true',
    WORKER_POLL_MS: '50',
    TRUST_PROXY: 'true',
    CHANNEL_SECRETS_KEY: Buffer.alloc(32, 5).toString('base64'),
  });
  const child = fork(new URL('../lib/widget-visitors.mjs', import.meta.url), { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const owner = await signedInOwner(server, '网站客服 Bench');
    const { channel } = await owner.post<{ channel: { id: string } }>('/api/v1/channels', { type: 'widget', name: 'Shop', settings: { allowedOrigins: [ORIGIN] }, secrets: {} });
    const before = serverMemory();
    options.log(`opening ${options.size} visitor sessions and sockets`);
    const opened = await ask<{ connected: number; failed: number; seconds: number }>(child, {
      start: { url: server.url, channelId: channel.id, origin: ORIGIN, count: options.size, concurrency: 50 },
    });
    await sleep(2000);
    const after = serverMemory();
    const perSocket = (bytes: number) => Math.round(bytes / Math.max(1, opened.connected) / 102.4) / 10;

    options.log(`${TALKERS} visitors write; waiting for their conversations`);
    await ask(child, { talk: TALKERS });
    const ids = await conversations(server, owner.workspaceId, Math.min(TALKERS, opened.connected), options.log);

    options.log(`replying to ${ids.length} visitors at ${REPLIES_PER_SECOND}/s with ${opened.connected} sockets open`);
    const sentAt = new Map<string, number>();
    const start = performance.now();
    await Promise.all(
      ids.map(async (id, i) => {
        await sleep(start + (i * 1000) / REPLIES_PER_SECOND - performance.now());
        sentAt.set(id, performance.timeOrigin + performance.now());
        await owner.post(`/api/v1/conversations/${id}/messages`, { text: `您好，订单已发货 ${i}` }, 202);
      }),
    );
    await sleep(3000);
    const { received } = await ask<{ received: Record<string, number> }>(child, { collect: true });
    const latencies = ids.filter((id) => received[id] !== undefined).map((id) => received[id]! - sentAt.get(id)!).sort((a, b) => a - b);
    const row: Record<string, Cell> = {
      visitors: options.size,
      connected: opened.connected,
      'failed to connect': opened.failed,
      'connect s': Number(opened.seconds.toFixed(1)),
      'server heap KB/socket': perSocket(after.heap - before.heap),
      'server RSS KB/socket': perSocket(after.rss - before.rss),
      'replies delivered': `${latencies.length} of ${ids.length}`,
      'reply→visitor p50 ms': Number(quantile(latencies, 0.5).toFixed(1)),
      'reply→visitor p99 ms': Number(quantile(latencies, 0.99).toFixed(1)),
    };
    return {
      rows: [row],
      notes: [
        `heap = V8 heap used + external of the server's process${(globalThis as { gc?: unknown }).gc ? ' after a collection' : ' (no --expose-gc: includes garbage not yet collected)'}; visitors in a child process`,
        `replies are POST /api/v1/conversations/{id}/messages as the owner, ${REPLIES_PER_SECOND}/s, timed to the visitor's message.created`,
      ],
    };
  } finally {
    child.kill();
    await server.stop();
  }
}
