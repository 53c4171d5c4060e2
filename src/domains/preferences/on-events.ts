// Keeps a contact's preferences current between the daily recomputes: an interaction recorded on
// their timeline recomputes their interests (and active hours for a message), a tag change those
// of the contacts it touched (when the workspace has interest tag groups), a merge or an undone
// merge those of the contacts involved.
import { z } from 'zod';
import type { Tx } from '../../platform/db/transaction.js';
import { defineHandler, type DomainEvent, type HandlerContext } from '../../platform/events/index.js';
import { computeActiveHours, computeInterests, contactsOfTagChange } from './queries/compute.js';
import { loadWindow } from './window.js';

const id = z.uuid();
const CHUNK = 5000;

const schemas = {
  'timeline.event.recorded': z.object({ contactId: id, type: z.string() }),
  'contacts.tags.added': z.object({ sourceRef: z.string().min(1), contactIds: z.array(id).optional() }),
  'contacts.tags.removed': z.object({ sourceRef: z.string().min(1) }),
  'contacts.contact.merged': z.object({ survivorId: id, mergedIds: z.array(id) }),
  'contacts.contact.merge_undone': z.object({ survivorId: id, mergedIds: z.array(id) }),
} as const;
type Handled = keyof typeof schemas;

/** Recomputes some contacts' preferences (interests, and active hours when asked). */
export async function updateContactPreferences(tx: Tx, workspaceId: string, contactIds: readonly string[], what: { activeHours: boolean }) {
  const window = await loadWindow(tx, workspaceId);
  for (let i = 0; i < contactIds.length; i += CHUNK) {
    const chunk = contactIds.slice(i, i + CHUNK);
    await computeInterests(tx, workspaceId, window, chunk);
    if (what.activeHours) await computeActiveHours(tx, workspaceId, window, chunk);
  }
}

/**
 * A delivery's events, in one pass: the contacts they name are gathered and recomputed together
 * (active hours too for those who wrote a message or were merged), whatever the batch's size.
 */
async function onEvents(ctx: HandlerContext, events: readonly DomainEvent[]) {
  const ws = events[0]!.workspaceId;
  const withHours = new Set<string>();
  const interestsOnly = new Set<string>();
  let interestGroups: boolean | undefined;
  for (const event of events) {
    const type = event.type as Handled;
    const parsed = schemas[type].safeParse(event.payload);
    if (!parsed.success) {
      ctx.logger.warn({ eventId: event.id, issues: parsed.error.issues }, 'preferences: event payload not understood; skipped');
      continue;
    }
    const p = parsed.data;
    if (type === 'timeline.event.recorded') {
      const e = p as z.infer<(typeof schemas)['timeline.event.recorded']>;
      (e.type === 'message' ? withHours : interestsOnly).add(e.contactId);
    } else if ('survivorId' in p) {
      for (const id of [p.survivorId, ...p.mergedIds]) withHours.add(id);
    } else if ('sourceRef' in p) {
      interestGroups ??= (await loadWindow(ctx.tx, ws)).interestGroupIds.length > 0;
      if (!interestGroups) continue;
      const named = (p as { contactIds?: string[] }).contactIds;
      for (const id of named ?? (await contactsOfTagChange(ctx.tx, ws, p.sourceRef))) interestsOnly.add(id);
    }
  }
  if (withHours.size) await updateContactPreferences(ctx.tx, ws, [...withHours], { activeHours: true });
  const rest = [...interestsOnly].filter((id) => !withHours.has(id));
  if (rest.length) await updateContactPreferences(ctx.tx, ws, rest, { activeHours: false });
}

export const preferencesHandler = defineHandler({ name: 'preferences', events: Object.keys(schemas) as Handled[], handleBatch: onEvents });
