// SQL for the RFM domain's own tables: settings, trigger rules, layer moves, a contact's row.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import type { RfmRulesTable, RfmSettingsTable } from './tables.js';

export const findSettings = (db: Db, workspaceId: string) =>
  db.selectFrom('rfm_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();

export type SettingsRow = NonNullable<Awaited<ReturnType<typeof findSettings>>>;

/** Writes the settings row (creating it with defaults for what is not given). */
export const saveSettings = (db: Db, workspaceId: string, values: Omit<Insertable<RfmSettingsTable>, 'workspace_id'>) =>
  db
    .insertInto('rfm_settings')
    .values({ workspace_id: workspaceId, ...values })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
    .execute();

const ruleColumns = ['id', 'name', 'from_layers', 'to_layers', 'task_title', 'task_due_days', 'notify', 'fallback_member_id', 'enabled', 'created_by', 'created_at', 'updated_at'] as const;

export const listRules = (db: Db, workspaceId: string) =>
  db.selectFrom('rfm_rules').select(ruleColumns).where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();

export type RuleRow = Awaited<ReturnType<typeof listRules>>[number];

export const countRules = async (db: Db, workspaceId: string) =>
  Number((await db.selectFrom('rfm_rules').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n);

export const findRule = (db: Db, workspaceId: string, id: string) =>
  db.selectFrom('rfm_rules').select(ruleColumns).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

export const insertRule = (db: Db, workspaceId: string, rule: Omit<Insertable<RfmRulesTable>, 'workspace_id'>) =>
  db.insertInto('rfm_rules').values({ workspace_id: workspaceId, ...rule }).returning(ruleColumns).executeTakeFirstOrThrow();

export const updateRule = (db: Db, workspaceId: string, id: string, patch: Updateable<RfmRulesTable>) =>
  db
    .updateTable('rfm_rules')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning(ruleColumns)
    .executeTakeFirst();

export const deleteRule = async (db: Db, workspaceId: string, id: string) =>
  Number((await db.deleteFrom('rfm_rules').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()).numDeletedRows);

/** Enabled rules whose from/to lists match a move (an empty list matches any layer). */
export const enabledRules = (db: Db, workspaceId: string) =>
  db.selectFrom('rfm_rules').select(ruleColumns).where('workspace_id', '=', workspaceId).where('enabled', '=', true).orderBy('created_at').orderBy('id').execute();

export const findContactRfm = (db: Db, workspaceId: string, contactId: string) =>
  db.selectFrom('contact_rfm').selectAll().where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).executeTakeFirst();

/** A contact's latest moves, newest first. */
export const contactChanges = (db: Db, workspaceId: string, contactId: string, limit: number) =>
  db
    .selectFrom('rfm_layer_changes')
    .select(['id', 'from_layer', 'to_layer', 'reason', 'changed_at'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('changed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();

/** Claims a (move, rule) pair; false when the rule already acted on that move. */
export const claimFiring = async (db: Db, workspaceId: string, changeId: string, ruleId: string) =>
  Boolean(
    await db
      .insertInto('rfm_rule_firings')
      .values({ workspace_id: workspaceId, change_id: changeId, rule_id: ruleId })
      .onConflict((oc) => oc.doNothing())
      .returning('rule_id')
      .executeTakeFirst(),
  );

export const setFiringTask = (db: Db, workspaceId: string, changeId: string, ruleId: string, taskId: string) =>
  db.updateTable('rfm_rule_firings').set({ task_id: taskId }).where('workspace_id', '=', workspaceId).where('change_id', '=', changeId).where('rule_id', '=', ruleId).execute();
