// The inbox on the members' realtime socket: which conversation events each socket receives (the
// visibility rule, in memory), typing indicators sent by agents, and presence from sockets.
import { z } from 'zod';
import type { Config } from '../../../config.js';
import { requireAccess } from '../../../platform/auth/actor.js';
import { invalid } from '../../../platform/http/errors.js';
import type { AgentExtension, AgentGuard } from '../../../platform/realtime/index.js';
import { markConnected, touchConnected } from '../assignment/presence.js';
import { requireConversation } from '../conversations.js';
import * as live from './notices.js';
import { canSee, loadViewer, type ConversationAccess, type Viewer } from './viewer.js';

const conversationGuard: AgentGuard<Viewer> = {
  load: loadViewer,
  check(viewer, actor, to) {
    if (!actor.permissions.has('inbox:read')) return undefined;
    const { c, was } = to as unknown as { c: ConversationAccess; was?: ConversationAccess };
    if (canSee(viewer, c)) return 'main';
    // Reassigned or transferred out of this member's sight: they drop it.
    if (was && canSee(viewer, was)) return 'gone';
    return undefined;
  },
};

const typingMessage = z.object({ conversationId: z.uuid(), typing: z.boolean() });

const describe = `Inbox events, each for the members who may see the conversation (the same rule as
GET /conversations): \`message.created\` { conversationId, messageId, direction (in | out | note),
kind, status, authorId, createdAt, preview, inboundCount (inbound only) }; \`message.status_changed\`
{ conversationId, messageId, status }; \`message.updated\` { conversationId, messageId } when a
file fetched after the message was stored (media by reference) is attached; \`conversation.status_changed\` { conversationId, status,
previousStatus, reason, snoozedUntil }; \`conversation.assigned\` { conversationId, assigneeId,
previousAssigneeId, teamId, previousTeamId, reason (manual | transfer | auto), actorId };
\`conversation.removed\` { conversationId } when an assignment or transfer takes it out of your sight;
\`conversation.labels_changed\` { conversationId, labels }; \`typing\` { conversationId, memberId,
typing }. To you only: \`conversation.read\` { conversationId, unread } (your unread totals, as GET
/inbox/unread). To every member with inbox:read: \`presence.changed\` { memberId, status }.
A conversation id you do not know yet: fetch GET /conversations/{id}.

Client messages: \`{ "type": "typing", "conversationId": "…", "typing": true | false }\` (needs
inbox:write and a conversation you see; send true while composing, false when done).

Presence: a console (session cookie) socket makes its member connected; with no such socket for
PRESENCE_TIMEOUT_SECONDS they are offline. API-key sockets do not count.`;

export function inboxRealtime(config: Pick<Config, 'PRESENCE_TIMEOUT_SECONDS'>): AgentExtension {
  return {
    describe,
    guards: { [live.CONVERSATION_GUARD]: conversationGuard },
    messages: {
      async typing({ db, actor }, message) {
        const parsed = typingMessage.safeParse(message);
        if (!parsed.success) throw invalid(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
        requireAccess(actor, 'inbox:write');
        const conversation = await requireConversation(db, actor, parsed.data.conversationId);
        await live.typing(db, actor.workspaceId, live.accessOf(conversation), { memberId: actor.memberId }, parsed.data.typing);
      },
    },
    presence: {
      // Three touches per timeout: one late touch does not make anyone look offline.
      everyMs: (config.PRESENCE_TIMEOUT_SECONDS * 1000) / 3,
      opened: markConnected,
      alive: touchConnected,
    },
  };
}
