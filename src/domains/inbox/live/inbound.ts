// What follows a stored inbound message, in the intake's transaction: the push to the agents who
// see the conversation (and its reopening, if it reopened), and an offer of the team's queue when
// the conversation has just started waiting for an agent.
import type { Selectable } from 'kysely';
import type { Tx } from '../../../platform/db/transaction.js';
import { offerTeam } from '../assignment/assign.js';
import type { MessageRow } from '../messages-store.js';
import { previewOf } from '../present.js';
import type { ConversationsTable, ConversationStatus } from '../tables.js';
import * as live from './notices.js';

interface Inbound {
  before: Selectable<ConversationsTable>;
  after: { inbound_count: number; status: ConversationStatus; assignee_member_id: string | null; team_id: string | null };
  channelTeamId: string | null;
  message: MessageRow;
}

const waitsInQueue = (c: { assignee_member_id: string | null; status: ConversationStatus }) => c.assignee_member_id === null && c.status === 'open';

export async function announceInbound(tx: Tx, workspaceId: string, { before, after, channelTeamId, message }: Inbound) {
  const access = { id: before.id, ch: before.channel_id, t: after.team_id, ct: channelTeamId, a: after.assignee_member_id };
  await live.messageCreated(tx, workspaceId, access, message, { preview: previewOf(message), inboundCount: after.inbound_count });
  if (before.status !== after.status) await live.statusChanged(tx, workspaceId, access, { from: before.status, to: after.status, reason: 'inbound' });
  // New, reopened, or waiting again after our last word: it joins the queue now.
  if (waitsInQueue(after) && !(waitsInQueue(before) && before.waiting_since !== null)) await offerTeam(tx, workspaceId, after.team_id);
}
