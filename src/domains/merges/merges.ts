// Merging duplicates into one contact, and undoing a merge exactly (数据工厂).
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction, type Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { AppError, invalid, notFound } from '../../platform/http/errors.js';
import { addIdentity, requireVisibleContact, visibleContact, visibleContactIds, type IdentityInput } from '../contacts/index.js';
import { applyMerge, captureSnapshot, restoreSnapshot, type MergeSnapshot } from './queries/merge-rows.js';
import * as store from './merges-store.js';

/** Fields a user may choose a winner for, by their API name, with their column. */
export const MERGEABLE_FIELDS: Record<string, string> = {
  name: 'name',
  avatarUrl: 'avatar_url',
  gender: 'gender',
  birthday: 'birthday',
  phone: 'phone',
  email: 'email',
  company: 'company',
  title: 'title',
  city: 'city',
  region: 'region',
  stageId: 'stage_id',
  ownerId: 'owner_member_id',
  sourceChannel: 'source_channel',
  preferredChannel: 'preferred_channel',
  influence: 'influence',
};

const MAX_MERGED = 20;
const empty = (v: unknown) => v === null || v === undefined || v === '' || v === 'unknown';

export interface MergeInput {
  survivorId: string;
  mergedIds: string[];
  /** `field` or `custom.<key>` → the id of the contact whose value wins. */
  fields?: Record<string, string>;
}

/**
 * The survivor's values: a chosen winner where the user chose one, else the survivor's own
 * value, else the first non-empty value among the merged contacts in the order given.
 */
export function chooseValues(rows: Map<string, Record<string, unknown>>, input: MergeInput) {
  const order = [input.survivorId, ...input.mergedIds];
  const errors = Object.entries(input.fields ?? {}).flatMap(([field, winner]) => [
    ...(field in MERGEABLE_FIELDS || field.startsWith('custom.') ? [] : [{ path: `fields.${field}`, message: 'Not a field that merges' }]),
    ...(rows.has(winner) ? [] : [{ path: `fields.${field}`, message: 'The winner must be one of the merged contacts' }]),
  ]);
  if (errors.length) throw invalid(errors);
  const values: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(MERGEABLE_FIELDS)) {
    const winner = input.fields?.[field];
    values[column] = winner ? rows.get(winner)![column] : order.map((id) => rows.get(id)![column]).find((v) => !empty(v)) ?? rows.get(input.survivorId)![column];
  }
  const custom: Record<string, unknown> = {};
  for (const id of [...order].reverse()) Object.assign(custom, rows.get(id)!.custom as Record<string, unknown>);
  for (const [field, winner] of Object.entries(input.fields ?? {})) {
    if (!field.startsWith('custom.')) continue;
    const key = field.slice('custom.'.length);
    const value = (rows.get(winner)!.custom as Record<string, unknown>)[key];
    if (value === undefined) delete custom[key];
    else custom[key] = value;
  }
  values.custom = custom;
  return values;
}

export async function mergeContacts(db: Db, actor: Actor, input: MergeInput) {
  requireAccess(actor, 'contacts:merge');
  return merge(db, actor, input);
}

/** The merge itself; callers have checked that it is allowed (a permission or a workspace rule). */
async function merge(db: Db, actor: Actor, input: MergeInput) {
  const mergedIds = [...new Set(input.mergedIds)].filter((id) => id !== input.survivorId);
  if (!mergedIds.length || mergedIds.length > MAX_MERGED) {
    throw invalid([{ path: 'mergedIds', message: `Name 1 to ${MAX_MERGED} other contacts to merge into the survivor` }]);
  }
  const all = [input.survivorId, ...mergedIds];
  return inTransaction(db, async (tx) => {
    const locked = await tx
      .selectFrom('contacts as c')
      .selectAll('c')
      .where('c.workspace_id', '=', actor.workspaceId)
      .where('c.id', 'in', all)
      .where(visibleContact(actor))
      .forUpdate()
      .execute();
    if (locked.length !== all.length) throw notFound('Contact');
    const rows = new Map(locked.map((r) => [r.id, r as unknown as Record<string, unknown>]));
    const values = chooseValues(rows, { ...input, mergedIds });
    const snapshot = await captureSnapshot(tx, actor.workspaceId, input.survivorId, mergedIds);
    await applyMerge(tx, actor.workspaceId, input.survivorId, mergedIds, values);
    const mergeId = await store.insertMerge(tx, actor.workspaceId, { survivorId: input.survivorId, mergedIds, snapshot, mergedBy: actor.memberId });
    await recordAudit(tx, actor, { action: 'contact.merged', entityType: 'contact', entityId: input.survivorId, after: { mergeId, mergedIds } });
    await emit(tx, actor.workspaceId, 'contacts.contact.merged', { mergeId, survivorId: input.survivorId, mergedIds, actorMemberId: actor.memberId });
    return { mergeId, contactId: input.survivorId };
  });
}

