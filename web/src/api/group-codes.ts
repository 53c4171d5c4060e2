// Group codes (src/domains/groupcodes/routes.ts): one short link /g/<slug> in front of several groups, each scan given the first that can take one more.
import { api, fetchAll } from './client';

export interface GroupInput {
  name: string;
  /** An invite link; or else `qrImage` (base64 PNG/JPEG). */
  joinUrl: string | null;
  qrImage?: string | null;
  expiresOn: string | null;
  capacity: number;
  dailyCap: number | null;
  members: number;
  conversationId: string | null;
  enabled: boolean;
  position?: number;
}

export interface Group extends Omit<GroupInput, 'qrImage' | 'position'> {
  id: string;
  position: number;
  /** Where its QR image is served, when it has one. */
  qrImageUrl: string | null;
  /** Members now. */
  filled: number;
  /** Scans it was given today. */
  today: number;
}

export interface GroupCodeInput { name: string; tagIds: string[]; enabled: boolean }
export interface GroupCode extends GroupCodeInput {
  id: string;
  slug: string;
  url: string;
  groups: Group[];
  createdAt: string;
  updatedAt: string;
}

export interface GroupCodeStats { from: string; to: string; rows: Array<{ day: string; groupId: string | null; scans: number; joins: number; leaves: number }> }

type One = { groupCode: GroupCode };
const unwrap = (r: One) => r.groupCode;

export const groupCodesKey = ['group-codes'] as const;
export const groupCodeKey = (id: string) => ['group-codes', id] as const;
export const listGroupCodes = () => fetchAll<GroupCode>('/group-codes');
export const getGroupCode = (id: string) => api.get<One>(`/group-codes/${id}`).then(unwrap);
export const createGroupCode = (body: GroupCodeInput) => api.post<One>('/group-codes', body).then(unwrap);
export const updateGroupCode = (id: string, body: Partial<GroupCodeInput>) => api.patch<One>(`/group-codes/${id}`, body).then(unwrap);
export const deleteGroupCode = (id: string) => api.delete(`/group-codes/${id}`);
export const addGroup = (id: string, body: GroupInput) => api.post<One>(`/group-codes/${id}/groups`, body).then(unwrap);
export const updateGroup = (id: string, groupId: string, body: Partial<GroupInput>) => api.patch<One>(`/group-codes/${id}/groups/${groupId}`, body).then(unwrap);
export const removeGroup = (id: string, groupId: string) => api.delete(`/group-codes/${id}/groups/${groupId}`);
export const groupCodeStats = (id: string, query: { from?: string; to?: string }) => api.get<GroupCodeStats>(`/group-codes/${id}/stats`, { ...query });
export const groupQrUrl = (id: string, size: 256 | 512 | 1024) => `/api/v1/group-codes/${id}/qr.png?size=${size}`;
