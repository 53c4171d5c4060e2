// How rules react to events from the outbox: a recorded interaction fires the event rules of its
// type; any change to contacts re-evaluates, for those contacts, the condition rules that read
// what changed (the keys of segments' dependenciesOf). Tag and stage changes made by a rule carry
// the run's id as their source_ref, which gives the reaction its cause for the loop guard
// (fire.ts). Runs in the delivery job's transaction, so a delivery's effects commit once.
import { z } from 'zod';
import { defineHandler, type DomainEvent, type EventType, type HandlerContext } from '../../platform/events/index.js';
import { causeOf, conditionCrossings, fire, fireEventRules, rootCause } from './fire.js';
import { contactsOfTagChange } from './queries/contacts.js';
import { forgetContacts } from './queries/membership.js';
import * as store from './store.js';

const id = z.uuid();
const contactRef = z.object({ contactId: id.optional(), contactIds: z.array(id).optional() });
const contactsOf = (p: z.infer<typeof contactRef>) => [...(p.contactId ? [p.contactId] : []), ...(p.contactIds ?? [])];

/** contacts.contact.updated names changed columns; the dependency keys they touch. */
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

interface Change {
  contactIds: string[];
  /** Dependency keys the change touches; null: anything about the contact (new, restored, merged). */
  keys: string[] | null;
  /** Deleted contacts: dropped from every rule's members, nothing fires. */
  forget?: boolean;
  /** A rule run's id when a rule made the change. */
  sourceRef?: string;
  /** A recorded interaction, for the event rules. */
  recorded?: { eventId: string; type: string; contactId: string };
}

const keyed = (schema: typeof contactRef, ...keys: string[]) => ({ schema, change: (p: z.infer<typeof contactRef>): Change => ({ contactIds: contactsOf(p), keys }) });

const reactions: Record<string, { schema: z.ZodType; change: (payload: never) => Change | Promise<Change> }> = {
  'contacts.contact.created': { schema: contactRef, change: (p: z.infer<typeof contactRef>) => ({ contactIds: contactsOf(p), keys: null }) },
  'contacts.contact.restored': { schema: contactRef, change: (p: z.infer<typeof contactRef>) => ({ contactIds: contactsOf(p), keys: null }) },
  'imports.contacts.created': { schema: z.object({ contactIds: z.array(id) }), change: (p: { contactIds: string[] }) => ({ contactIds: p.contactIds, keys: null }) },
  'contacts.contact.deleted': { schema: contactRef, change: (p: z.infer<typeof contactRef>) => ({ contactIds: contactsOf(p), keys: null, forget: true }) },
  'contacts.contact.merged': {
    schema: z.object({ survivorId: id, mergedIds: z.array(id) }),
    change: (p: { survivorId: string; mergedIds: string[] }) => ({ contactIds: [p.survivorId, ...p.mergedIds], keys: null }),
  },
  'contacts.contact.merge_undone': {
    schema: z.object({ survivorId: id, mergedIds: z.array(id) }),
    change: (p: { survivorId: string; mergedIds: string[] }) => ({ contactIds: [p.survivorId, ...p.mergedIds], keys: null }),
  },
  'contacts.contact.updated': {
    schema: contactRef.extend({ fields: z.array(z.string()) }),
    change: (p: z.infer<typeof contactRef> & { fields: string[] }) => ({ contactIds: contactsOf(p), keys: keysOfFields(p.fields) }),
  },
  'contacts.contact.stage_changed': {
    schema: contactRef.extend({ sourceRef: z.string().optional() }),
    change: (p: z.infer<typeof contactRef> & { sourceRef?: string }) => ({ contactIds: contactsOf(p), keys: ['stage', 'field:updated_at'], sourceRef: p.sourceRef }),
  },
  'contacts.contact.owner_changed': keyed(contactRef, 'owner', 'field:updated_at'),
  'contacts.consent.changed': keyed(contactRef, 'consent', 'field:updated_at'),
  'contacts.identity.added': keyed(contactRef, 'identity'),
  'contacts.identity.removed': keyed(contactRef, 'identity'),
  'rfm.layer.changed': keyed(contactRef, 'rfm'),
  'timeline.event.recorded': {
    schema: z.object({ contactId: id, eventId: id, type: z.string() }),
    change: (p: { contactId: string; eventId: string; type: string }) => ({ contactIds: [p.contactId], keys: [`event:${p.type}`], recorded: p }),
  },
};

const tagChange = z.object({ sourceRef: z.string().min(1), source: z.string().optional(), contactIds: z.array(id).optional() });

async function changeOf(ctx: HandlerContext, event: DomainEvent): Promise<Change | null> {
  if (event.type === 'contacts.tags.added' || event.type === 'contacts.tags.removed') {
    const p = tagChange.safeParse(event.payload);
    if (!p.success) return null;
    // A ref shared by an import's batches: the payload names this call's contacts.
    const contactIds = p.data.contactIds ?? (await contactsOfTagChange(ctx.tx, event.workspaceId, p.data.sourceRef));
    return { contactIds, keys: ['tags'], ...(p.data.source === 'rule' ? { sourceRef: p.data.sourceRef } : {}) };
  }
  const reaction = reactions[event.type];
  const p = reaction?.schema.safeParse(event.payload);
  if (!reaction || !p?.success) return null;
  return reaction.change(p.data as never);
}

async function onEvent(ctx: HandlerContext, event: DomainEvent) {
  const change = await changeOf(ctx, event);
  if (!change) {
    // A payload we cannot read will not get better on retry.
    ctx.logger.warn({ payload: event.payload }, 'autotag: event payload not understood; skipped');
    return;
  }
  const { tx } = ctx;
  const ws = event.workspaceId;
  if (change.forget) {
    await forgetContacts(tx, ws, change.contactIds);
    return;
  }
  const at = new Date(event.occurredAt);
  const cause = change.sourceRef ? await causeOf(tx, ws, change.sourceRef, event.id, at) : rootCause(event.id, at);
  // Every rule judges the change as it was: condition rules are evaluated before any rule acts.
  const crossings = await conditionCrossings(tx, ws, change.contactIds, change.keys, cause, ctx.logger);
  if (change.recorded) await fireEventRules(tx, ws, change.recorded, cause, ctx.logger);
  for (const c of crossings) for (const set of c.sets) await fire(tx, ws, c.rule, 'condition', set.contactIds, set.cause, ctx.logger);
}

/**
 * A delivery's events one by one, in order (each change has its own cause for the loop guard) —
 * unless the workspace has no rule at all, which most messages find: then there is nothing to
 * evaluate, fire or forget, and one count answers for the batch.
 */
async function onEvents(ctx: HandlerContext, events: readonly DomainEvent[]) {
  if ((await store.countRules(ctx.tx, events[0]!.workspaceId)) === 0) return;
  for (const event of events) await onEvent({ ...ctx, logger: ctx.logger.child({ eventId: event.id, event: event.type }) }, event);
}

export const autotagHandler = defineHandler({
  name: 'autotag',
  events: [...(Object.keys(reactions) as EventType[]), 'contacts.tags.added', 'contacts.tags.removed'],
  handleBatch: onEvents,
});
