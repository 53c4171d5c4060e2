// NOTIFY after commit, not inside the transaction. A transaction that has called pg_notify takes
// a lock on the notification queue at commit and holds it through its WAL flush, so every such
// commit in the database waits for the one before: with 16 clients, pgbench measured 2,088
// transactions/s without a NOTIFY and 331 with one (PostgreSQL 15, this machine). Nearly every
// write here emits an event, queues a job or publishes a realtime notice, so each would serialise
// the whole server's commits.
//
// Instead a transaction opened by `inTransaction` collects its notices and, once it has
// committed, they are sent together with the notices of other transactions of that moment, in
// one short transaction of their own with asynchronous commit (nothing in it needs the disk).
// The guarantees callers rely on stay: nothing is sent for a transaction that rolls back, and a
// receiver that re-reads on a notice sees the change. A crash between the commit and the send
// loses the notice: the job worker and the outbox dispatcher also poll, and realtime clients
// re-read on reconnect, as they must anyway (NOTIFY has no replay).
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import type { Db } from './connect.js';

type Notice = readonly [channel: string, payload: string];

interface Scope {
  tx: Db;
  notices: Notice[];
  /** channel + NUL + payload of each notice, so a repeat costs a lookup, not a scan. */
  seen: Set<string>;
}

const scope = new AsyncLocalStorage<Scope>();

/** Runs `work` in a new transaction of `db`; its notices are sent when it has committed. */
export async function transactionWithNotices<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  const notices: Notice[] = [];
  const result = await db.transaction().execute((tx) => scope.run({ tx, notices, seen: new Set() }, () => work(tx)));
  if (notices.length) send(db, notices);
  return result;
}

/**
 * `pg_notify(channel, payload)` when `db`'s transaction commits (soon, outside a transaction).
 * Repeats within one transaction are sent once, as PostgreSQL would.
 */
export async function notifyOnCommit(db: Db, channel: string, payload: string): Promise<void> {
  if (!db.isTransaction) return send(db, [[channel, payload]]);
  const current = scope.getStore();
  if (current?.tx === db) {
    const key = `${channel}\u0000${payload}`;
    if (!current.seen.has(key)) {
      current.seen.add(key);
      current.notices.push([channel, payload]);
    }
    return;
  }
  // A transaction not opened by inTransaction: correct, at the cost described above.
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}

interface Outbox {
  pending: Notice[];
  /** The send in progress: the next one starts after it, so notices keep their order. */
  sending: Promise<void>;
  scheduled: boolean;
}

const outboxes = new WeakMap<Db, Outbox>();

function send(root: Db, notices: readonly Notice[]) {
  let outbox = outboxes.get(root);
  if (!outbox) outboxes.set(root, (outbox = { pending: [], sending: Promise.resolve(), scheduled: false }));
  outbox.pending.push(...notices);
  if (outbox.scheduled) return;
  outbox.scheduled = true;
  const box = outbox;
  box.sending = box.sending.then(async () => {
    box.scheduled = false;
    const batch = box.pending.splice(0);
    await root
      .transaction()
      .execute(async (tx) => {
        await sql`set local synchronous_commit = off`.execute(tx);
        await sql`select pg_notify(n.channel, n.payload) from unnest(${batch.map((n) => n[0])}::text[], ${batch.map((n) => n[1])}::text[]) with ordinality as n(channel, payload, i) order by n.i`.execute(tx);
      })
      .catch((error: unknown) => {
        // The database is closing, or gone for a moment: these were wake-ups and live updates that pollers and re-reads cover.
        process.emitWarning(`renmai: ${batch.length} notice(s) not sent: ${error instanceof Error ? error.message : String(error)}`);
      });
  });
}

/** Resolves when every notice handed over so far has been sent (a database closes after this). */
export async function noticesSent(root: Db): Promise<void> {
  const box = outboxes.get(root);
  while (box) {
    const current = box.sending;
    await current;
    if (box.sending === current && !box.pending.length) return;
  }
}
