// Widget visitors for bench/benchmarks/widget-sockets.ts, in a child process of their own so that
// their sockets' memory is not counted as the server's. Plain JavaScript (forked without tsx).
//
// On { start }: opens `count` visitor sessions (each from its own address, X-Forwarded-For) and
// their sockets, `concurrency` at a time, and answers { connected, failed, seconds }.
// On { talk: n }: the first n visitors each send one message; answers { talked }.
// On { collect }: answers { received: { <conversationId>: epoch ms of the agent's message } }.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const epochMs = () => performance.timeOrigin + performance.now();
let visitors = [];
const received = {};

async function call(base, origin, path, body, headers = {}) {
  const res = await globalThis.fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin, ...headers }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? {} : res.json();
}

async function openVisitor({ url, channelId, origin }, i) {
  const base = `${url}/widget/v1/channels/${channelId}`;
  const address = { 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
  const { session } = await call(base, origin, '/session', {}, address);
  const headers = { ...address, 'x-renmai-visitor': session.token };
  const { ticket } = await call(base, origin, '/socket-ticket', {}, headers);
  const ws = new WebSocket(`${url.replace('http', 'ws')}/widget/v1/socket?token=${encodeURIComponent(ticket)}`, { headers: { origin } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.on('message', (data) => {
    const event = JSON.parse(data.toString());
    if (event.type === 'message.created' && event.data.direction === 'out') received[event.data.conversationId] ??= epochMs();
  });
  return { ws, base, headers };
}

async function start(options) {
  const t0 = performance.now();
  let next = 0;
  let failed = 0;
  const opened = [];
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.count) {
        const i = next++;
        try {
          opened[i] = await openVisitor(options, i);
        } catch (error) {
          failed++;
          if (failed <= 3) process.stderr.write(`visitor ${i}: ${error.message}\n`);
        }
      }
    }),
  );
  visitors = opened.filter(Boolean);
  return { connected: visitors.length, failed, seconds: (performance.now() - t0) / 1000 };
}

async function talk(n, origin) {
  await Promise.all(visitors.slice(0, n).map((v, i) => call(v.base, origin, '/messages', { clientMessageId: `bench-${i}`, text: `你好，我想问一下订单 ${i}` }, v.headers)));
  return { talked: Math.min(n, visitors.length) };
}

let options;
process.on('message', async (m) => {
  try {
    if (m.start) process.send(await start((options = m.start)));
    else if (m.talk) process.send(await talk(m.talk, options.origin));
    else if (m.collect) {
      process.send({ received });
      for (const v of visitors) v.ws.terminate();
      process.exit(0);
    }
  } catch (error) {
    process.send({ error: error.message });
  }
});
