// Presence: online / away / offline per member. The member chooses online, away or offline;
// they are shown as chosen only while connected — a console socket open on some server process
// within PRESENCE_TIMEOUT_SECONDS (processes touch their members' rows every third of it, and
// the worker's sweep clears those that went quiet). Only online agents get automatic assignments,
// so coming online offers the queues of the member's teams.
import { requireAccess, type Actor } from '../../../platform/auth/actor.js';
import type { Db } from '../../../platform/db/connect.js';
import { inTransaction } from '../../../platform/db/transaction.js';
import { invalid } from '../../../platform/http/errors.js';
import { decodeCursor, toPage } from '../../../platform/http/pagination.js';
import type { MemberRef } from '../../../platform/realtime/index.js';
import * as live from '../live/notices.js';
import { listAgents } from '../queries/agents.js';
import type { PresenceStatus } from '../tables.js';
import { offerTeamsOf } from './assign.js';
import * as store from './presence-store.js';

const shown = (p: { status: PresenceStatus; connected: boolean }): PresenceStatus => (p.connected ? p.status : 'offline');

async function change(db: Db, ref: MemberRef, next: { status?: PresenceStatus; connected?: boolean }) {
  return inTransaction(db, async (tx) => {
    const before = await store.lockPresence(tx, ref.workspaceId, ref.memberId);
    const after = { status: next.status ?? before.status, connected: next.connected ?? before.connected };
    const [was, now] = [shown(before), shown(after)];
    await store.setPresence(tx, ref.workspaceId, ref.memberId, { ...next, changed: was !== now });
    if (was !== now) await live.presenceChanged(tx, ref.workspaceId, ref.memberId, now);
    if (now === 'online' && was !== 'online') await offerTeamsOf(tx, ref.workspaceId, ref.memberId);
    return now;
  });
}

/** A console socket of the member opened on this process. */
export const markConnected = (db: Db, ref: MemberRef) => change(db, ref, { connected: true });

/** This process still holds sockets of these members. */
export async function touchConnected(db: Db, refs: MemberRef[]) {
  const moved = new Set((await store.touch(db, refs)).map((r) => `${r.workspace_id}:${r.member_id}`));
  // Swept as gone while their socket lived on (a long pause): connected again.
  for (const ref of refs) if (!moved.has(`${ref.workspaceId}:${ref.memberId}`)) await markConnected(db, ref);
}

/** The worker's sweep: members without a socket for `seconds` go offline. */
export function expirePresence(db: Db, seconds: number) {
  return inTransaction(db, async (tx) => {
    const gone = await store.expire(tx, seconds);
    for (const g of gone) if (g.status !== 'offline') await live.presenceChanged(tx, g.workspace_id, g.member_id, 'offline');
    return gone.length;
  });
}

export async function setMyPresence(db: Db, actor: Actor, status: PresenceStatus) {
  requireAccess(actor, 'inbox:write');
  await change(db, actor, { status });
  return (await listAgents(db, actor.workspaceId, { memberId: actor.memberId, limit: 1 }))[0]!;
}

export async function listPresence(db: Db, actor: Actor, filter: { teamId?: string; cursor?: string; limit: number }) {
  requireAccess(actor, 'inbox:read');
  const afterId = filter.cursor ? String(decodeCursor(filter.cursor, 1)[0]) : undefined;
  if (afterId !== undefined && !/^[0-9a-f-]{36}$/i.test(afterId)) throw invalid([{ path: 'cursor', message: 'Invalid cursor' }]);
  const rows = await listAgents(db, actor.workspaceId, { teamId: filter.teamId, afterId, limit: filter.limit + 1 });
  return toPage(rows, filter.limit, (r) => [r.memberId], (r) => r);
}
