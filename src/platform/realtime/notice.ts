// What travels between processes: a notice, published with pg_notify in the transaction of the
// change it announces, so it reaches listeners exactly when (and only if) that change commits and
// a client that re-reads over HTTP on receipt sees it. Notices carry ids and small fields only:
// NOTIFY payloads are limited to 8000 bytes, and clients fetch anything larger.
import type { Db } from '../db/connect.js';
import { notifyOnCommit } from '../db/notify.js';

export const REALTIME_CHANNEL = 'renmai_realtime';

/** Below PostgreSQL's 8000-byte NOTIFY limit, with room for the channel name. */
export const MAX_NOTICE_BYTES = 7900;

/** Who may receive a notice on an agent socket; `g` names a guard a domain registered. */
export type Audience =
  | { m: string }
  | { p: string }
  | { g: string; [field: string]: unknown };

/** The event a client receives: `{ type, data }`. */
export interface ClientEvent {
  type: string;
  data: Record<string, unknown>;
}

export interface Notice {
  /** Workspace: a socket only ever sees its own workspace's notices. */
  w: string;
  to: Audience;
  /** What those the audience admits receive. */
  e: ClientEvent;
  /** Other versions a guard may choose for some receivers (e.g. `gone`: "you no longer see this"). */
  alt?: Record<string, ClientEvent>;
  /** Routing keys: narrow subscribers (widget visitors) are offered only notices carrying one of theirs. */
  k?: string[];
}

/** Notices that are the listener's own liveness probe, not events. */
export interface Canary {
  canary: string;
}

export function encodeNotice(notice: Notice): string {
  const text = JSON.stringify(notice);
  if (Buffer.byteLength(text) <= MAX_NOTICE_BYTES) return text;
  // A domain put too much in: receivers are told to re-read instead of losing the event.
  return JSON.stringify({ w: notice.w, to: notice.to, e: { type: 'resync', data: { reason: 'event_too_large' } }, ...(notice.k ? { k: notice.k } : {}) } satisfies Notice);
}

/** Sends the notice when `db`'s transaction commits (at once outside a transaction). */
export async function publish(db: Db, notice: Notice): Promise<void> {
  await notifyOnCommit(db, REALTIME_CHANNEL, encodeNotice(notice));
}

export function decodeNotice(payload: string): Notice | Canary | undefined {
  try {
    const value = JSON.parse(payload) as Partial<Notice> & Partial<Canary>;
    if (typeof value.canary === 'string') return { canary: value.canary };
    if (typeof value.w === 'string' && value.to && typeof value.e?.type === 'string') return value as Notice;
  } catch {
    // Not ours (someone else NOTIFYing on the channel): ignored.
  }
  return undefined;
}
