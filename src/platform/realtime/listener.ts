// The process's one LISTEN on the realtime channel. A LISTEN connection can die quietly (a
// server restart, a proxy's idle timeout) and NOTIFY has no replay, so the listener sends itself
// a canary every interval; when its canaries stop arriving it listens again on a fresh connection
// and tells every socket to resync (re-read over HTTP what it may have missed).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { DatabaseHandle, Db } from '../db/connect.js';
import { errorMessage } from '../queue/backoff.js';
import { decodeNotice, REALTIME_CHANNEL, type Notice } from './notice.js';

export interface ListenerOptions {
  db: Db;
  handle: Pick<DatabaseHandle, 'listen'>;
  logger: Logger;
  canaryMs: number;
  onNotice(notice: Notice): void;
  /** The connection was replaced: notices may have been lost in between. */
  onResync(): void;
}

export interface Listener {
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 2000;

export async function startListener(options: ListenerOptions): Promise<Listener> {
  const { db, handle, logger, canaryMs } = options;
  const me = randomUUID();
  let lastCanaryAt = Date.now();
  let unlisten: (() => Promise<void>) | undefined;
  let stopped = false;

  const onPayload = (payload: string) => {
    const decoded = decodeNotice(payload);
    if (!decoded) return;
    if ('canary' in decoded) {
      if (decoded.canary === me) lastCanaryAt = Date.now();
      return;
    }
    options.onNotice(decoded);
  };

  async function listen() {
    unlisten = await handle.listen(REALTIME_CHANNEL, onPayload);
    lastCanaryAt = Date.now();
  }

  /** Ends the old subscription without waiting on a connection that may be dead. */
  async function drop() {
    const old = unlisten;
    unlisten = undefined;
    if (old) await Promise.race([old().catch(() => {}), new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref())]);
  }

  /** Every canaryMs: re-listen if our canaries stopped coming back, then send the next one. */
  async function check() {
    if (stopped) return;
    // Three intervals without our own canary: the LISTEN connection is gone.
    if (!unlisten || Date.now() - lastCanaryAt > 3 * canaryMs) {
      await drop();
      try {
        await listen();
        logger.warn('realtime: LISTEN re-established; sockets told to resync');
        options.onResync();
      } catch (error) {
        logger.error({ error: errorMessage(error) }, 'realtime: LISTEN failed; will retry');
        return;
      }
    }
    await sql`select pg_notify(${REALTIME_CHANNEL}, ${JSON.stringify({ canary: me })})`.execute(db).catch((error: unknown) => {
      logger.warn({ error: errorMessage(error) }, 'realtime: canary not sent');
    });
  }

  await listen();
  const timer = setInterval(() => void check(), canaryMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await drop();
    },
  };
}
