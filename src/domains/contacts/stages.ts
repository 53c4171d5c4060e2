// The lifecycle stages (潜在 → 意向 → 成交 → 复购 → 流失 by default): named, coloured, ordered.
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { conflict, invalid, notFound } from '../../platform/http/errors.js';
import { visibleContact } from './access.js';
import * as store from './stages-store.js';

export const MAX_STAGES = 50;

type StageRow = { id: string; name: string; color: string; position: number };
const toStage = (r: StageRow, contactCount = 0) => ({ id: r.id, name: r.name, color: r.color, position: r.position, contactCount });
export type Stage = ReturnType<typeof toStage>;
const snapshot = (r: StageRow) => ({ name: r.name, color: r.color });

/** Every stage in order, each with the number of live contacts in it that the caller can see. */
export async function listStages(db: Db, actor: Actor) {
  requireAccess(actor, 'contacts:read');
  const rows = await store.listStagesWithCounts(db, actor.workspaceId, visibleContact(actor));
  return { items: rows.map((r) => toStage(r, r.contact_count ?? 0)), nextCursor: null };
}

export async function createStage(db: Db, actor: Actor, input: { name: string; color?: string }) {
  requireAccess(actor, 'contact-settings:write');
  return inTransaction(db, async (tx) => {
    if ((await store.countStages(tx, actor.workspaceId)) >= MAX_STAGES) throw conflict(`A workspace can have at most ${MAX_STAGES} stages`);
    const row = await store.insertStage(tx, actor.workspaceId, input);
    if (!row) throw conflict(`A stage named "${input.name}" already exists`);
    await recordAudit(tx, actor, { action: 'stage.created', entityType: 'stage', entityId: row.id, after: snapshot(row) });
    await emit(tx, actor.workspaceId, 'contacts.stage.created', { stageId: row.id, name: row.name });
    return toStage(row);
  });
}

export async function updateStage(db: Db, actor: Actor, id: string, patch: { name?: string; color?: string }) {
  requireAccess(actor, 'contact-settings:write');
  return inTransaction(db, async (tx) => {
    const before = await store.findStage(tx, actor.workspaceId, id);
    if (!before) throw notFound('Stage');
    if (patch.name !== undefined || patch.color !== undefined) {
      const after = await store.updateStage(tx, actor.workspaceId, id, patch).catch((error: unknown) => {
        throw isUniqueViolation(error) ? conflict(`A stage named "${patch.name}" already exists`) : error;
      });
      await recordAudit(tx, actor, { action: 'stage.updated', entityType: 'stage', entityId: id, before: snapshot(before), after: snapshot(after) });
      await emit(tx, actor.workspaceId, 'contacts.stage.updated', { stageId: id, name: after.name });
    }
    const row = (await store.listStagesWithCounts(tx, actor.workspaceId, visibleContact(actor))).find((s) => s.id === id)!;
    return toStage(row, row.contact_count ?? 0);
  });
}

const isUniqueViolation = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';

/** Refused while live contacts are in the stage; deleted contacts in it lose their stage. */
export async function deleteStage(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'contact-settings:write');
  await inTransaction(db, async (tx) => {
    const stage = await store.findStage(tx, actor.workspaceId, id);
    if (!stage) throw notFound('Stage');
    const inIt = await store.countLiveContactsInStage(tx, actor.workspaceId, id);
    if (inIt > 0) throw conflict(`${inIt} contacts are in this stage; move them first`, { contactCount: inIt });
    await store.clearStageOfDeletedContacts(tx, actor.workspaceId, id);
    await store.deleteStage(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'stage.deleted', entityType: 'stage', entityId: id, before: snapshot(stage) });
    await emit(tx, actor.workspaceId, 'contacts.stage.deleted', { stageId: id, name: stage.name });
  });
}

/** `ids` must name every stage of the workspace exactly once. */
export async function orderStages(db: Db, actor: Actor, ids: string[]) {
  requireAccess(actor, 'contact-settings:write');
  await inTransaction(db, async (tx) => {
    const current = await store.listStages(tx, actor.workspaceId);
    const known = new Set(current.map((s) => s.id));
    if (ids.some((id) => !known.has(id))) throw notFound('Stage');
    if (new Set(ids).size !== ids.length || ids.length !== current.length) throw invalid([{ path: 'ids', message: 'List every stage exactly once' }]);
    await store.reorderStages(tx, actor.workspaceId, ids);
    await recordAudit(tx, actor, { action: 'stage.reordered', entityType: 'stage', before: { ids: current.map((s) => s.id) }, after: { ids } });
  });
  return listStages(db, actor);
}
