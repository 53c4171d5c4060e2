// How referrals react to the inbox: an arrival carrying a code's source (r_<slug>) is the code's
// arrival and, for a newcomer, an edge of the invite tree (arrivals.ts).
import { z } from 'zod';
import { defineHandler } from '../../platform/events/index.js';
import { inboxEvents } from '../inbox/index.js';
import { arrive } from './arrivals.js';

const ARRIVALS = new Set(['follow', 'friend_added']);
const payload = z.object({ contactId: z.uuid(), kind: z.string().optional(), source: z.string().min(1).max(256).optional(), group: z.boolean().optional() });

export const referralsHandler = defineHandler({
  name: 'referrals',
  events: [inboxEvents.channelRelationChanged, inboxEvents.messageReceived],
  async handle(ctx, event) {
    const parsed = payload.safeParse(event.payload);
    if (!parsed.success || !parsed.data.source || parsed.data.group) return;
    const p = parsed.data;
    if (event.type === inboxEvents.channelRelationChanged && !ARRIVALS.has(p.kind ?? '')) return;
    const outcome = await arrive(ctx.tx, event.workspaceId, { contactId: p.contactId, source: p.source!, at: new Date(event.occurredAt) });
    ctx.logger.debug({ contactId: p.contactId, outcome }, 'referrals: arrival');
  },
});
