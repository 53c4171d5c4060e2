// RFM (src/domains/rfm/routes.ts): settings, the full recompute job, the distribution per layer and
// per score, customer lists, one contact's values, and the trigger rules on layer moves.
import { api } from './client';
import type { RfmLayer } from './segments';

export interface RfmThresholds {
  /** Days since the last order, at most, for scores 2, 3, 4, 5 (decreasing). */
  recencyDays: number[];
  /** Orders in the window, at least, for scores 2–5 (increasing). */
  frequency: number[];
  /** Amount in the window, at least, for scores 2–5 (increasing). */
  monetary: number[];
}

export interface RfmSettings {
  windowDays: number;
  orderTypes: string[];
  orderStatuses: string[] | null;
  scoring: 'quantile' | 'thresholds';
  thresholds: RfmThresholds | null;
  highScores: { r: number; f: number; m: number };
  layers: Array<{ key: RfmLayer; name: string; defaultName: string }>;
  /** The bounds in effect: the thresholds, or the quintiles of the last full recompute. */
  cuts: { recencyDays: Array<number | null>; frequency: Array<number | null>; monetary: Array<number | null> } | null;
  computedAt: string | null;
  updatedAt: string | null;
}

export interface RfmSettingsPatch {
  windowDays?: number;
  orderTypes?: string[];
  orderStatuses?: string[] | null;
  scoring?: 'quantile' | 'thresholds';
  thresholds?: RfmThresholds | null;
  highScores?: Partial<{ r: number; f: number; m: number }>;
  /** null puts a layer's default name back. */
  layerNames?: Partial<Record<RfmLayer, string | null>>;
}

export interface ScoreCount { score: number; count: number }
export interface RfmDistribution {
  customers: number;
  layers: Array<{ layer: RfmLayer; name: string; count: number }>;
  r: ScoreCount[];
  f: ScoreCount[];
  m: ScoreCount[];
  rf: Array<{ r: number; f: number; count: number }>;
  computedAt: string | null;
}

export interface RfmValues {
  recencyDays: number | null;
  frequency: number;
  monetary: number;
  r: number;
  f: number;
  m: number;
  layer: RfmLayer;
  layerName: string;
  computedAt: string;
}
export interface RfmCustomer extends RfmValues { contact: { id: string; name: string } }
export interface ContactRfm {
  contactId: string;
  rfm: RfmValues | null;
  changes: Array<{ id: string; from: RfmLayer; to: RfmLayer; reason: string; changedAt: string }>;
}

export interface RfmRule {
  id: string;
  name: string;
  /** Empty: from any layer. */
  fromLayers: RfmLayer[];
  /** Empty: to any layer. */
  toLayers: RfmLayer[];
  taskTitle: string | null;
  taskDueDays: number | null;
  notify: boolean;
  fallbackMemberId: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}
export type RfmRuleInput = Omit<RfmRule, 'id' | 'createdAt' | 'updatedAt'>;

export const rfmSettingsKey = ['rfm', 'settings'] as const;
export const rfmDistributionKey = ['rfm', 'distribution'] as const;
export const rfmRulesKey = ['rfm', 'rules'] as const;

export const getRfmSettings = () => api.get<{ settings: RfmSettings }>('/rfm/settings').then((r) => r.settings);
export const updateRfmSettings = (body: RfmSettingsPatch) => api.patch<{ settings: RfmSettings; jobId: string | null }>('/rfm/settings', body);
export const recomputeRfm = () => api.post<{ jobId: string }>('/rfm/recompute');
export const getRfmDistribution = () => api.get<RfmDistribution>('/rfm/distribution');
export const getContactRfm = (contactId: string) => api.get<ContactRfm>(`/contacts/${contactId}/rfm`);
export const listRfmRules = () => api.get<{ items: RfmRule[] }>('/rfm/rules').then((r) => r.items);
export const createRfmRule = (body: Partial<RfmRuleInput> & { name: string }) => api.post<{ rule: RfmRule }>('/rfm/rules', body).then((r) => r.rule);
export const updateRfmRule = (id: string, body: Partial<RfmRuleInput>) => api.patch<{ rule: RfmRule }>(`/rfm/rules/${id}`, body).then((r) => r.rule);
export const deleteRfmRule = (id: string) => api.delete(`/rfm/rules/${id}`);
