// The hub's routing over real sockets: broad subscribers are offered every notice of their
// workspace, narrow ones only notices carrying one of their keys, under the keys they have now.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { silentLogger, waitFor } from '../queue/test-support.js';
import type { Connection } from './connection.js';
import { createHub, type Subscriber } from './hub.js';
import type { Notice } from './notice.js';

const hub = createHub({ logger: silentLogger, heartbeatMs: 60_000, refreshMs: 60_000, limits: { maxBufferedBytes: 1 << 20, messageBurst: 10, messagesPerSecond: 10 } });
let server: WebSocketServer;
const clients: WebSocket[] = [];

beforeAll(async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
});
afterAll(async () => {
  for (const c of clients) c.close();
  hub.stop();
  await new Promise((resolve) => server.close(resolve));
});

/** A client socket whose server side is attached to the hub as `subscriber`; what it receives is collected. */
async function connect(subscriber: Subscriber) {
  const attached = new Promise<Connection>((resolve) => server.once('connection', (ws) => resolve(hub.attach(ws, subscriber))));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  clients.push(client);
  const received: string[] = [];
  client.on('message', (data) => received.push(JSON.parse(data.toString()).data.text));
  await once(client, 'open');
  return { connection: await attached, received };
}

const subscriber = (workspaceId: string, keys?: () => string[]): Subscriber => ({
  workspaceId,
  select: (notice) => notice.e,
  receive: async () => {},
  refresh: async () => true,
  closed: () => {},
  ...(keys ? { keys } : {}),
});

const notice = (w: string, text: string, k?: string[]): Notice => ({ w, to: { m: 'x' }, e: { type: 'test', data: { text } }, ...(k ? { k } : {}) });

describe('realtime hub routing', () => {
  it('offers broad subscribers everything of their workspace, narrow ones only their keys, and follows a change of keys', async () => {
    const agent = await connect(subscriber('w1'));
    let key = 'channel:c1';
    const visitor = await connect(subscriber('w1', () => [key]));
    const other = await connect(subscriber('w1', () => ['conversation:other']));
    const elsewhere = await connect(subscriber('w2'));

    hub.dispatch(notice('w1', 'plain'));
    hub.dispatch(notice('w1', 'first message', ['conversation:v1', 'channel:c1']));
    key = 'conversation:v1';
    visitor.connection.rekey();
    hub.dispatch(notice('w1', 'new elsewhere on c1', ['conversation:v2', 'channel:c1']));
    hub.dispatch(notice('w1', 'reply', ['conversation:v1', 'channel:c1']));
    hub.dispatch(notice('w2', 'theirs', ['conversation:v1']));

    await waitFor(async () => agent.received.length === 4 && visitor.received.length === 2 && elsewhere.received.length === 1, 'the notices to arrive');
    expect(agent.received).toEqual(['plain', 'first message', 'new elsewhere on c1', 'reply']);
    expect(visitor.received).toEqual(['first message', 'reply']);
    expect(other.received).toEqual([]);
    expect(elsewhere.received).toEqual(['theirs']);
    expect(hub.size).toBe(4);
  });
});
