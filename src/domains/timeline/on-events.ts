// How the timeline reacts to other domains' events: each becomes entries on the contacts it
// concerns. Runs in the delivery job's transaction (exactly-once effect); the inserts are
// idempotent anyway (derive-store.ts), so a replayed event changes nothing.
import { z } from 'zod';
import { defineHandler, type DomainEvent, type HandlerContext } from '../../platform/events/index.js';
import * as derive from './derive-store.js';

const id = z.uuid();
const contactRef = z.object({ contactId: id.optional(), contactIds: z.array(id).optional(), actorMemberId: id.nullish() });
const schemas = {
  'contacts.contact.created': contactRef.extend({ sourceChannel: z.string().nullish() }),
  'contacts.contact.deleted': contactRef,
  'contacts.contact.restored': contactRef,
  'contacts.contact.stage_changed': contactRef.extend({ fromStageId: id.nullish(), toStageId: id.nullish() }),
  'contacts.contact.owner_changed': contactRef.extend({ fromOwnerId: id.nullish(), toOwnerId: id.nullish() }),
  'contacts.contact.merged': z.object({ mergeId: id, survivorId: id, mergedIds: z.array(id), actorMemberId: id.nullish() }),
  'contacts.tags.added': z.object({ sourceRef: z.string().min(1), contactIds: z.array(id).optional(), source: z.string(), actorMemberId: id.nullish() }),
  'contacts.tags.removed': z.object({ sourceRef: z.string().min(1), contactIds: z.array(id).optional(), source: z.string(), actorMemberId: id.nullish() }),
  'contacts.consent.changed': contactRef.extend({ channelType: z.string(), status: z.enum(['opt_in', 'opt_out']), previousStatus: z.enum(['opt_in', 'opt_out']).nullish(), how: z.string() }),
} as const;
type Handled = keyof typeof schemas;
type Payload<K extends Handled> = z.infer<(typeof schemas)[K]>;

const contactsOf = (p: z.infer<typeof contactRef>) => [...(p.contactId ? [p.contactId] : []), ...(p.contactIds ?? [])];

async function toTimeline(ctx: HandlerContext, event: DomainEvent) {
  const type = event.type as Handled;
  const parsed = schemas[type].safeParse(event.payload);
  if (!parsed.success) {
    // A payload we cannot read will not get better on retry: log it and let the event go.
    ctx.logger.warn({ issues: parsed.error.issues }, 'timeline: event payload not understood; skipped');
    return;
  }
  const { tx } = ctx;
  const ws = event.workspaceId;
  const read = <K extends Handled>(_: K) => parsed.data as Payload<K>;
  // A rule's tag change already has its one entry, written with the change by the rule's run:
  // `tag_rule_applied`, naming the rule and listing what it added and took off (autotag/act.ts).
  if ((type === 'contacts.tags.added' || type === 'contacts.tags.removed') && read(type).source === 'rule') return;
  const d = (entryType: string): derive.Derivation => ({
    eventId: event.id,
    type: entryType,
    occurredAt: new Date(event.occurredAt),
    actorMemberId: (parsed.data as { actorMemberId?: string | null }).actorMemberId ?? null,
  });
  switch (type) {
    case 'contacts.contact.created': {
      const p = read(type);
      await derive.insertForContacts(tx, ws, contactsOf(p), d('created'), derive.props.json({ sourceChannel: p.sourceChannel ?? null }));
      return;
    }
    case 'contacts.contact.deleted':
    case 'contacts.contact.restored':
      await derive.insertForContacts(tx, ws, contactsOf(read(type)), d(type === 'contacts.contact.deleted' ? 'deleted' : 'restored'), derive.props.json({}));
      return;
    case 'contacts.contact.stage_changed': {
      const p = read(type);
      await derive.insertForContacts(tx, ws, contactsOf(p), d('stage_changed'), derive.props.stageChange(ws, p.fromStageId ?? null, p.toStageId ?? null));
      return;
    }
    case 'contacts.contact.owner_changed': {
      const p = read(type);
      await derive.insertForContacts(tx, ws, contactsOf(p), d('owner_changed'), derive.props.ownerChange(ws, p.fromOwnerId ?? null, p.toOwnerId ?? null));
      return;
    }
    case 'contacts.contact.merged': {
      const p = read(type);
      await derive.insertForContacts(tx, ws, [p.survivorId], d('merged'), derive.props.merged(ws, p.mergeId, p.mergedIds));
      return;
    }
    case 'contacts.tags.added': {
      const p = read(type);
      await derive.insertTagsAdded(tx, ws, p.sourceRef, p.contactIds ?? null, p.source, d('tags_added'));
      // A single-choice group's replaced tags are logged under the same ref.
      await derive.insertTagsRemoved(tx, ws, p.sourceRef, p.contactIds ?? null, p.source, d('tags_removed'));
      return;
    }
    case 'contacts.tags.removed': {
      const p = read(type);
      await derive.insertTagsRemoved(tx, ws, p.sourceRef, p.contactIds ?? null, p.source, d('tags_removed'));
      return;
    }
    // Given or withdrawn, and how (a member's edit, an SMS STOP): what a later send is checked against.
    case 'contacts.consent.changed': {
      const p = read(type);
      await derive.insertForContacts(tx, ws, contactsOf(p), d('consent_changed'), derive.props.json({ channel: p.channelType, status: p.status, previousStatus: p.previousStatus ?? null, how: p.how }));
      return;
    }
  }
}

export const timelineHandler = defineHandler({
  name: 'timeline',
  events: Object.keys(schemas) as Handled[],
  handle: toTimeline,
});
