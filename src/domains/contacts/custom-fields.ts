// Custom field definitions: typed, ordered, keyed. Values live in contacts.custom under the key,
// so the key and the type never change once created (a changed type would strand every value).
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { conflict, invalid, notFound } from '../../platform/http/errors.js';
import * as store from './custom-fields-store.js';
import type { CustomFieldType } from './tables.js';

export const MAX_FIELDS = 200;
const SELECTS: readonly CustomFieldType[] = ['single_select', 'multi_select'];

type FieldRow = NonNullable<Awaited<ReturnType<typeof store.findField>>>;

const toField = (r: FieldRow) => ({ id: r.id, key: r.key, label: r.label, type: r.type, options: r.options, required: r.required, position: r.position });
export type CustomField = ReturnType<typeof toField>;
const snapshot = (r: FieldRow) => ({ key: r.key, label: r.label, type: r.type, options: r.options, required: r.required });

export async function listCustomFields(db: Db, actor: Actor) {
  requireAccess(actor, 'contacts:read');
  return { items: (await store.listFields(db, actor.workspaceId)).map(toField), nextCursor: null };
}

function checkOptions(type: CustomFieldType, options: string[] | undefined) {
  if (SELECTS.includes(type)) {
    if (!options?.length) throw invalid([{ path: 'options', message: 'A select field needs at least one option' }]);
    if (new Set(options).size !== options.length) throw invalid([{ path: 'options', message: 'Options must be unique' }]);
  } else if (options?.length) {
    throw invalid([{ path: 'options', message: 'Only select fields have options' }]);
  }
}

export async function createCustomField(
  db: Db,
  actor: Actor,
  input: { key: string; label: string; type: CustomFieldType; options?: string[]; required?: boolean },
) {
  requireAccess(actor, 'contact-settings:write');
  checkOptions(input.type, input.options);
  return inTransaction(db, async (tx) => {
    if ((await store.countFields(tx, actor.workspaceId)) >= MAX_FIELDS) throw conflict(`A workspace can have at most ${MAX_FIELDS} custom fields`);
    const row = await store.insertField(tx, actor.workspaceId, {
      key: input.key,
      label: input.label,
      type: input.type,
      options: input.options ?? [],
      required: input.required ?? false,
    });
    if (!row) throw conflict(`A custom field with the key "${input.key}" already exists`);
    await recordAudit(tx, actor, { action: 'custom_field.created', entityType: 'custom_field', entityId: row.id, after: snapshot(row) });
    await emit(tx, actor.workspaceId, 'contacts.custom_field.created', { fieldId: row.id, key: row.key, type: row.type });
    return toField(row);
  });
}

/**
 * Label, options and required can change. Removing a select option that contacts still hold is
 * refused (409 with how many hold it) unless `force`, which takes the option out of their values.
 */
export async function updateCustomField(db: Db, actor: Actor, id: string, patch: { label?: string; options?: string[]; required?: boolean; force?: boolean }) {
  requireAccess(actor, 'contact-settings:write');
  return inTransaction(db, async (tx) => {
    const before = await store.findField(tx, actor.workspaceId, id);
    if (!before) throw notFound('Custom field');
    if (patch.options !== undefined) checkOptions(before.type, patch.options);
    const removed = patch.options ? before.options.filter((o) => !patch.options!.includes(o)) : [];
    if (removed.length) {
      const holding = await store.countContactsWithOptions(tx, actor.workspaceId, before.key, removed);
      if (holding > 0 && !patch.force) {
        throw conflict(`${holding} contacts hold an option being removed; send force: true to remove it from them`, { options: removed, contactCount: holding });
      }
      if (holding > 0) await store.removeOptionValues(tx, actor.workspaceId, before.key, removed);
    }
    const { force: _force, ...changes } = patch;
    if (!Object.keys(changes).length) return toField(before);
    const after = await store.updateField(tx, actor.workspaceId, id, changes);
    await recordAudit(tx, actor, { action: 'custom_field.updated', entityType: 'custom_field', entityId: id, before: snapshot(before), after: snapshot(after) });
    await emit(tx, actor.workspaceId, 'contacts.custom_field.updated', { fieldId: id, key: after.key, removedOptions: removed });
    return toField(after);
  });
}

/** Deletes the definition and, in one statement, its key from every contact. */
export async function deleteCustomField(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'contact-settings:write');
  await inTransaction(db, async (tx) => {
    const field = await store.findField(tx, actor.workspaceId, id);
    if (!field) throw notFound('Custom field');
    await store.removeKeyFromContacts(tx, actor.workspaceId, field.key);
    await store.deleteField(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'custom_field.deleted', entityType: 'custom_field', entityId: id, before: snapshot(field) });
    await emit(tx, actor.workspaceId, 'contacts.custom_field.deleted', { fieldId: id, key: field.key });
  });
}

/** `ids` must name every field of the workspace exactly once. */
export async function orderCustomFields(db: Db, actor: Actor, ids: string[]) {
  requireAccess(actor, 'contact-settings:write');
  return inTransaction(db, async (tx) => {
    const current = await store.listFields(tx, actor.workspaceId);
    const known = new Set(current.map((f) => f.id));
    if (ids.some((id) => !known.has(id))) throw notFound('Custom field');
    if (new Set(ids).size !== ids.length || ids.length !== current.length) {
      throw invalid([{ path: 'ids', message: 'List every custom field exactly once' }]);
    }
    await store.reorderFields(tx, actor.workspaceId, ids);
    await recordAudit(tx, actor, { action: 'custom_field.reordered', entityType: 'custom_field', before: { ids: current.map((f) => f.id) }, after: { ids } });
    return { items: (await store.listFields(tx, actor.workspaceId)).map(toField), nextCursor: null };
  });
}
