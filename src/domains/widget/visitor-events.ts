// What a visitor's socket receives of the inbox's conversation notices: only those naming their
// own conversation, and of those only what a customer may see — messages in and out (never
// notes), their delivery status, the conversation's status, and agents typing (not the
// visitor's own echo) — reduced to fields without members' ids. Everything else (assignment,
// labels, reads, presence, other conversations) is never admitted.
import type { ClientEvent, Notice } from '../../platform/realtime/index.js';
import { CONVERSATION_GUARD } from '../inbox/index.js';

/** The conversation a notice names, when it is one of the inbox's conversation notices. */
export function conversationOfNotice(notice: Notice): { id: string; ch: string } | undefined {
  const to = notice.to as { g?: unknown; c?: { id?: unknown; ch?: unknown } };
  if (to.g !== CONVERSATION_GUARD || typeof to.c?.id !== 'string' || typeof to.c.ch !== 'string') return undefined;
  return { id: to.c.id, ch: to.c.ch };
}

function reduce(e: ClientEvent): ClientEvent | null {
  const d = e.data;
  switch (e.type) {
    case 'message.created':
      if (d.direction !== 'in' && d.direction !== 'out') return null;
      return { type: e.type, data: { conversationId: d.conversationId, messageId: d.messageId, direction: d.direction, kind: d.kind, createdAt: d.createdAt } };
    case 'message.status_changed':
      return { type: e.type, data: { conversationId: d.conversationId, messageId: d.messageId, status: d.status } };
    case 'conversation.status_changed':
      return { type: e.type, data: { conversationId: d.conversationId, status: d.status } };
    case 'typing':
      // An agent's typing carries their member id; the visitor's own does not come back to them.
      return typeof d.memberId === 'string' ? { type: e.type, data: { conversationId: d.conversationId, typing: d.typing === true } } : null;
    default:
      return null;
  }
}

// One reduced event per notice, shared by every visitor socket that receives it (serialised once).
const reduced = new WeakMap<Notice, ClientEvent | null>();

export function visitorEvent(notice: Notice): ClientEvent | undefined {
  let e = reduced.get(notice);
  if (e === undefined) reduced.set(notice, (e = reduce(notice.e)));
  return e ?? undefined;
}
