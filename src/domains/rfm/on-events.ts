// How RFM reacts to events. `rfm`: an order recorded on a timeline recomputes that contact
// (one statement against the saved cuts), as do merges, undone merges and restores for the
// contacts they touch; a move between layers is emitted as `rfm.layer.changed`. `rfm.triggers`:
// moves (one from an order, or all of a recompute) set off the rules (triggers.ts).
import { z } from 'zod';
import type { Tx } from '../../platform/db/transaction.js';
import { defineHandler, emit, type DomainEvent, type HandlerContext } from '../../platform/events/index.js';
import { enqueue } from '../../platform/queue/index.js';
import { lockWorkspace, recomputeContacts } from './queries/recompute.js';
import { rfmRecomputeJob } from './recompute-job.js';
import { loadSettings } from './settings.js';
import type { ChangeReason } from './tables.js';
import { applyTriggers } from './triggers.js';

const id = z.uuid();
const CHUNK = 5000;

/** Recomputes some contacts now, or (before the first full recompute found quintiles) queues that. */
export async function updateContactsRfm(tx: Tx, workspaceId: string, contactIds: readonly string[], change: { reason: ChangeReason; sourceRef: string }, orderType?: string) {
  // Most recorded interactions are not orders: they cost one settings read, no lock.
  if (orderType !== undefined && !(await loadSettings(tx, workspaceId)).settings.orderTypes.includes(orderType)) return [];
  await lockWorkspace(tx, workspaceId, 'shared');
  // Read (again) under the lock: a full recompute that held it may just have saved new cuts.
  const { settings, scoring } = await loadSettings(tx, workspaceId);
  if (!settings.cuts) {
    await enqueue(tx, rfmRecomputeJob, { workspaceId, reason: 'schedule' }, { dedupeKey: 'rfm.recompute:first' });
    return [];
  }
  const changes = [];
  for (let i = 0; i < contactIds.length; i += CHUNK) {
    changes.push(...(await recomputeContacts(tx, workspaceId, contactIds.slice(i, i + CHUNK), scoring, settings.cuts, change)));
  }
  for (const c of changes) await emit(tx, workspaceId, 'rfm.layer.changed', { contactId: c.contactId, fromLayer: c.fromLayer, toLayer: c.toLayer, changeId: c.changeId, reason: change.reason });
  return changes;
}

const schemas = {
  'timeline.event.recorded': z.object({ contactId: id, eventId: id, type: z.string() }),
  'contacts.contact.merged': z.object({ survivorId: id, mergedIds: z.array(id) }),
  'contacts.contact.merge_undone': z.object({ survivorId: id, mergedIds: z.array(id) }),
  'contacts.contact.restored': z.object({ contactId: id.optional(), contactIds: z.array(id).optional() }),
} as const;
type Handled = keyof typeof schemas;

async function onContactEvent(ctx: HandlerContext, event: DomainEvent) {
  const type = event.type as Handled;
  const parsed = schemas[type].safeParse(event.payload);
  if (!parsed.success) {
    ctx.logger.warn({ issues: parsed.error.issues }, 'rfm: event payload not understood; skipped');
    return;
  }
  const sourceRef = `event:${event.id}`;
  const p = parsed.data;
  if ('eventId' in p) {
    await updateContactsRfm(ctx.tx, event.workspaceId, [p.contactId], { reason: 'order', sourceRef }, p.type);
  } else if ('survivorId' in p) {
    await updateContactsRfm(ctx.tx, event.workspaceId, [p.survivorId, ...p.mergedIds], { reason: 'merge', sourceRef });
  } else {
    await updateContactsRfm(ctx.tx, event.workspaceId, [...(p.contactId ? [p.contactId] : []), ...(p.contactIds ?? [])], { reason: 'restore', sourceRef });
  }
}

/** Most recorded interactions are not orders: a delivery's settings are read once to pass them over, and the rest handled one by one (each order is its own change, with its own source). */
async function onContactEvents(ctx: HandlerContext, events: readonly DomainEvent[]) {
  const orderTypes = new Set((await loadSettings(ctx.tx, events[0]!.workspaceId)).settings.orderTypes);
  for (const event of events) {
    const type = event.type === 'timeline.event.recorded' ? (event.payload as { type?: unknown }).type : undefined;
    if (typeof type === 'string' && !orderTypes.has(type)) continue;
    await onContactEvent({ ...ctx, logger: ctx.logger.child({ eventId: event.id }) }, event);
  }
}

export const rfmHandler = defineHandler({ name: 'rfm', events: Object.keys(schemas) as Handled[], handleBatch: onContactEvents });

const moved = {
  'rfm.layer.changed': z.object({ changeId: id }),
  'rfm.scores.recomputed': z.object({ sourceRef: z.string().min(1), reason: z.string(), changes: z.number() }),
} as const;

export const rfmTriggersHandler = defineHandler({
  name: 'rfm.triggers',
  events: Object.keys(moved) as Array<keyof typeof moved>,
  async handle(ctx, event) {
    if (event.type === 'rfm.layer.changed') {
      const p = moved['rfm.layer.changed'].safeParse(event.payload);
      if (p.success) await applyTriggers(ctx.tx, event.workspaceId, { changeIds: [p.data.changeId] }, ctx.logger);
      return;
    }
    const p = moved['rfm.scores.recomputed'].safeParse(event.payload);
    if (!p.success || p.data.reason === 'settings' || p.data.changes === 0) return;
    await applyTriggers(ctx.tx, event.workspaceId, { sourceRef: p.data.sourceRef }, ctx.logger);
  },
});
