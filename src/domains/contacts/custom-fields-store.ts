import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import type { CustomFieldType } from './tables.js';

const fieldColumns = ['id', 'key', 'label', 'type', 'options', 'required', 'position', 'created_at'] as const;

export const listFields = (db: Db, workspaceId: string) =>
  db.selectFrom('custom_fields').select(fieldColumns).where('workspace_id', '=', workspaceId).orderBy('position').orderBy('id').execute();

/** The definitions checkCustomValues and the filter compiler read. */
export const listFieldDefinitions = (db: Db, workspaceId: string) =>
  db.selectFrom('custom_fields').select(['key', 'label', 'type', 'options', 'required']).where('workspace_id', '=', workspaceId).execute();

export const findField = (db: Db, workspaceId: string, id: string) =>
  db.selectFrom('custom_fields').select(fieldColumns).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

export const findFieldByKey = (db: Db, workspaceId: string, key: string) =>
  db.selectFrom('custom_fields').select(fieldColumns).where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst();

export const countFields = async (db: Db, workspaceId: string) =>
  (await db.selectFrom('custom_fields').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n;

/** Inserts at the end of the order; null when the key is taken. */
export const insertField = (db: Db, workspaceId: string, f: { key: string; label: string; type: CustomFieldType; options: string[]; required: boolean }) =>
  db
    .insertInto('custom_fields')
    .values({
      workspace_id: workspaceId,
      key: f.key,
      label: f.label,
      type: f.type,
      options: f.options,
      required: f.required,
      position: sql<number>`(select coalesce(max(position), 0) + 1 from custom_fields where workspace_id = ${workspaceId})`,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'key']).doNothing())
    .returning(fieldColumns)
    .executeTakeFirst();

export const updateField = (db: Db, workspaceId: string, id: string, patch: { label?: string; options?: string[]; required?: boolean }) =>
  db.updateTable('custom_fields').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).returning(fieldColumns).executeTakeFirstOrThrow();

export const deleteField = (db: Db, workspaceId: string, id: string) =>
  db.deleteFrom('custom_fields').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

/** Live and deleted contacts holding one of `options` in `key` (a select field). */
export const countContactsWithOptions = async (db: Db, workspaceId: string, key: string, options: readonly string[]) => {
  const removed = sql`array[${sql.join(options.map((o) => sql`${o}::text`))}]`;
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from contacts c
    where c.workspace_id = ${workspaceId}
      and (c.custom ->> ${key}::text = any (${removed})
           or (jsonb_typeof(c.custom -> ${key}::text) = 'array' and (c.custom -> ${key}::text) ?| ${removed}))`.execute(db);
  return rows[0]?.n ?? 0;
};

/** Takes `options` out of every contact's value of `key`, dropping the key when nothing is left; one statement. */
export const removeOptionValues = (db: Db, workspaceId: string, key: string, options: readonly string[]) => {
  const removed = sql`array[${sql.join(options.map((o) => sql`${o}::text`))}]`;
  return sql`
    update contacts c set custom = case
        when jsonb_typeof(c.custom -> ${key}::text) = 'array' then coalesce(
          (select jsonb_set(c.custom, array[${key}::text], jsonb_agg(v)) from jsonb_array_elements(c.custom -> ${key}::text) v
           where v #>> '{}' <> all (${removed})),
          c.custom - ${key}::text)
        else c.custom - ${key}::text
      end
    where c.workspace_id = ${workspaceId}
      and (c.custom ->> ${key}::text = any (${removed})
           or (jsonb_typeof(c.custom -> ${key}::text) = 'array' and (c.custom -> ${key}::text) ?| ${removed}))`.execute(db);
};

/** Removes `key` from every contact's custom values in the workspace; one statement. */
export const removeKeyFromContacts = (db: Db, workspaceId: string, key: string) =>
  sql`update contacts set custom = custom - ${key}::text where workspace_id = ${workspaceId} and custom ? ${key}::text`.execute(db);

/** Sets positions to the order of `ids` (1-based); returns how many rows matched. */
export const reorderFields = async (db: Db, workspaceId: string, ids: readonly string[]) => {
  const result = await sql`
    update custom_fields f set position = o.ord
    from unnest(array[${sql.join(ids.map((id) => sql`${id}`))}]::uuid[]) with ordinality as o (id, ord)
    where f.workspace_id = ${workspaceId} and f.id = o.id`.execute(db);
  return Number(result.numAffectedRows ?? 0);
};