export async function undoMerge(db: Db, actor: Actor, mergeId: string) {
  requireAccess(actor, 'contacts:merge');
  return inTransaction(db, async (tx) => {
    const merge = await store.lockMerge(tx, actor.workspaceId, mergeId);
    if (!merge) throw notFound('Merge');
    await requireVisibleContact(tx, actor, merge.survivor_id);
    if (merge.undone_at) throw new AppError('conflict', 'This merge was already undone');
    if (await store.hasLaterMerge(tx, actor.workspaceId, merge)) {
      throw new AppError('conflict', 'A later merge involves these contacts; undo that one first');
    }
    await restoreSnapshot(tx, actor.workspaceId, merge.snapshot as unknown as MergeSnapshot);
    await tx.updateTable('contact_merges').set({ undone_at: sql<Date>`now()` }).where('workspace_id', '=', actor.workspaceId).where('id', '=', mergeId).execute();
    await recordAudit(tx, actor, { action: 'contact.merge_undone', entityType: 'contact', entityId: merge.survivor_id, before: { mergeId, mergedIds: merge.merged_ids } });
    await emit(tx, actor.workspaceId, 'contacts.contact.merge_undone', { mergeId, survivorId: merge.survivor_id, mergedIds: merge.merged_ids, actorMemberId: actor.memberId });
    return { contactIds: [merge.survivor_id, ...merge.merged_ids] };
  });
}

export async function listMerges(db: Db, actor: Actor, contactId: string) {
  requireAccess(actor, 'contacts:read');
  await requireVisibleContact(db, actor, contactId);
  const rows = await store.listMergesOf(db, actor.workspaceId, contactId);
  return rows.map((r) => ({
    id: r.id,
    survivorId: r.survivor_id,
    mergedIds: r.merged_ids,
    mergedAt: r.merged_at,
    mergedBy: r.merged_by ? { id: r.merged_by, name: r.merged_by_name } : null,
    undoneAt: r.undone_at,
  }));
}

/** What attaching an identity did: `added` is false when the contact already held it. */
export interface Attached {
  identity: { id: string; channelType: string; externalId: string; displayName: string | null };
  added: boolean;
  merged: { contactId: string; mergeId: string } | null;
}

type IdentityRow = { id: string; contact_id: string; channel_type: string; external_id: string; display_name: string | null };
const toIdentity = (i: IdentityRow) => ({ id: i.id, channelType: i.channel_type, externalId: i.external_id, displayName: i.display_name });

/**
 * Gives a contact an identity, from a channel, an import or `POST /contacts/:id/identities`.
 * When another contact already holds it, the workspace's rule decides: `refuse` (409 naming the
 * holder, as addIdentity does) or `merge` that contact into this one, which brings the identity
 * along. The unique index settles concurrent writers: one whose insert lost the race to a
 * writer that committed meanwhile applies the same rule to that winner.
 */
export async function attachIdentity(db: Db, actor: Actor, contactId: string, identity: IdentityInput): Promise<Attached> {
  requireAccess(actor, 'contacts:write');
  return inTransaction(db, async (tx) => {
    await requireVisibleContact(tx, actor, contactId);
    const held = await store.identityRow(tx, actor.workspaceId, identity);
    if (held) return collide(tx, actor, contactId, identity, held);
    try {
      return { identity: await addIdentity(tx, actor, contactId, identity), added: true, merged: null };
    } catch (error) {
      // The insert wrote nothing (ON CONFLICT DO NOTHING), so the transaction is intact; under
      // READ COMMITTED this read sees the winner's committed row.
      const winner = error instanceof AppError && error.code === 'conflict' ? await store.identityRow(tx, actor.workspaceId, identity) : undefined;
      if (!winner) throw error;
      return collide(tx, actor, contactId, identity, winner);
    }
  });
}

async function collide(tx: Tx, actor: Actor, contactId: string, identity: IdentityInput, held: IdentityRow): Promise<Attached> {
  if (held.contact_id === contactId) return { identity: toIdentity(held), added: false, merged: null };
  if ((await store.identityCollisionRule(tx, actor.workspaceId)) === 'merge' && (await visibleContactIds(tx, actor, [held.contact_id])).length) {
    const { mergeId } = await merge(tx, actor, { survivorId: contactId, mergedIds: [held.contact_id] });
    const moved = (await store.identityRow(tx, actor.workspaceId, identity))!;
    return { identity: toIdentity(moved), added: true, merged: { contactId: held.contact_id, mergeId } };
  }
  // Refused: addIdentity's insert finds the identity taken and throws the 409 naming the holder.
  return { identity: await addIdentity(tx, actor, contactId, identity), added: true, merged: null };
}
