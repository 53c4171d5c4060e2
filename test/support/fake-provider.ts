// A fake provider for outbound tests: a real HTTP server on 127.0.0.1 that records every request
// it receives and answers with what the test scripted (by default 200 with an id), e.g. a 429
// with Retry-After or a 500, so the send path is exercised over real sockets.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json(): unknown;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeProvider {
  url: string;
  received: ReceivedRequest[];
  /** Answers the next requests with these, in order; then back to 200 {id}. */
  failNext(...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const received: ReceivedRequest[] = [];
  const script: ScriptedAnswer[] = [];
  let sequence = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json: () => JSON.parse(body.toString('utf8')) });
      const answer = script.shift() ?? { status: 200, body: { id: `fake-${++sequence}` } };
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/messages`,
    received,
    failNext: (...answers) => script.push(...answers),
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
