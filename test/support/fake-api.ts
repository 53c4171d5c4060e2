// A fake provider API for adapter tests: a real HTTP server on 127.0.0.1 that answers per route
// (method and path, a string or a RegExp) with what the test says, records every request, and
// can be told to fail the next calls of a route (a 429 with its wait, a 500, a refusal). Bodies
// are JSON unless given as a Buffer (a file download). Multipart requests can be read with
// `await req.form()`.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json(): unknown;
  /** The body as a multipart or urlencoded form. */
  form(): Promise<FormData>;
}

export interface FakeAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** JSON, or raw bytes; undefined: an empty body. */
  body?: unknown;
  /** Wait this long before answering (a slow provider). */
  delayMs?: number;
}

type Responder = FakeAnswer | ((req: FakeRequest) => FakeAnswer);
type Matcher = string | RegExp;

interface Route {
  method: string;
  path: Matcher;
  answer: Responder;
  next: FakeAnswer[];
}

export interface FakeApi {
  /** http://127.0.0.1:<port> (no trailing slash). */
  url: string;
  received: FakeRequest[];
  /** Requests whose path matches. */
  requests(path: Matcher): FakeRequest[];
  /** Sets how a route answers (a later call for the same route replaces it). */
  on(method: string, path: Matcher, answer: Responder): void;
  /** The next calls of a route get these answers, in order; then its usual answer again. */
  failNext(method: string, path: Matcher, ...answers: FakeAnswer[]): void;
  close(): Promise<void>;
}

const matches = (m: Matcher, path: string) => (typeof m === 'string' ? m === path.split('?')[0] : m.test(path));

export async function startFakeApi(): Promise<FakeApi> {
  const received: FakeRequest[] = [];
  const routes: Route[] = [];
  const routeOf = (method: string, path: Matcher) => routes.find((r) => r.method === method && String(r.path) === String(path));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = req.headers;
      const request: FakeRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers,
        body,
        json: () => JSON.parse(body.toString('utf8')),
        form: () => new Response(body, { headers: { 'content-type': String(headers['content-type'] ?? '') } }).formData(),
      };
      received.push(request);
      const route = routes.find((r) => r.method === request.method && matches(r.path, request.path));
      const answer: FakeAnswer = route ? (route.next.shift() ?? (typeof route.answer === 'function' ? route.answer(request) : route.answer)) : { status: 404, body: { message: 'no such route in the fake' } };
      const send = () => {
        const raw = Buffer.isBuffer(answer.body);
        res.writeHead(answer.status ?? 200, { ...(raw ? { 'content-type': 'application/octet-stream' } : { 'content-type': 'application/json' }), ...answer.headers });
        res.end(answer.body === undefined ? '' : raw ? (answer.body as Buffer) : JSON.stringify(answer.body));
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    requests: (path) => received.filter((r) => matches(path, r.path)),
    on(method, path, answer) {
      const existing = routeOf(method, path);
      if (existing) existing.answer = answer;
      else routes.push({ method, path, answer, next: [] });
    },
    failNext(method, path, ...answers) {
      let route = routeOf(method, path);
      if (!route) routes.push((route = { method, path, answer: { status: 404 }, next: [] }));
      route.next.push(...answers);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
