// Changing RFM settings. Saving what changes scores queues a full recompute; the layer moves it
// causes are recorded but trigger no rules (people changed the yardstick, customers did not move).
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { invalid, type FieldError } from '../../platform/http/errors.js';
import { enqueue } from '../../platform/queue/index.js';
import { defaultLayerNames, type Layer } from './layers.js';
import { rfmRecomputeJob } from './recompute-job.js';
import type { SettingsPatch, Thresholds } from './schema.js';
import { fromRow, toSettingsView, type RfmSettings } from './settings.js';
import * as store from './store.js';

const strictly = (values: readonly number[], direction: 'up' | 'down') => values.every((v, i) => i === 0 || (direction === 'up' ? v > values[i - 1]! : v < values[i - 1]!));

function checkThresholds(t: Thresholds): FieldError[] {
  const errors: FieldError[] = [];
  if (!strictly(t.recencyDays, 'down')) errors.push({ path: 'thresholds.recencyDays', message: 'Days for scores 2 to 5 must decrease (a better score needs a more recent order)' });
  if (!strictly(t.frequency, 'up')) errors.push({ path: 'thresholds.frequency', message: 'Orders for scores 2 to 5 must increase' });
  if (!strictly(t.monetary, 'up')) errors.push({ path: 'thresholds.monetary', message: 'Amounts for scores 2 to 5 must increase' });
  return errors;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Saves a change; returns the new settings and the recompute job when scores are affected. */
export async function updateRfmSettings(db: Db, actor: Actor, patch: SettingsPatch) {
  requireAccess(actor, 'rfm:write');
  return inTransaction(db, async (tx) => {
    const before = fromRow(await store.findSettings(tx, actor.workspaceId));
    const thresholds = patch.thresholds === undefined ? before.thresholds : patch.thresholds;
    const after: RfmSettings = {
      ...before,
      windowDays: patch.windowDays ?? before.windowDays,
      orderTypes: patch.orderTypes ? [...new Set(patch.orderTypes)] : before.orderTypes,
      orderStatuses: patch.orderStatuses === undefined ? before.orderStatuses : patch.orderStatuses && [...new Set(patch.orderStatuses)],
      scoring: patch.scoring ?? before.scoring,
      thresholds,
      high: { ...before.high, ...patch.highScores },
      layerNames: { ...before.layerNames },
    };
    for (const [key, name] of Object.entries(patch.layerNames ?? {}) as Array<[Layer, string | null]>) {
      if (name === null || name === defaultLayerNames[key]) delete after.layerNames[key];
      else after.layerNames[key] = name;
    }
    const errors = thresholds ? checkThresholds(thresholds) : [];
    if (after.scoring === 'thresholds' && !thresholds) errors.push({ path: 'thresholds', message: 'Threshold scoring needs thresholds for R, F and M' });
    if (errors.length) throw invalid(errors);

    const cuts = after.scoring === 'thresholds' ? { r: thresholds!.recencyDays, f: thresholds!.frequency, m: thresholds!.monetary } : before.scoring === 'thresholds' ? null : before.cuts;
    await store.saveSettings(tx, actor.workspaceId, {
      window_days: after.windowDays,
      order_types: after.orderTypes,
      order_statuses: after.orderStatuses,
      scoring: after.scoring,
      r_thresholds: thresholds?.recencyDays ?? null,
      f_thresholds: thresholds?.frequency ?? null,
      m_thresholds: thresholds?.monetary ?? null,
      r_cuts: cuts ? [...cuts.r] : null,
      f_cuts: cuts ? [...cuts.f] : null,
      m_cuts: cuts ? [...cuts.m] : null,
      r_high: after.high.r,
      f_high: after.high.f,
      m_high: after.high.m,
      layer_names: JSON.stringify(after.layerNames),
      updated_by: actor.memberId,
    });
    const rescore = (['windowDays', 'orderTypes', 'orderStatuses', 'scoring', 'thresholds', 'high'] as const).some((k) => !same(before[k], after[k]));
    const jobId = rescore ? await enqueue(tx, rfmRecomputeJob, { workspaceId: actor.workspaceId, reason: 'settings' }) : null;
    await recordAudit(tx, actor, { action: 'rfm.settings_updated', entityType: 'workspace', entityId: actor.workspaceId, before: toSettingsView(before), after: toSettingsView(after) });
    const settings = toSettingsView(fromRow(await store.findSettings(tx, actor.workspaceId)));
    return { settings, jobId };
  });
}
