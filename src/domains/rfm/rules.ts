// Trigger rules on layer moves: which moves (from/to layers) give whom a task, and whether it
// reminds at once. At most MAX_RULES per workspace; every rule matches on every move, in order.
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { RuleInput, RulePatch } from './schema.js';
import * as store from './store.js';
import { isActiveMember } from './queries/members.js';

export const MAX_RULES = 50;

const toRule = (r: store.RuleRow) => ({
  id: r.id,
  name: r.name,
  fromLayers: r.from_layers,
  toLayers: r.to_layers,
  taskTitle: r.task_title,
  taskDueDays: r.task_due_days,
  notify: r.notify,
  fallbackMemberId: r.fallback_member_id,
  enabled: r.enabled,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export type RfmRule = ReturnType<typeof toRule>;

export async function listRules(db: Db, actor: Actor) {
  requireAccess(actor, 'rfm:read');
  return { items: (await store.listRules(db, actor.workspaceId)).map(toRule), nextCursor: null };
}

async function requireMember(db: Db, workspaceId: string, memberId: string | null | undefined) {
  if (memberId && !(await isActiveMember(db, workspaceId, memberId))) throw notFound('Member');
}

export async function createRule(db: Db, actor: Actor, input: RuleInput) {
  requireAccess(actor, 'rfm:write');
  return inTransaction(db, async (tx) => {
    if ((await store.countRules(tx, actor.workspaceId)) >= MAX_RULES) throw new AppError('conflict', `A workspace has at most ${MAX_RULES} RFM rules`);
    await requireMember(tx, actor.workspaceId, input.fallbackMemberId);
    const row = await store.insertRule(tx, actor.workspaceId, {
      name: input.name,
      from_layers: [...new Set(input.fromLayers)],
      to_layers: [...new Set(input.toLayers)],
      task_title: input.taskTitle,
      task_due_days: input.taskDueDays,
      notify: input.notify,
      fallback_member_id: input.fallbackMemberId,
      enabled: input.enabled,
      created_by: actor.memberId,
    });
    await recordAudit(tx, actor, { action: 'rfm.rule_created', entityType: 'rfm_rule', entityId: row.id, after: toRule(row) });
    return toRule(row);
  });
}

export async function updateRule(db: Db, actor: Actor, id: string, patch: RulePatch) {
  requireAccess(actor, 'rfm:write');
  return inTransaction(db, async (tx) => {
    const before = await store.findRule(tx, actor.workspaceId, id);
    if (!before) throw notFound('RFM rule');
    await requireMember(tx, actor.workspaceId, patch.fallbackMemberId);
    const after = await store.updateRule(tx, actor.workspaceId, id, {
      name: patch.name,
      from_layers: patch.fromLayers && [...new Set(patch.fromLayers)],
      to_layers: patch.toLayers && [...new Set(patch.toLayers)],
      task_title: patch.taskTitle,
      task_due_days: patch.taskDueDays,
      notify: patch.notify,
      fallback_member_id: patch.fallbackMemberId,
      enabled: patch.enabled,
    });
    await recordAudit(tx, actor, { action: 'rfm.rule_updated', entityType: 'rfm_rule', entityId: id, before: toRule(before), after: toRule(after!) });
    return toRule(after!);
  });
}

export async function deleteRule(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'rfm:write');
  await inTransaction(db, async (tx) => {
    const before = await store.findRule(tx, actor.workspaceId, id);
    if (!before) throw notFound('RFM rule');
    await store.deleteRule(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'rfm.rule_deleted', entityType: 'rfm_rule', entityId: id, before: toRule(before) });
  });
}
