// Joins and leaves of a group behind a group code, from its inbox conversation's participant
// events: a join is recorded once per contact and group (a re-join after leaving counts again) and
// tags the contact with the code's tags (tag source `code`); a leave dates it. These fill the
// group (`filled`) and make the per-group daily figures.
import { z } from 'zod';
import { defineHandler, type DomainEvent, type HandlerContext } from '../../platform/events/index.js';
import { addTagsToContacts } from '../contacts/index.js';
import { inboxEvents } from '../inbox/index.js';
import * as store from './store.js';

const participantChanged = z.object({ conversationId: z.uuid(), contactId: z.uuid().nullable().optional(), kind: z.enum(['group_joined', 'group_left']) });

async function onParticipant(ctx: HandlerContext, event: DomainEvent) {
  const p = participantChanged.safeParse(event.payload);
  // A participant without a contact (the corp's own member) fills no seat we count.
  if (!p.success || !p.data.contactId) return;
  const { contactId, kind } = p.data;
  const ws = event.workspaceId;
  for (const g of await store.groupsOfConversation(ctx.tx, ws, p.data.conversationId)) {
    if (kind === 'group_left') {
      await store.recordLeave(ctx.tx, ws, g.id, contactId);
      continue;
    }
    const joined = await store.recordJoin(ctx.tx, ws, { groupId: g.id, codeId: g.code_id, contactId });
    if (joined && g.tag_ids.length) await addTagsToContacts(ctx.tx, ws, { contactIds: [contactId] }, g.tag_ids, 'code', `group_code:${g.code_id}`, null);
  }
}

export const groupcodesHandler = defineHandler({
  name: 'groupcodes',
  events: [inboxEvents.participantChanged],
  handle: onParticipant,
});
