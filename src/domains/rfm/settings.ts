// A workspace's RFM settings as the service and the recompute read them: the order window and
// types, quantile or threshold scoring, the "high" bounds that split layers, the layers' names.
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { defaultLayerNames, layerName, layers, type HighBounds, type Layer } from './layers.js';
import { workspaceTimezone } from './queries/workspace.js';
import type { Cuts, Scoring } from './queries/recompute.js';
import type { Thresholds } from './schema.js';
import * as store from './store.js';

export interface RfmSettings {
  windowDays: number;
  orderTypes: string[];
  orderStatuses: string[] | null;
  scoring: 'quantile' | 'thresholds';
  thresholds: Thresholds | null;
  high: HighBounds;
  layerNames: Partial<Record<Layer, string>>;
  /** The bounds in effect; null in quantile mode until the first full recompute. */
  cuts: Cuts | null;
  computedAt: Date | null;
  updatedAt: Date | null;
}

const DEFAULTS: RfmSettings = {
  windowDays: 365,
  orderTypes: ['order'],
  orderStatuses: null,
  scoring: 'quantile',
  thresholds: null,
  high: { r: 3, f: 3, m: 3 },
  layerNames: {},
  cuts: null,
  computedAt: null,
  updatedAt: null,
};

const nums = (a: ReadonlyArray<string | number | null> | null) => (a ? a.map((v) => (v === null ? null : Number(v))) : null);

export function fromRow(row: store.SettingsRow | undefined): RfmSettings {
  if (!row) return DEFAULTS;
  const [r, f, m] = [nums(row.r_cuts), nums(row.f_cuts), nums(row.m_cuts)];
  const [rt, ft, mt] = [nums(row.r_thresholds), nums(row.f_thresholds), nums(row.m_thresholds)];
  return {
    windowDays: row.window_days,
    orderTypes: row.order_types,
    orderStatuses: row.order_statuses,
    scoring: row.scoring,
    thresholds: rt && ft && mt ? { recencyDays: rt as number[], frequency: ft as number[], monetary: mt as number[] } : null,
    high: { r: row.r_high, f: row.f_high, m: row.m_high },
    layerNames: row.layer_names,
    cuts: r && f && m ? { r, f, m } : null,
    computedAt: row.computed_at,
    updatedAt: row.updated_at,
  };
}

/** The settings the recompute works with (no access check: the worker's and the handlers' view). */
export async function loadSettings(db: Db, workspaceId: string) {
  const settings = fromRow(await store.findSettings(db, workspaceId));
  const scoring: Scoring = {
    timezone: await workspaceTimezone(db, workspaceId),
    windowDays: settings.windowDays,
    orderTypes: settings.orderTypes,
    orderStatuses: settings.orderStatuses,
    high: settings.high,
  };
  return { settings, scoring };
}

export function toSettingsView(s: RfmSettings) {
  return {
    windowDays: s.windowDays,
    orderTypes: s.orderTypes,
    orderStatuses: s.orderStatuses,
    scoring: s.scoring,
    thresholds: s.thresholds,
    highScores: s.high,
    layers: layers.map((key) => ({ key, name: layerName(s.layerNames, key), defaultName: defaultLayerNames[key] })),
    cuts: s.cuts ? { recencyDays: [...s.cuts.r], frequency: [...s.cuts.f], monetary: [...s.cuts.m] } : null,
    computedAt: s.computedAt,
    updatedAt: s.updatedAt,
  };
}

export async function getRfmSettings(db: Db, actor: Actor) {
  requireAccess(actor, 'rfm:read');
  return toSettingsView(fromRow(await store.findSettings(db, actor.workspaceId)));
}
