// Where a workspace's interests come from (its interest tag groups) and how far back and how
// fast interactions fade. Saving queues a full recompute.
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { notFound } from '../../platform/http/errors.js';
import { enqueue } from '../../platform/queue/index.js';
import { existingTagGroups } from './queries/compute.js';
import { preferencesJob } from './job.js';
import { fromRow } from './window.js';
import * as store from './store.js';

export async function getPreferenceSettings(db: Db, actor: Actor) {
  requireAccess(actor, 'contacts:read');
  return fromRow(await store.findSettings(db, actor.workspaceId));
}

export async function updatePreferenceSettings(db: Db, actor: Actor, patch: { interestTagGroupIds?: string[]; lookbackDays?: number; halfLifeDays?: number }) {
  requireAccess(actor, 'contact-settings:write');
  return inTransaction(db, async (tx) => {
    const before = fromRow(await store.findSettings(tx, actor.workspaceId));
    const groups = patch.interestTagGroupIds ? [...new Set(patch.interestTagGroupIds)] : before.interestTagGroupIds;
    if (patch.interestTagGroupIds && (await existingTagGroups(tx, actor.workspaceId, groups)).length !== groups.length) throw notFound('Tag group');
    const after = { interest_tag_group_ids: groups, lookback_days: patch.lookbackDays ?? before.lookbackDays, half_life_days: patch.halfLifeDays ?? before.halfLifeDays };
    await store.saveSettings(tx, actor.workspaceId, { ...after, updated_by: actor.memberId });
    const jobId = await enqueue(tx, preferencesJob, { workspaceId: actor.workspaceId });
    await recordAudit(tx, actor, { action: 'preferences.settings_updated', entityType: 'workspace', entityId: actor.workspaceId, before: { ...before }, after });
    return { settings: fromRow(await store.findSettings(tx, actor.workspaceId)), jobId };
  });
}
