// How segments react to changes elsewhere: each event names contacts (one, or a set from batch
// work and imports) and what changed about them; only the dynamic segments that read what changed
// are re-evaluated, only for those contacts, one statement per segment over the whole set
// (evaluate.ts). Runs in the delivery job's transaction; re-running an event changes nothing
// (membership is diffed against the current state).
import { z } from 'zod';
import { defineHandler, type DomainEvent, type EventType, type HandlerContext } from '../../platform/events/index.js';
import { invalidateReaders, reevaluate } from './evaluate.js';
import { contactsOfTagChange } from './queries/membership.js';

const id = z.uuid();
const contactRef = z.object({ contactId: id.optional(), contactIds: z.array(id).optional() });
const contactsOf = (p: z.infer<typeof contactRef>) => [...(p.contactId ? [p.contactId] : []), ...(p.contactIds ?? [])];

/** contacts.contact.updated names changed columns; these are the dependency keys they touch. */
function keysOfFields(fields: readonly string[]): string[] {
  const keys = new Set(['field:updated_at']);
  for (const f of fields) {
    if (f === 'stage_id') keys.add('stage');
    else if (f === 'owner_member_id') keys.add('owner');
    else if (f === 'source_channel' || f === 'source_code_id') keys.add('source');
    else if (f === 'custom') keys.add('custom');
    else keys.add(`field:${f}`);
  }
  return [...keys];
}

type Selector = { keys: string[] } | { all: true } | { membersOf: string[] };
interface Change {
  contactIds: string[];
  selector: Selector;
}

const all = { all: true } as const;
const keys = (...k: string[]) => ({ keys: k });

/** Per event type: its payload and the change it means for segments. */
const reactions = {
  'contacts.contact.created': { schema: contactRef, change: async (p: z.infer<typeof contactRef>) => ({ contactIds: contactsOf(p), selector: all }) },
  'imports.contacts.created': { schema: z.object({ contactIds: z.array(id) }), change: async (p: { contactIds: string[] }) => ({ contactIds: p.contactIds, selector: all }) },
  'contacts.contact.restored': { schema: contactRef, change: async (p: z.infer<typeof contactRef>) => ({ contactIds: contactsOf(p), selector: all }) },
  'contacts.contact.deleted': {
    schema: contactRef,
    change: async (p: z.infer<typeof contactRef>) => ({ contactIds: contactsOf(p), selector: { membersOf: contactsOf(p) } }),
  },
  'contacts.contact.merged': {
    schema: z.object({ survivorId: id, mergedIds: z.array(id) }),
    change: async (p: { survivorId: string; mergedIds: string[] }) => ({ contactIds: [p.survivorId, ...p.mergedIds], selector: all }),
  },
  'contacts.contact.merge_undone': {
    schema: z.object({ survivorId: id, mergedIds: z.array(id) }),
    change: async (p: { survivorId: string; mergedIds: string[] }) => ({ contactIds: [p.survivorId, ...p.mergedIds], selector: all }),
  },
  'contacts.contact.updated': {
    schema: contactRef.extend({ fields: z.array(z.string()) }),
    change: async (p: z.infer<typeof contactRef> & { fields: string[] }) => ({ contactIds: contactsOf(p), selector: keys(...keysOfFields(p.fields)) }),
  },
  'contacts.contact.stage_changed': { schema: contactRef, change: async (p: z.infer<typeof contactRef>) => ({ contactIds: contactsOf(p), selector: keys('stage', 'field:updated_at') }) },
  'contacts.contact.owner_changed': { schema: contactRef, change: async (p: z.infer<typeof contactRef>) => ({ contactIds: contactsOf(p), selector: keys('owner', 'field:updated_at') }) },
  'contacts.consent.changed': { schema: contactRef, change: async (p: z.infer<typeof contactRef>) => ({ contactIds: contactsOf(p), selector: keys('consent', 'field:updated_at') }) },
  'contacts.identity.added': { schema: contactRef, change: async (p: z.infer<typeof contactRef>) => ({ contactIds: contactsOf(p), selector: keys('identity') }) },
  'contacts.identity.removed': { schema: contactRef, change: async (p: z.infer<typeof contactRef>) => ({ contactIds: contactsOf(p), selector: keys('identity') }) },
  'timeline.event.recorded': {
    schema: z.object({ contactId: id, type: z.string() }),
    change: async (p: { contactId: string; type: string }) => ({ contactIds: [p.contactId], selector: keys(`event:${p.type}`) }),
  },
  'rfm.layer.changed': { schema: contactRef, change: async (p: z.infer<typeof contactRef>) => ({ contactIds: contactsOf(p), selector: keys('rfm') }) },
} as const;

type Reacted = keyof typeof reactions | 'contacts.tags.added' | 'contacts.tags.removed' | 'contacts.custom_field.deleted';

const tagChange = z.object({ sourceRef: z.string().min(1), contactIds: z.array(id).optional() });

async function changeOf(ctx: HandlerContext, event: DomainEvent): Promise<Change | null> {
  const type = event.type as Reacted;
  if (type === 'contacts.tags.added' || type === 'contacts.tags.removed') {
    const p = tagChange.safeParse(event.payload);
    if (!p.success) return null;
    // An import's batches share one ref, so a payload that names its contacts is read as is (a
    // single-choice replacement concerns those same contacts); otherwise the contacts are those
    // the ref added, replaced or removed.
    const contactIds = p.data.contactIds ?? (await contactsOfTagChange(ctx.tx, event.workspaceId, p.data.sourceRef, type === 'contacts.tags.added'));
    return { contactIds, selector: keys('tags') };
  }
  const reaction = reactions[type as keyof typeof reactions];
  if (!reaction) return null;
  const p = reaction.schema.safeParse(event.payload);
  if (!p.success) return null;
  return (reaction.change as (payload: unknown) => Promise<Change>)(p.data);
}

/**
 * A delivery's events, in one pass: their changes are gathered by what changed (the selector) and
 * each set of contacts is re-evaluated once. Membership is diffed against the current state, so
 * evaluating after the whole batch is what evaluating after each event would end at.
 */
async function onEvents(ctx: HandlerContext, events: readonly DomainEvent[]) {
  const ws = events[0]!.workspaceId;
  const changes = new Map<string, Change>();
  for (const event of events) {
    if (event.type === 'contacts.custom_field.deleted') {
      const p = z.object({ key: z.string() }).safeParse(event.payload);
      if (p.success) await invalidateReaders(ctx.tx, ws, p.data.key);
      continue;
    }
    const change = await changeOf(ctx, event);
    if (!change) {
      // A payload we cannot read will not get better on retry.
      ctx.logger.warn({ eventId: event.id, payload: event.payload }, 'segments: event payload not understood; skipped');
      continue;
    }
    const key = JSON.stringify(change.selector);
    const gathered = changes.get(key);
    if (gathered) gathered.contactIds.push(...change.contactIds);
    else changes.set(key, { selector: change.selector, contactIds: [...change.contactIds] });
  }
  for (const { contactIds, selector } of changes.values()) await reevaluate(ctx.tx, ws, [...new Set(contactIds)], selector, ctx.logger);
}

export const segmentsHandler = defineHandler({
  name: 'segments',
  events: [...(Object.keys(reactions) as EventType[]), 'contacts.tags.added', 'contacts.tags.removed', 'contacts.custom_field.deleted'],
  handleBatch: onEvents,
});
