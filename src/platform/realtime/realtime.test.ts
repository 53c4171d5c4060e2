// The members' websocket against the real server (real TCP, the `ws` client): authentication as
// HTTP does it plus the Origin check, notices sent on commit only and to their audience, ping,
// limits on client messages, slow readers dropped, sessions re-checked, and the LISTEN
// connection replaced when it dies.
import { connect as tcpConnect } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createOwner, createTestApp, type TestApp } from '../../../test/support/app.js';
import { testDbKind } from '../../../test/support/db.js';
import { inTransaction } from '../db/transaction.js';
import { waitFor } from '../queue/test-support.js';
import { publish } from './notice.js';
import { openSocket, sessionCookie, type TestSocket } from './test-client.js';

let t: TestApp;
let owner: Awaited<ReturnType<typeof createOwner>>;
let cookie: string;
let origin: string;
const open: TestSocket[] = [];

async function connect(headers: Record<string, string>) {
  const socket = await openSocket(t.app, headers);
  open.push(socket);
  return socket;
}

beforeAll(async () => {
  t = await createTestApp({ REALTIME_HEARTBEAT_SECONDS: '1', REALTIME_MAX_BUFFER_BYTES: '4096' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  owner = await createOwner(t, 'Realtime');
  cookie = await sessionCookie(t.app, owner.user.email, owner.user.password);
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await t.close();
});

const note = (text: string) => ({ w: owner.workspace.id, to: { m: owner.memberId }, e: { type: 'test.note', data: { text } } });

describe('authentication', () => {
  it('refuses without credentials (401) and a session cookie from a foreign origin (403), as problem+json before any upgrade', async () => {
    await expect(openSocket(t.app, {})).rejects.toThrow('upgrade refused: 401');
    await expect(openSocket(t.app, { cookie: 'renmai_session=forged' })).rejects.toThrow('upgrade refused: 401');
    await expect(openSocket(t.app, { cookie, origin: 'https://evil.example' })).rejects.toThrow('upgrade refused: 403');
    const plain = await t.app.inject({ method: 'GET', url: '/api/v1/realtime', headers: { cookie } });
    expect(plain.statusCode).toBe(400);
    expect(plain.headers['content-type']).toContain('application/problem+json');
  });

  it('ends the connection of a refused upgrade itself, whatever the client does', async () => {
    const { port } = t.app.server.address() as { port: number };
    const raw = tcpConnect(port, '127.0.0.1');
    let answer = '';
    raw.on('data', (d) => (answer += d));
    raw.write('GET /api/v1/realtime HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    await new Promise((resolve) => raw.on('close', resolve));
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
  });

  it('accepts the console origin, a client without Origin, and an API key from any origin; says who it is', async () => {
    const fromConsole = await connect({ cookie, origin });
    expect((await fromConsole.next('ready')).data).toMatchObject({ workspaceId: owner.workspace.id, memberId: owner.memberId });
    await (await connect({ cookie })).next('ready');
    const client = await Client.login(t, owner.user.email, owner.user.password);
    const key = (await client.post('/api/v1/api-keys', { name: 'events', scopes: ['inbox:read'] })).json().secret as string;
    await (await connect({ authorization: `Bearer ${key}`, origin: 'https://integrations.example' })).next('ready');
    await expect(openSocket(t.app, { authorization: 'Bearer rk_not_a_key' })).rejects.toThrow('upgrade refused: 401');
  });

  it('closes the socket (4001) once the session has ended', async () => {
    const own = await sessionCookie(t.app, owner.user.email, owner.user.password);
    const socket = await connect({ cookie: own });
    await socket.next('ready');
    const csrf = own.match(/renmai_csrf=([^;]+)/)![1]!;
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: own, 'x-csrf-token': csrf } })).statusCode).toBe(204);
    await t.app.realtime.hub.refresh();
    expect((await socket.closed).code).toBe(4001);
  });
});

describe('notices', () => {
  it('reach the audience when their transaction commits, never when it rolls back, and never another workspace', async () => {
    const socket = await connect({ cookie });
    await socket.next('ready');
    await inTransaction(t.database.db, (tx) => publish(tx, note('inside')));
    await socket.next('test.note', (d) => d.text === 'inside');
    await expect(
      inTransaction(t.database.db, async (tx) => {
        await publish(tx, note('rolled back'));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const other = await createOwner(t, 'Elsewhere');
    await publish(t.database.db, { w: other.workspace.id, to: { p: 'inbox:read' }, e: { type: 'test.note', data: { text: 'foreign' } } });
    await publish(t.database.db, { w: owner.workspace.id, to: { m: other.memberId }, e: { type: 'test.note', data: { text: 'not me' } } });
    await publish(t.database.db, { w: owner.workspace.id, to: { p: 'inbox:read' }, e: { type: 'test.note', data: { text: 'after' } } });
    // Notices arrive in commit order: once the last one is here, the others would have been too.
    await socket.next('test.note', (d) => d.text === 'after');
    expect(socket.events.filter((e) => e.type === 'test.note').map((e) => e.data.text)).toEqual(['inside', 'after']);
  });

  it('tells the receivers to re-read when a notice is too large to send', async () => {
    const socket = await connect({ cookie });
    await socket.next('ready');
    await publish(t.database.db, { ...note('x'.repeat(10_000)) });
    expect((await socket.next('resync')).data).toEqual({ reason: 'event_too_large' });
  });
});

describe('client messages', () => {
  it('answers ping, explains a malformed or unknown message, and closes a socket that floods (1008)', async () => {
    const socket = await connect({ cookie });
    await socket.next('ready');
    socket.send({ type: 'ping' });
    await socket.next('pong');
    socket.ws.send('not json');
    expect((await socket.next('error')).data.code).toBe('validation_failed');
    socket.send({ type: 'dance' });
    await socket.next('error', (d) => d.for === 'dance');
    for (let i = 0; i < 100; i++) socket.send({ type: 'ping' });
    expect((await socket.closed).code).toBe(1008);
  });

  it('refuses a message larger than 4 KiB (1009)', async () => {
    const socket = await connect({ cookie });
    await socket.next('ready');
    socket.send({ type: 'ping', pad: 'x'.repeat(5000) });
    expect((await socket.closed).code).toBe(1009);
  });
});

describe('back-pressure', () => {
  it('drops a reader that stops reading instead of buffering for it', async () => {
    const socket = await connect({ cookie });
    await socket.next('ready');
    const before = t.app.realtime.hub.size;
    // The client stops reading: the kernel buffers fill, then the server's own buffer grows.
    const tcp = (socket.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    tcp.pause();
    const big = { ...note('y'.repeat(7000)) };
    await waitFor(
      async () => {
        for (let i = 0; i < 20; i++) await publish(t.database.db, big);
        return t.app.realtime.hub.size < before;
      },
      'the slow socket to be dropped',
      60_000,
    );
    // Reading again, the client finds its connection ended by the server (no close frame: 1006).
    tcp.resume();
    expect((await socket.closed).code).toBe(1006);
  });
});

describe.runIf(testDbKind === 'postgres')('listener', () => {
  it('listens again when its connection dies, and tells sockets to resync', async () => {
    const socket = await connect({ cookie });
    await socket.next('ready');
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%'`.execute(t.database.db);
    // Its canaries stop coming back; within a few heartbeats it listens on a new connection.
    await socket.next('resync', (d) => d.reason === 'listener_reconnected', 30_000);
    await publish(t.database.db, note('after reconnect'));
    await socket.next('test.note', (d) => d.text === 'after reconnect');
  });
});
