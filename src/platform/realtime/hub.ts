// This process's sockets, by workspace. A notice from the listener goes to the sockets of its
// workspace whose subscriber admits it (each serialised once per notice, however many receive
// it). Broad subscribers (agents) are offered every notice of their workspace; narrow ones (widget
// visitors, thousands to a workspace) declare routing keys and are offered only the notices that
// carry one of them, so a reply is not weighed against every visitor's socket. The hub pings every socket each heartbeat and drops the ones that did not answer the
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
  /** A narrow subscriber's routing keys (see Notice.k); absent for a broad one. Call `Connection.rekey` when they change. */
  keys?(): readonly string[];
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
  /** The keys it is filed under (narrow subscribers). */
  keys: readonly string[];
}

interface Workspace {
  broad: Set<Entry>;
  byKey: Map<string, Set<Entry>>;
  size: number;
}

export type Hub = ReturnType<typeof createHub>;

export function createHub(options: HubOptions) {
  const { logger } = options;
  const byWorkspace = new Map<string, Workspace>();
  const entries = new Set<Entry>();
  const all = () => [...entries];

  function file(w: Workspace, entry: Entry) {
    if (!entry.subscriber.keys) return void w.broad.add(entry);
    entry.keys = [...entry.subscriber.keys()];
    for (const key of entry.keys) {
      const set = w.byKey.get(key);
      if (set) set.add(entry);
      else w.byKey.set(key, new Set([entry]));
    }
  }

  function unfile(w: Workspace, entry: Entry) {
    if (!entry.subscriber.keys) return void w.broad.delete(entry);
    for (const key of entry.keys) {
      const set = w.byKey.get(key);
      if (set?.delete(entry) && !set.size) w.byKey.delete(key);
    }
    entry.keys = [];
  }

  function remove(entry: Entry) {
    if (!entries.delete(entry)) return;
    const w = byWorkspace.get(entry.subscriber.workspaceId)!;
    unfile(w, entry);
    if (--w.size === 0) byWorkspace.delete(entry.subscriber.workspaceId);
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
    const entry: Entry = { connection: new Connection(ws, options.limits), subscriber, keys: [] };
    let w = byWorkspace.get(subscriber.workspaceId);
    if (!w) byWorkspace.set(subscriber.workspaceId, (w = { broad: new Set(), byKey: new Map(), size: 0 }));
    w.size += 1;
    entries.add(entry);
    file(w, entry);
    entry.connection.rekey = () => {
      if (!entries.has(entry)) return;
      unfile(w, entry);
      file(w, entry);
    };
    ws.on('message', (data: Buffer, isBinary: boolean) => void onMessage(entry, data, isBinary));
    ws.on('close', () => remove(entry));
    return entry.connection;
  }

  /** The workspace's broad entries and the narrow ones filed under one of the notice's keys. */
  function offered(w: Workspace, notice: Notice): Iterable<Entry> {
    if (!notice.k?.length || !w.byKey.size) return w.broad;
    const narrow = new Set<Entry>();
    for (const key of notice.k) for (const entry of w.byKey.get(key) ?? []) narrow.add(entry);
    return narrow.size ? [...w.broad, ...narrow] : w.broad;
  }

  function dispatch(notice: Notice) {
    const w = byWorkspace.get(notice.w);
    if (!w) return;
    const texts = new Map<ClientEvent, string>();
    for (const entry of offered(w, notice)) {
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
      return entries.size;
    },
    stop() {
      for (const t of timers) clearInterval(t);
    },
  };
}
