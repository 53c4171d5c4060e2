// This process's sockets, by workspace. A notice from the listener goes to the sockets of its
// workspace whose subscriber admits it (each serialised once per notice, however many receive
// it). The hub pings every socket each heartbeat and drops the ones that did not answer the
// previous ping, and has each subscriber re-check its credentials every refresh interval.
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { AppError } from '../http/errors.js';
import { errorMessage } from '../queue/backoff.js';
import { CLOSE, Connection, type ConnectionLimits } from './connection.js';
import type { ClientEvent, Notice } from './notice.js';

/** What a socket is connected as (an agent, later a widget visitor), and what it may receive. */
export interface Subscriber {
  readonly workspaceId: string;
  /** The event this socket receives for a notice (the notice's own or one of its `alt`), or undefined. */
  select(notice: Notice): ClientEvent | undefined;
  /** A client message (a JSON object with a string `type`, other than `ping`). */
  receive(message: ClientMessage, connection: Connection): Promise<void>;
  /** Re-checks the credentials and reloads what the subscriber knows; false closes the socket. */
  refresh(): Promise<boolean>;
  closed(): void;
}

export type ClientMessage = { type: string } & Record<string, unknown>;

export interface HubOptions {
  logger: Logger;
  heartbeatMs: number;
  refreshMs: number;
  limits: ConnectionLimits;
}

interface Entry {
  connection: Connection;
  subscriber: Subscriber;
}

export type Hub = ReturnType<typeof createHub>;

export function createHub(options: HubOptions) {
  const { logger } = options;
  const byWorkspace = new Map<string, Set<Entry>>();
  const all = () => [...byWorkspace.values()].flatMap((set) => [...set]);

  function remove(entry: Entry) {
    const set = byWorkspace.get(entry.subscriber.workspaceId);
    if (!set?.delete(entry)) return;
    if (!set.size) byWorkspace.delete(entry.subscriber.workspaceId);
    entry.subscriber.closed();
  }

  async function onMessage(entry: Entry, data: Buffer, isBinary: boolean) {
    const { connection } = entry;
    if (!connection.admit()) return connection.close(CLOSE.policy, 'too many messages');
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(data.toString('utf8'));
    } catch {
      message = undefined;
    }
    if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') {
      connection.send({ type: 'error', data: { code: 'validation_failed', message: 'Send JSON objects with a string "type"' } });
      return;
    }
    const m = message as ClientMessage;
    if (m.type === 'ping') return void connection.send({ type: 'pong', data: {} });
    try {
      await entry.subscriber.receive(m, connection);
    } catch (error) {
      if (error instanceof AppError) {
        connection.send({ type: 'error', data: { code: error.code, message: error.message, for: m.type, ...error.details } });
      } else {
        logger.error({ error: errorMessage(error), type: m.type }, 'realtime: client message failed');
        connection.send({ type: 'error', data: { code: 'internal', message: 'Something went wrong on our side', for: m.type } });
      }
    }
  }

  function attach(ws: WebSocket, subscriber: Subscriber): Connection {
    const entry: Entry = { connection: new Connection(ws, options.limits), subscriber };
    let set = byWorkspace.get(subscriber.workspaceId);
    if (!set) byWorkspace.set(subscriber.workspaceId, (set = new Set()));
    set.add(entry);
    ws.on('message', (data: Buffer, isBinary: boolean) => void onMessage(entry, data, isBinary));
    ws.on('close', () => remove(entry));
    return entry.connection;
  }

  function dispatch(notice: Notice) {
    const set = byWorkspace.get(notice.w);
    if (!set) return;
    const texts = new Map<ClientEvent, string>();
    for (const entry of set) {
      const event = entry.subscriber.select(notice);
      if (!event) continue;
      let text = texts.get(event);
      if (text === undefined) texts.set(event, (text = JSON.stringify(event)));
      entry.connection.sendText(text);
    }
  }

  /** Everyone re-reads: events may have been lost (the LISTEN connection was replaced). */
  function resync() {
    const text = JSON.stringify({ type: 'resync', data: { reason: 'listener_reconnected' } });
    for (const entry of all()) entry.connection.sendText(text);
  }

  function heartbeat() {
    for (const { connection } of all()) {
      if (!connection.alive) {
        connection.ws.terminate();
        continue;
      }
      connection.alive = false;
      connection.ws.ping();
    }
  }

  let refreshing = false;
  async function refresh() {
    if (refreshing) return;
    refreshing = true;
    try {
      for (const entry of all()) {
        const still = await entry.subscriber.refresh().catch((error: unknown) => {
          logger.warn({ error: errorMessage(error) }, 'realtime: refresh failed; keeping the socket until the next one');
          return true;
        });
        if (!still) entry.connection.close(CLOSE.sessionEnded, 'session ended');
      }
    } finally {
      refreshing = false;
    }
  }

  const timers = [setInterval(heartbeat, options.heartbeatMs), setInterval(() => void refresh(), options.refreshMs)];
  for (const t of timers) t.unref();

  return {
    attach,
    dispatch,
    resync,
    /** Runs the credential re-check now (tests; the timer runs it every refresh interval). */
    refresh,
    get size() {
      return all().length;
    },
    stop() {
      for (const t of timers) clearInterval(t);
    },
  };
}
