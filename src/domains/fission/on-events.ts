// How fission reacts to the inbox: arrivals carrying a campaign's or a participant's source join
// or count (invites.ts), departures void. Bound to the config: progress messages go through the
// inbox's send job, and rewards are granted by a delayed job (rewards.ts).
import { z } from 'zod';
import type { Config } from '../../config.js';
import { defineHandler, type EventHandler } from '../../platform/events/index.js';
import { inboxEvents } from '../inbox/index.js';
import { arrive, depart } from './invites.js';

const ARRIVALS = new Set(['follow', 'friend_added']);
const DEPARTURES = new Set(['unfollow', 'friend_removed']);
const payload = z.object({ contactId: z.uuid(), channelId: z.uuid().optional(), kind: z.string().optional(), source: z.string().min(1).max(256).optional(), group: z.boolean().optional() });

const built = new WeakMap<Config, EventHandler>();

export function fissionHandler(config: Config): EventHandler {
  let handler = built.get(config);
  if (handler) return handler;
  handler = defineHandler({
    name: 'fission',
    events: [inboxEvents.channelRelationChanged, inboxEvents.messageReceived],
    async handle(ctx, event) {
      const parsed = payload.safeParse(event.payload);
      if (!parsed.success) return;
      const p = parsed.data;
      const at = new Date(event.occurredAt);
      if (event.type === inboxEvents.channelRelationChanged && DEPARTURES.has(p.kind ?? '')) {
        const outcome = await depart(ctx.tx, config, event.workspaceId, p.contactId, at);
        ctx.logger.debug({ contactId: p.contactId, outcome }, 'fission: departure');
        return;
      }
      if (!p.source || p.group) return;
      if (event.type === inboxEvents.channelRelationChanged && !ARRIVALS.has(p.kind ?? '')) return;
      const outcome = await arrive(ctx.tx, config, event.workspaceId, { contactId: p.contactId, channelId: p.channelId ?? null, source: p.source, at });
      ctx.logger.debug({ contactId: p.contactId, outcome }, 'fission: arrival');
    },
  });
  built.set(config, handler);
  return handler;
}
