// Assignment by hand: to a member (or to nobody), and transfers to another team and/or agent.
// Both take the workspace's assignment lock before the conversation's row, as automatic
// assignment does, and offer queues whatever capacity they free.
import { recordAudit } from '../../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../../platform/auth/actor.js';
import type { Db } from '../../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../../platform/db/transaction.js';
import { emit } from '../../../platform/events/index.js';
import { invalid, notFound } from '../../../platform/http/errors.js';
import { requireConversation } from '../conversations.js';
import * as conversations from '../conversations-store.js';
import { inboxEvents } from '../events.js';
import * as live from '../live/notices.js';
import { toConversation } from '../present.js';
import { teamExists } from '../queries/agents.js';
import { offerTeam, offerTeamsOf } from './assign.js';
import { lockAssignments } from './store.js';

type Row = conversations.ConversationRow;

/** What follows any change of assignee or team: events, the push, and queues offered again. */
async function reassigned(tx: Tx, actor: Actor, before: Row, after: { teamId: string | null; memberId: string | null }, reason: 'manual' | 'transfer') {
  const w = actor.workspaceId;
  if (before.assignee_member_id !== after.memberId) {
    await emit(tx, w, inboxEvents.conversationAssigned, { conversationId: before.id, fromMemberId: before.assignee_member_id, toMemberId: after.memberId, actorMemberId: actor.memberId, reason });
  }
  const was = live.accessOf(before);
  await live.assigned(tx, w, { ...was, t: after.teamId, a: after.memberId }, was, { reason, actorId: actor.memberId });
  // Unassigned: it waits in its team's queue. Taken from someone: they may have room now.
  if (!after.memberId && before.status === 'open') await offerTeam(tx, w, after.teamId);
  if (before.assignee_member_id && before.assignee_member_id !== after.memberId && before.status === 'open') await offerTeamsOf(tx, w, before.assignee_member_id);
  // Moved beyond the actor's sight, it is still theirs to read back once.
  return toConversation((await conversations.findConversation(tx, actor, before.id, { visibility: false }))!);
}

export async function assignConversation(db: Db, actor: Actor, id: string, memberId: string | null) {
  requireAccess(actor, 'inbox:write');
  return inTransaction(db, async (tx) => {
    await lockAssignments(tx, actor.workspaceId);
    const before = await requireConversation(tx, actor, id, true);
    if (memberId && !(await conversations.memberExists(tx, actor.workspaceId, memberId))) throw notFound('Member');
    if (before.assignee_member_id === memberId) return toConversation(before);
    await conversations.setAssignee(tx, actor.workspaceId, id, memberId);
    await recordAudit(tx, actor, { action: 'conversation.assigned', entityType: 'conversation', entityId: id, before: { assigneeId: before.assignee_member_id }, after: { assigneeId: memberId } });
    return reassigned(tx, actor, before, { teamId: before.team_id, memberId }, 'manual');
  });
}

/**
 * Hands the conversation to another team (it waits in that team's queue, or goes to the agent
 * given too) or to an agent (the team stays unless given).
 */
export async function transferConversation(db: Db, actor: Actor, id: string, to: { teamId?: string; memberId?: string }) {
  requireAccess(actor, 'inbox:write');
  return inTransaction(db, async (tx) => {
    await lockAssignments(tx, actor.workspaceId);
    const before = await requireConversation(tx, actor, id, true);
    if (!to.teamId && !to.memberId) throw invalid([{ path: 'teamId', message: 'Transfer to a team, to an agent, or both' }]);
    if (to.teamId && !(await teamExists(tx, actor.workspaceId, to.teamId))) throw notFound('Team');
    if (to.memberId && !(await conversations.memberExists(tx, actor.workspaceId, to.memberId))) throw notFound('Member');
    const after = { teamId: to.teamId ?? before.team_id, memberId: to.memberId ?? null };
    await conversations.setTeamAndAssignee(tx, actor.workspaceId, id, after.teamId, after.memberId);
    const fields = { teamId: before.team_id, assigneeId: before.assignee_member_id };
    await recordAudit(tx, actor, { action: 'conversation.transferred', entityType: 'conversation', entityId: id, before: fields, after: { teamId: after.teamId, assigneeId: after.memberId } });
    await emit(tx, actor.workspaceId, inboxEvents.conversationTransferred, {
      conversationId: id,
      fromTeamId: before.team_id,
      toTeamId: after.teamId,
      fromMemberId: before.assignee_member_id,
      toMemberId: after.memberId,
      actorMemberId: actor.memberId,
    });
    return reassigned(tx, actor, before, after, 'transfer');
  });
}
