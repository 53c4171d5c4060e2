// Load for /hooks/<channel id>, run in a worker thread so the generator does not share the event
// loop of the in-process server it measures. Plain JavaScript: worker threads do not go through tsx.
//
// closed: `connections` loops POST signed batches of `eventsPerRequest` new messages for `duration` s.
// open:   one message every 1000/`rate` ms for `duration` s whatever the answers (an open loop, as
//         providers send), while an agent's websocket times each message from its POST to its
//         `message.created` event.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const { url, secret, mode, duration, connections, eventsPerRequest, senders, rate, socket, tag } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(connections ?? 1, 256) });
const target = new URL(url);
let n = 0;

function body(count) {
  const events = [];
  for (let i = 0; i < count; i++) {
    n += 1;
    const from = `sender-${n % senders}`;
    events.push({ id: `${tag}-e${n}`, type: 'message', from: { id: from, name: `访客 ${n % senders}` }, message: { id: `${tag}-m${n}`, kind: 'text', text: `bench #${n} 你好，请问这件商品还有货吗？` } });
  }
  const raw = JSON.stringify({ events });
  return { raw, seq: n, signature: `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}` };
}

function post({ raw, signature }) {
  return new Promise((resolve) => {
    const req = http.request(
      { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(raw), 'x-renmai-signature': signature } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', () => resolve(0));
    req.end(raw);
  });
}

const quantile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
const summary = (ms) => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p95: quantile(s, 0.95), p99: quantile(s, 0.99), max: s.at(-1) ?? NaN, count: s.length };
};

async function closed() {
  const until = performance.now() + duration * 1000;
  const latencies = [];
  let accepted = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const b = body(eventsPerRequest);
        const t0 = performance.now();
        const status = await post(b);
        latencies.push(performance.now() - t0);
        if (status === 200) accepted += eventsPerRequest;
        else failed += 1;
      }
    }),
  );
  return { events: accepted, failedRequests: failed, seconds: (performance.now() - started) / 1000, request: summary(latencies) };
}

async function open() {
  const ws = new WebSocket(socket.url, { headers: { cookie: socket.cookie, origin: socket.origin } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const sentAt = new Map();
  const delivered = [];
  ws.on('message', (data) => {
    const event = JSON.parse(data.toString());
    if (event.type !== 'message.created' || event.data.direction !== 'in') return;
    const seq = Number(/bench #(\d+)/.exec(event.data.preview)?.[1]);
    const t0 = sentAt.get(seq);
    if (t0 !== undefined) delivered.push(performance.now() - t0);
  });
  const total = Math.round(rate * duration);
  const interval = 1000 / rate;
  const start = performance.now();
  const posts = [];
  let failed = 0;
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const b = body(1);
    sentAt.set(b.seq, performance.now());
    posts.push(post(b).then((status) => status === 200 || failed++));
  }
  await Promise.all(posts);
  const sendSeconds = (performance.now() - start) / 1000;
  // Stragglers: wait until every message has reached the agent, or 30 s.
  const deadline = performance.now() + 30_000;
  while (delivered.length < total - failed && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  ws.close();
  return { sent: total, failedRequests: failed, achievedRate: total / sendSeconds, delivery: summary(delivered) };
}

parentPort.postMessage(mode === 'closed' ? await closed() : await open());
agent.destroy();
