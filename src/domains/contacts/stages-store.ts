import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import type { Tx } from '../../platform/db/transaction.js';

const stageColumns = ['id', 'name', 'color', 'position'] as const;

/** The lifecycle a workspace starts with (the same list as migration 202611240410). */
export const DEFAULT_STAGES = [
  { name: '潜在', color: '#8c8c8c' },
  { name: '意向', color: '#1677ff' },
  { name: '成交', color: '#52c41a' },
  { name: '复购', color: '#722ed1' },
  { name: '流失', color: '#ff4d4f' },
] as const;

/** Each stage with how many live contacts in it match `visible` (the caller's data scope). */
export const listStagesWithCounts = (db: Db, workspaceId: string, visible: Expression<SqlBool>) =>
  db
    .selectFrom('stages as s')
    .select(stageColumns.map((c) => `s.${c}` as const))
    .select((eb) =>
      eb
        .selectFrom('contacts as c')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('c.workspace_id', '=', 's.workspace_id')
        .whereRef('c.stage_id', '=', 's.id')
        .where(visible)
        .as('contact_count'),
    )
    .where('s.workspace_id', '=', workspaceId)
    .orderBy('s.position')
    .orderBy('s.id')
    .execute();

export const listStages = (db: Db, workspaceId: string) =>
  db.selectFrom('stages').select(stageColumns).where('workspace_id', '=', workspaceId).orderBy('position').orderBy('id').execute();

export const findStage = (db: Db, workspaceId: string, id: string) =>
  db.selectFrom('stages').select(stageColumns).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

export const countStages = async (db: Db, workspaceId: string) =>
  (await db.selectFrom('stages').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n;

/** Inserts at the end of the order; null when the name (case-insensitive) is taken. */
export const insertStage = (db: Db, workspaceId: string, stage: { name: string; color?: string }) =>
  db
    .insertInto('stages')
    .values({
      workspace_id: workspaceId,
      name: stage.name,
      ...(stage.color ? { color: stage.color } : {}),
      position: sql<number>`(select coalesce(max(position), 0) + 1 from stages where workspace_id = ${workspaceId})`,
    })
    .onConflict((oc) => oc.expression(sql`workspace_id, lower(name)`).doNothing())
    .returning(stageColumns)
    .executeTakeFirst();

export const updateStage = (db: Db, workspaceId: string, id: string, patch: { name?: string; color?: string }) =>
  db.updateTable('stages').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).returning(stageColumns).executeTakeFirstOrThrow();

export const deleteStage = (db: Db, workspaceId: string, id: string) =>
  db.deleteFrom('stages').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export const countLiveContactsInStage = async (db: Db, workspaceId: string, id: string) =>
  (
    await db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('stage_id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow()
  ).n;

/** Deleted contacts keep no stage that no longer exists (they come back without one). */
export const clearStageOfDeletedContacts = (db: Db, workspaceId: string, id: string) =>
  db.updateTable('contacts').set({ stage_id: null }).where('workspace_id', '=', workspaceId).where('stage_id', '=', id).where('deleted_at', 'is not', null).execute();

export const reorderStages = (db: Db, workspaceId: string, ids: readonly string[]) =>
  sql`
    update stages s set position = o.ord
    from unnest(array[${sql.join(ids.map((id) => sql`${id}`))}]::uuid[]) with ordinality as o (id, ord)
    where s.workspace_id = ${workspaceId} and s.id = o.id`.execute(db);

/** Gives a workspace the default stages unless it has some already; safe to call twice. */
export async function seedContactDefaults(tx: Tx, workspaceId: string): Promise<void> {
  await sql`
    insert into stages (workspace_id, name, color, position)
    select ${workspaceId}::uuid, d.name, d.color, d.position
    from unnest(array[${sql.join(DEFAULT_STAGES.map((s) => sql`${s.name}`))}]::text[],
                array[${sql.join(DEFAULT_STAGES.map((s) => sql`${s.color}`))}]::text[]) with ordinality as d (name, color, position)
    where not exists (select 1 from stages s where s.workspace_id = ${workspaceId})`.execute(tx);
}
