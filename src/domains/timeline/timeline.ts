// A contact's timeline: what people and integrations record (notes, calls, visits, other
// interactions) beside what the system derives from domain events (on-events.ts).
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { conflict, forbidden, notFound } from '../../platform/http/errors.js';
import { toPage } from '../../platform/http/pagination.js';
import { requireVisibleContact } from '../contacts/index.js';
import type { InteractionInput } from './schema.js';
import * as store from './store.js';

const toEvent = (r: Pick<store.TimelineRow, 'id' | 'type' | 'occurred_at' | 'actor_member_id' | 'actor_name' | 'props'>) => ({
  id: r.id,
  type: r.type,
  occurredAt: r.occurred_at,
  actor: r.actor_member_id ? { id: r.actor_member_id, name: r.actor_name ?? '' } : null,
  props: r.props,
});
export type TimelineEvent = ReturnType<typeof toEvent>;

export async function listTimeline(db: Db, actor: Actor, contactId: string, filter: { types?: string[]; cursor?: string; limit: number }) {
  requireAccess(actor, 'contacts:read');
  await requireVisibleContact(db, actor, contactId);
  const rows = await store.listTimeline(db, actor.workspaceId, contactId, filter);
  return toPage(rows, filter.limit, (r) => [r.occurred_at.toISOString(), r.id], toEvent);
}

async function record(db: Db, actor: Actor, contactId: string, type: string, props: Record<string, unknown>, occurredAt?: Date) {
  requireAccess(actor, 'contacts:write');
  return inTransaction(db, async (tx) => {
    await requireVisibleContact(tx, actor, contactId);
    const { id } = await store.insertTimelineEvent(tx, actor.workspaceId, { contactId, type, occurredAt, actorMemberId: actor.memberId, props });
    // Segments, auto-tag rules and RFM react to interactions as they are recorded.
    await emit(tx, actor.workspaceId, 'timeline.event.recorded', { contactId, eventId: id, type });
    return toEvent((await store.findTimelineEvent(tx, actor.workspaceId, id))!);
  });
}

/** Drops keys whose value is undefined, so props hold only what was said. */
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export const addNote = (db: Db, actor: Actor, contactId: string, input: { body: string }) => record(db, actor, contactId, 'note', { body: input.body });

export const addCall = (
  db: Db,
  actor: Actor,
  contactId: string,
  { occurredAt, ...props }: { body?: string; direction: 'in' | 'out'; durationSeconds?: number; outcome?: string; occurredAt?: Date },
) => record(db, actor, contactId, 'call', defined(props), occurredAt);

export const addVisit = (db: Db, actor: Actor, contactId: string, { occurredAt, ...props }: { body?: string; location?: string; occurredAt?: Date }) =>
  record(db, actor, contactId, 'visit', defined(props), occurredAt);

export const addInteraction = (db: Db, actor: Actor, contactId: string, input: InteractionInput) =>
  record(db, actor, contactId, input.type, defined(input.props), input.occurredAt);

/** Only notes can be deleted: by their author, or by anyone with contacts:write who sees the contact. */
export async function deleteTimelineEvent(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'contacts:read');
  await inTransaction(db, async (tx) => {
    const event = await store.findTimelineEvent(tx, actor.workspaceId, id);
    if (!event) throw notFound('Timeline event');
    await requireVisibleContact(tx, actor, event.contact_id);
    if (event.type !== 'note') throw conflict('Only notes can be deleted');
    if (event.actor_member_id !== actor.memberId && !actor.permissions.has('contacts:write')) throw forbidden('Only the author or an editor of the contact can delete this note');
    await store.deleteTimelineEvent(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'timeline.note_deleted', entityType: 'contact', entityId: event.contact_id, before: { id, body: event.props.body ?? null } });
  });
}

/**
 * Records many entries at once (the import's `imported` entries, other domains' bulk work) in one
 * statement; the caller has checked the contacts. Entries with an `id` already present are skipped.
 */
export const recordTimelineEvents = (tx: Tx | Db, workspaceId: string, events: readonly store.NewTimelineEvent[]) =>
  store.insertTimelineEvents(tx, workspaceId, events);
export type { NewTimelineEvent } from './store.js';

/** Records one type of entry for many contacts (the import's `imported` entries) in one statement; the caller has checked the contacts. */
export const recordTimelineEventSet = (tx: Tx | Db, workspaceId: string, set: store.TimelineEventSet) => store.insertTimelineEventSet(tx, workspaceId, set);
export type { TimelineEventSet } from './store.js';
