// A real websocket client (the `ws` package) for the realtime tests: it keeps every event it
// receives, and waits for one with a timeout — tests wait for events, never measure time.
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';

export interface ReceivedEvent {
  type: string;
  data: Record<string, unknown>;
}

export interface TestSocket {
  ws: WebSocket;
  events: ReceivedEvent[];
  /** The first event (from the start) of this type matching `where`, waiting up to `timeoutMs`. */
  next(type: string, where?: (data: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  send(message: Record<string, unknown>): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** The ws:// URL of a listening app's socket (the members' by default; the widget's visitors' at /widget/v1/socket). */
export function socketUrl(app: FastifyInstance, path = '/api/v1/realtime') {
  const { port } = app.server.address() as { port: number };
  return `ws://127.0.0.1:${port}${path}`;
}

/** Signs in over HTTP and returns the session cookie header, as the console holds it. */
export async function sessionCookie(app: FastifyInstance, email: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return (res.cookies as Array<{ name: string; value: string }>).map((c) => `${c.name}=${c.value}`).join('; ');
}

/** Opens the socket; rejects with the HTTP status when the upgrade is refused. */
export function openSocket(app: FastifyInstance, headers: Record<string, string>, path?: string): Promise<TestSocket> {
  const ws = new WebSocket(socketUrl(app, path), { headers });
  const events: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    events.push(JSON.parse(data.toString()) as ReceivedEvent);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const socket: TestSocket = {
    ws,
    events,
    closed,
    next(type, where = () => true, timeoutMs = 15_000) {
      const find = () => events.find((e) => e.type === type && where(e.data));
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = find();
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`No ${type} event within ${timeoutMs} ms; got: ${events.map((e) => e.type).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    send: (message) => ws.send(JSON.stringify(message)),
    async close() {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
      await closed;
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`upgrade refused: ${res.statusCode}`));
    });
    ws.once('error', reject);
  });
}
