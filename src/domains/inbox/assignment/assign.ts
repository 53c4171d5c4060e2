// Automatic assignment. A team that assigns automatically hands its waiting conversations
// (unassigned, open, the customer waiting) to its online agents, longest-waiting first:
// round-robin (the next agent by id after the last one given a conversation) or least-busy (the
// fewest open conversations; ties to the one who waited longest since an assignment), skipping
// agents at the team's cap. With nobody free the conversation stays queued; whatever frees
// capacity (an agent resolves, comes online, is unassigned, the cap rises) offers the team's
// queue again, through the drain job, after its transaction commits.
//
// Exactly once: each assignment is one short transaction that first takes the workspace's
// assignment lock (store.lockAssignments), then reads the queue and the agents' loads — both
// as the previous holder committed them — so two processes can neither give the same
// conversation twice nor fill an agent past the cap.
import { z } from 'zod';
import type { Db } from '../../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../../platform/db/transaction.js';
import { emit } from '../../../platform/events/index.js';
import { defineJob, enqueue } from '../../../platform/queue/index.js';
import * as conversations from '../conversations-store.js';
import { inboxEvents } from '../events.js';
import * as live from '../live/notices.js';
import { autoTeamsOf, onlineAgents, type Candidate } from '../queries/agents.js';
import type { AssignmentMode } from '../tables.js';
import * as store from './store.js';

/** Assignments per drain run; a longer queue continues in the next run. */
const BATCH = 100;

export interface Policy {
  mode: AssignmentMode;
  agentCap: number | null;
  lastAssignedMemberId: string | null;
}

/** The agent to give the next conversation to, or undefined when all are at the cap. */
export function choose(policy: Policy, agents: readonly Candidate[]): string | undefined {
  const free = agents.filter((a) => policy.agentCap === null || a.open < policy.agentCap);
  if (!free.length) return undefined;
  if (policy.mode === 'round_robin') {
    const last = policy.lastAssignedMemberId;
    return (free.find((a) => last !== null && a.memberId > last) ?? free[0]!).memberId;
  }
  const waited = (a: Candidate) => a.lastAssignedAt?.getTime() ?? -Infinity;
  return [...free].sort((a, b) => a.open - b.open || waited(a) - waited(b) || (a.memberId < b.memberId ? -1 : 1))[0]!.memberId;
}

export type Outcome = { assigned: { conversationId: string; memberId: string } } | { stopped: 'off' | 'empty' | 'full' };

/** Assigns the team's longest-waiting conversation, if it assigns automatically and someone is free. */
export function assignNext(db: Db, workspaceId: string, teamId: string): Promise<Outcome> {
  return inTransaction(db, async (tx) => {
    await store.lockAssignments(tx, workspaceId);
    const settings = await store.findSettings(tx, workspaceId, teamId);
    if (!settings?.auto_assign) return { stopped: 'off' };
    for (;;) {
      const id = await store.nextWaiting(tx, workspaceId, teamId);
      if (!id) return { stopped: 'empty' };
      // Locked, then checked again: a change committed meanwhile (resolved, answered) takes it out.
      const conv = await store.lockConversation(tx, workspaceId, id);
      if (!conv || conv.assignee_member_id !== null || conv.status !== 'open' || conv.waiting_since === null || conv.team_id !== teamId) continue;
      const memberId = choose({ mode: settings.mode, agentCap: settings.agent_cap, lastAssignedMemberId: settings.last_assigned_member_id }, await onlineAgents(tx, workspaceId, teamId));
      if (!memberId) return { stopped: 'full' };
      await conversations.setAssignee(tx, workspaceId, id, memberId);
      await store.recordAssignment(tx, workspaceId, teamId, memberId);
      await emit(tx, workspaceId, inboxEvents.conversationAssigned, { conversationId: id, fromMemberId: null, toMemberId: memberId, actorMemberId: null, reason: 'auto' });
      const before = live.accessOf(conv);
      await live.assigned(tx, workspaceId, { ...before, a: memberId }, before, { reason: 'auto', actorId: null });
      return { assigned: { conversationId: id, memberId } };
    }
  });
}

/** Assigns until the queue is empty, everyone is at the cap, or a batch is done (then queues another run). */
export async function drainTeam(db: Db, workspaceId: string, teamId: string) {
  let assigned = 0;
  while (assigned < BATCH) {
    const outcome = await assignNext(db, workspaceId, teamId);
    if ('stopped' in outcome) return { assigned, stopped: outcome.stopped };
    assigned++;
  }
  await enqueue(db, drainJob, { workspaceId, teamId });
  return { assigned, stopped: 'batch' as const };
}

export const drainJob = defineJob({
  name: 'inbox.assignment.drain',
  queue: 'realtime',
  maxAttempts: 5,
  payload: z.object({ workspaceId: z.uuid(), teamId: z.uuid() }),
  handler: (ctx, { workspaceId, teamId }) => drainTeam(ctx.db, workspaceId, teamId),
});

/** Offers the team's queue again once the caller's transaction commits. */
export const offerTeam = (tx: Tx, workspaceId: string, teamId: string | null) => (teamId ? enqueue(tx, drainJob, { workspaceId, teamId }) : Promise.resolve(undefined));

/** The member can take more (resolved one, came online, was unassigned): offer their teams' queues. */
export async function offerTeamsOf(tx: Tx, workspaceId: string, memberId: string | null) {
  if (!memberId) return;
  for (const teamId of await autoTeamsOf(tx, workspaceId, memberId)) await offerTeam(tx, workspaceId, teamId);
}
