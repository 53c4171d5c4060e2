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

async function onEvent(ctx: HandlerContext, event: DomainEvent) {
  const type = event.type as Handled;
  const parsed = schemas[type].safeParse(event.payload);
  if (!parsed.success) {
    ctx.logger.warn({ issues: parsed.error.issues }, 'preferences: event payload not understood; skipped');
    return;
  }
  const ws = event.workspaceId;
  const p = parsed.data;
  if (type === 'timeline.event.recorded') {
    const e = p as z.infer<(typeof schemas)['timeline.event.recorded']>;
    await updateContactPreferences(ctx.tx, ws, [e.contactId], { activeHours: e.type === 'message' });
  } else if ('survivorId' in p) {
    await updateContactPreferences(ctx.tx, ws, [p.survivorId, ...p.mergedIds], { activeHours: true });
  } else if ('sourceRef' in p) {
    if (!(await loadWindow(ctx.tx, ws)).interestGroupIds.length) return;
    const named = (p as { contactIds?: string[] }).contactIds;
    await updateContactPreferences(ctx.tx, ws, named ?? (await contactsOfTagChange(ctx.tx, ws, p.sourceRef)), { activeHours: false });
  }
}

export const preferencesHandler = defineHandler({ name: 'preferences', events: Object.keys(schemas) as Handled[], handle: onEvent });
