// Live codes (src/domains/livecodes/routes.ts): short links /c/<slug> that pick a staff member at scan time.
import { api, buildUrl, fetchAll } from './client';

export const strategies = ['round_robin', 'weighted', 'least_loaded'] as const;
export type Strategy = (typeof strategies)[number];

/** A weekly interval in the workspace's time zone (day 0 = Sunday, times HH:MM). */
export interface WeeklyInterval { day: number; open: string; close: string }
export interface StaffMember { memberId: string; weight: number; dailyCap: number | null; hours: WeeklyInterval[] | null }
export type BackupMember = Omit<StaffMember, 'weight'>;
export interface SpecialPeriod { name: string; from: string; to: string; staff: Array<{ memberId: string; dailyCap: number | null }> }

export interface LiveCodeInput {
  name: string;
  channelId: string | null;
  landingUrl: string | null;
  strategy: Strategy;
  staff: StaffMember[];
  backupStaff: BackupMember[];
  periods: SpecialPeriod[];
  exclusive: boolean;
  tagIds: string[];
  welcomeMessage: string | null;
  welcomeBlockedNames: string[];
  enabled: boolean;
}

export interface LiveCode extends LiveCodeInput {
  id: string;
  slug: string;
  /** PUBLIC_URL/c/<slug>: what the QR code holds. */
  url: string;
  /** Its entry at the channel's provider (WeCom 联系我, an official account's scene QR), once registered. */
  registration: { ref: string; qrContent: string | null; qrImageUrl: string | null; registeredAt: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface StatsQuery { from?: string; to?: string; stageId?: string }
export interface DayFigures { scans: number; noStaffAvailable: number; adds: number; attributed: number; left: number; net: number; ordered: number; reachedStage: number }
export interface LiveCodeStats { from: string; to: string; days: Array<DayFigures & { day: string }>; totals: DayFigures }

export const liveCodesKey = ['live-codes'] as const;
export const liveCodeKey = (id: string) => ['live-codes', id] as const;
export const listLiveCodes = () => fetchAll<LiveCode>('/live-codes');
export const getLiveCode = (id: string) => api.get<{ liveCode: LiveCode }>(`/live-codes/${id}`).then((r) => r.liveCode);
export const createLiveCode = (body: LiveCodeInput) => api.post<{ liveCode: LiveCode }>('/live-codes', body).then((r) => r.liveCode);
export const updateLiveCode = (id: string, body: Partial<LiveCodeInput>) => api.patch<{ liveCode: LiveCode }>(`/live-codes/${id}`, body).then((r) => r.liveCode);
export const deleteLiveCode = (id: string) => api.delete(`/live-codes/${id}`);
export const registerLiveCode = (id: string) => api.post<{ liveCode: LiveCode }>(`/live-codes/${id}/register`, {}).then((r) => r.liveCode);
export const liveCodeStats = (id: string, query: StatsQuery) => api.get<LiveCodeStats>(`/live-codes/${id}/stats`, { ...query });
/** The same days as CSV (a download link: the session cookie authenticates it). */
export const statsCsvUrl = (id: string, query: StatsQuery) => buildUrl(`/live-codes/${id}/stats.csv`, { ...query });
/** The QR PNG's address (same-origin: the session cookie authenticates the image request). */
export const qrUrl = (id: string, size: 256 | 512 | 1024) => `/api/v1/live-codes/${id}/qr.png?size=${size}`;
