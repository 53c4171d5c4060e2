// Attribution: a person who arrives with a live code's slug as the channel's `source` (the
// Telegram `/start <slug>` payload, WeCom's State, an official account's scene) is counted as an
// add of that code once per contact, gets the code as their source when they have none, and gets
// the code's tags (tag source `code`). The ledger row (live_code_adds) is claimed first, so a
// redelivered event — or the follow and the `/start` message of one arrival — counts once.
// Leaving the channel again (unfollow, friend removed either way) dates the add's `left_on`, for
// the net adds and churn of the code's stats.
import { z } from 'zod';
import { defineHandler, type DomainEvent, type HandlerContext } from '../../platform/events/index.js';
import { addTagsToContacts, setSourceCodeIfNone } from '../contacts/index.js';
import { inboxEvents } from '../inbox/index.js';
import * as store from './store.js';

const ARRIVALS = new Set(['follow', 'friend_added']);
const DEPARTURES = new Set(['unfollow', 'friend_removed']);
const arrival = z.object({ contactId: z.uuid(), channelId: z.uuid().optional(), kind: z.string().optional(), source: z.string().min(1).max(256) });
const departure = z.object({ contactId: z.uuid(), channelId: z.uuid(), kind: z.string() });

async function react(ctx: HandlerContext, event: DomainEvent) {
  if (event.type === inboxEvents.channelRelationChanged) {
    const p = departure.safeParse(event.payload);
    if (p.success && DEPARTURES.has(p.data.kind)) {
      await store.markLeft(ctx.tx, event.workspaceId, p.data.contactId, p.data.channelId);
      return;
    }
  }
  await attribute(ctx, event);
}

async function attribute(ctx: HandlerContext, event: DomainEvent) {
  const parsed = arrival.safeParse(event.payload);
  // Most events carry no source: nothing to do.
  if (!parsed.success) return;
  const p = parsed.data;
  if (event.type === inboxEvents.channelRelationChanged && !ARRIVALS.has(p.kind ?? '')) return;
  const code = await store.findCodeBySlug(ctx.tx, event.workspaceId, p.source);
  if (!code) return;
  if (!(await store.insertAdd(ctx.tx, event.workspaceId, { codeId: code.id, contactId: p.contactId, channelId: p.channelId ?? null, attributed: false }))) return;
  if (await setSourceCodeIfNone(ctx.tx, event.workspaceId, p.contactId, code.id, null)) await store.markAttributed(ctx.tx, event.workspaceId, code.id, p.contactId);
  if (code.tag_ids.length) await addTagsToContacts(ctx.tx, event.workspaceId, { contactIds: [p.contactId] }, code.tag_ids, 'code', `live_code:${code.id}`, null);
  ctx.logger.debug({ codeId: code.id, contactId: p.contactId }, 'livecodes: arrival attributed');
}

export const livecodesHandler = defineHandler({
  name: 'livecodes',
  events: [inboxEvents.channelRelationChanged, inboxEvents.messageReceived],
  handle: react,
});
