// Live codes (src/domains/livecodes/routes.ts): short links /c/<slug> that pick a staff member at scan time.
import { fetchAll } from './client';

export interface LiveCode {
  id: string;
  name: string;
  slug: string;
  /** PUBLIC_URL/c/<slug>: what the QR code holds. */
  url: string;
  channelId: string | null;
  landingUrl: string | null;
  strategy: 'round_robin' | 'weighted' | 'least_loaded';
  staff: Array<{ memberId: string; weight: number; dailyCap: number | null }>;
  backupStaff: Array<{ memberId: string; dailyCap: number | null }>;
  tagIds: string[];
  welcomeMessage: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export const liveCodesKey = ['live-codes'] as const;
export const listLiveCodes = () => fetchAll<LiveCode>('/live-codes');
/** The QR PNG's address (same-origin: the session cookie authenticates the image request). */
export const qrUrl = (id: string, size: 256 | 512 | 1024) => `/api/v1/live-codes/${id}/qr.png?size=${size}`;
